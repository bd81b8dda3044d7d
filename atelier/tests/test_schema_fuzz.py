"""Schemathesis against /api/schema/: no 5xx, no answer that contradicts the schema.

Every operation of the schema, anonymous and authenticated, with a few generated examples
each (no shrinking, no example database) so the run costs about a minute, not ten. Checks:
no 5xx, every documented answer matches its schema, every answer has a documented content
type. The feed's own operation (GET /api/posts/) is left to the feed's tests while its
engine is being rewritten elsewhere.

Hypothesis never generates lone surrogates, so a second, schema-driven test puts one
(`"\\ud800"`, as the JSON escape) in every property of every JSON request body the schema
names, and as a key: each is a 400, never a 500 (an operation added later is covered).
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from atelier.collective.tests.factories import ChannelFactory, CollectiveFactory, MemberFactory
from atelier.core.tests.factories import UserFactory
from atelier.post.tests.factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _load_schema():
    """The schema as /api/schema/ serves it, generated in process (no request needed)."""
    from drf_spectacular.generators import SchemaGenerator

    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    return loaded.exclude(operation_id=["feed"])


schema = _load_schema()
APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # As Django's test client does: requests must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def community(db):
    """A little data so that generated ids sometimes hit something."""
    ana = UserFactory(username="fuzz-ana")
    ben = UserFactory(username="fuzz-ben")
    collective = CollectiveFactory(visibility="public", created_by=ana)
    MemberFactory(collective=collective, user=ana, role="admin")
    ChannelFactory(collective=collective, name="general")
    for _ in range(3):
        PostFactory(author=ben)
    PostFactory(author=ana)  # one she may edit (PATCH /api/posts/{id}/)
    return Token.objects.create(user=ana).key


FUZZ = settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)


@schema.parametrize()
@FUZZ
def test_anonymous(case, community):
    case.call_and_validate(app=APP, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_authenticated(case, community):
    case.call_and_validate(app=APP, headers={"Authorization": f"Token {community}"}, checks=CHECKS)


# --- Lone surrogates in every field of every JSON body the schema names -------------------

SURROGATE = "\ud800"
# Which object a path's {id} names, by the path's start.
ID_OWNERS = {
    "/api/collectives/": "collective",
    "/api/galleries/": "gallery",
    "/api/posts/": "post",
    "/api/media/": "media",
    "/api/moderation/": "decision",  # a decision or an appeal: the body is read first
}


def _component(document: dict, node: dict) -> dict:
    """`node` with its $ref (and a single allOf) followed."""
    while True:
        if "$ref" in node:
            target = document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        elif "allOf" in node and len(node["allOf"]) == 1:
            node = node["allOf"][0]
        else:
            return node


def _surrogate_value(document: dict, node: dict):
    """A value of the property's shape with a lone surrogate in every string it can hold."""
    node = _component(document, node)
    if node.get("type") == "array":
        return [_surrogate_value(document, node.get("items", {}))]
    if node.get("type") == "object" and node.get("properties"):
        return {name: _surrogate_value(document, prop) for name, prop in node["properties"].items()}
    return SURROGATE  # strings, enums; and for numbers a wrong type holding one


def _json_body_cases() -> list:
    from drf_spectacular.generators import SchemaGenerator

    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    cases = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _component(document, content["application/json"]["schema"])
            for name, prop in body.get("properties", {}).items():
                if prop.get("readOnly"):
                    continue
                value = _surrogate_value(document, prop)
                cases.append(pytest.param(method, path, name, value, id=f"{method} {path} {name}"))
            cases.append(
                pytest.param(method, path, None, None, id=f"{method} {path} <key>"),
            )
    return cases


@pytest.fixture
def owned(community):
    """An object of each kind the fuzzed user may write to, by the name ID_OWNERS uses."""
    from atelier.collective.models import Collective
    from atelier.gallery.models import Gallery
    from atelier.post.models import Post

    ana = Token.objects.get(key=community).user
    return {
        "collective": Collective.objects.filter(created_by=ana).first().pk,
        "gallery": Gallery.objects.create(creator=ana, title="fuzz").pk,
        # Hers: the author's edit (PATCH) answers anyone else 403 before reading the body.
        "post": Post.objects.get(author=ana).pk,
        "decision": 1,
        # Her upload: describing someone else's is a 403 before the body is read.
        "media": _upload_of(ana).pk,
    }


def _upload_of(user):
    from PIL import Image

    from atelier.media import processing
    from atelier.media.services import media_store_processed

    processed = processing.variants(Image.new("RGB", (20, 20), (9, 9, 9)))
    return media_store_processed(owner_id=user.pk, processed=processed)


@pytest.mark.parametrize("method, path, field, value", _json_body_cases())
def test_a_lone_surrogate_in_any_field_is_a_400(community, owned, method, path, field, value):
    from rest_framework.test import APIClient

    owner = next((kind for start, kind in ID_OWNERS.items() if path.startswith(start)), None)
    url = path.replace("{id}", str(owned[owner])) if "{id}" in path else path
    # None: the surrogate is a key of the body, not a value.
    body = {SURROGATE: 1} if field is None else {field: value}
    client = APIClient()
    if path.startswith("/api/moderation/"):
        # Staff paths answer a member 404 before reading the body (docs/moderation.md).
        staff = UserFactory(username="fuzz-staff", is_staff=True)
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    elif not path.startswith("/api/auth/"):
        client.credentials(HTTP_AUTHORIZATION=f"Token {community}")

    # json.dumps sends the surrogate as the escape "\ud800", as a client would.
    response = client.generic(
        method.upper(), url, json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    assert (field or "detail") in response.json()
