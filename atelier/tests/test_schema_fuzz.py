"""Schemathesis against /api/schema/: no 5xx, no answer that contradicts the schema.

Every operation of the schema, anonymous and authenticated, with a few generated examples
each (no shrinking, no example database) so the run costs about a minute, not ten. Checks:
no 5xx, every documented answer matches its schema, every answer has a documented content
type. The feed's own operation (GET /api/posts/) is left to the feed's tests while its
engine is being rewritten elsewhere.
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
