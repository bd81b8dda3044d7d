"""Staff change the ranking configuration in the admin: every number, versioned on save."""

from pathlib import Path

import pytest
from django.conf import settings
from django.forms.models import model_to_dict

from atelier.core.tests.factories import UserFactory
from atelier.feed.admin import RankingConfigAdmin
from atelier.feed.components import COMPONENTS
from atelier.feed.config import load_ranking
from atelier.feed.models import RankingConfig

pytestmark = pytest.mark.django_db

URL = "/admin/feed/rankingconfig/1/change/"
PER_REACTION = [
    "engagement_per_heart",
    "engagement_per_praise",
    "engagement_per_trophy",
    "engagement_per_comment",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def form(**changes) -> dict:
    """The change form as the admin would post it back, with `changes`."""
    row = RankingConfig.objects.get(pk=1)
    data = model_to_dict(row, exclude=["id", "version", "updated_at"])
    return {**data, **changes}


def test_the_points_per_reaction_are_on_the_form():
    shown = [name for _, box in RankingConfigAdmin.fieldsets for name in box["fields"]]
    editable = {f.name for f in RankingConfig._meta.fields if f.editable} - {"id", "updated_at"}

    assert set(PER_REACTION) <= set(shown)
    assert editable <= set(shown)


def test_a_praise_worth_more_is_saved_with_a_new_version(
    admin_client, django_capture_on_commit_callbacks
):
    before = load_ranking()  # also makes the row, and caches it
    assert admin_client.get(URL).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(URL, form(engagement_per_praise=4.0))

    assert response.status_code == 302, response.content
    after = load_ranking()
    assert after.engagement_per_praise == 4.0
    assert after.version == before.version + 1


def test_a_negative_points_per_reaction_is_refused(admin_client):
    before = load_ranking()

    response = admin_client.post(URL, form(engagement_per_trophy=-1))

    assert response.status_code == 200
    assert b"engagement_per_trophy" in response.content
    assert RankingConfig.objects.get(pk=1).engagement_per_trophy == 5.0
    assert load_ranking().version == before.version


def test_every_number_and_component_is_documented():
    """docs/ranking.md names every field staff can change and every component."""
    text = (Path(settings.BASE_DIR) / "docs" / "ranking.md").read_text()
    editable = {f.name for f in RankingConfig._meta.fields if f.editable} - {"id", "updated_at"}
    weights = {name for name in editable if name.startswith("weight_")}

    assert [name for name in sorted(editable - weights) if f"`{name}`" not in text] == []
    assert [c.name for c in COMPONENTS if f"| `{c.name}` |" not in text] == []
    assert {f"weight_{c.name}" for c in COMPONENTS} == weights
