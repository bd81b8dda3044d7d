"""/settings/: preferred kinds of post and artist, muted collectives, blocked members."""

import html

import pytest

from atelier.collective.preferences import preferences_of
from atelier.collective.tests.factories import CollectiveFactory, MemberFactory
from atelier.core.models import Block
from atelier.core.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def test_shows_and_saves_all_four_lists(client, ana, ben, cleo):
    mine = CollectiveFactory(name="Inkers")
    MemberFactory(collective=mine, user=ana)
    BlockFactory(blocker=ana, blocked=ben)
    BlockFactory(blocker=ana, blocked=cleo)
    client.force_login(ana)
    page = client.get("/settings/").content.decode()
    assert "Inkers" in page and "ben" in page and "cleo" in page

    response = client.post(
        "/settings/",
        {
            "preferred_post_types": ["poem", "image"],
            "preferred_artist_types": ["musician"],
            "muted_collectives": [str(mine.id)],
            "blocked_users": [str(ben.id)],  # cleo unticked: unblocked
        },
    )

    assert response.status_code == 302 and response["Location"] == "/settings/?saved=1"
    assert preferences_of(ana) == {
        "preferred_post_types": ["poem", "image"],
        "preferred_artist_types": ["musician"],
        "muted_collectives": [mine.id],
        "blocked_users": [ben.id],
        "show_sensitive_content": False,
    }
    assert not Block.objects.filter(blocker=ana, blocked=cleo).exists()
    assert "Saved." in client.get("/settings/?saved=1").content.decode()


@pytest.mark.parametrize(
    "form",
    [
        {"preferred_post_types": ["sculpture"]},
        {"preferred_artist_types": ["juggler"]},
        {"muted_collectives": ["abc"]},
        {"muted_collectives": ["987654"]},
        {"blocked_users": ["-1"]},
    ],
)
def test_bad_values_are_400_and_change_nothing(client, ana, form):
    client.force_login(ana)

    response = client.post("/settings/", form)

    assert response.status_code == 400
    assert preferences_of(ana)["preferred_post_types"] == []


def test_blocking_myself_is_refused(client, ana):
    client.force_login(ana)

    response = client.post("/settings/", {"blocked_users": [str(ana.id)]})

    assert response.status_code == 400
    assert "cannot block yourself" in response.content.decode()


def test_visitors_log_in_first(client):
    assert client.get("/settings/").status_code == 302


@pytest.mark.parametrize(
    "field, value",
    [
        ("preferred_post_types", "sculpture"),
        ("preferred_artist_types", "juggler"),
        ("muted_collectives", "987654"),
        ("blocked_users", "abc"),
    ],
)
def test_the_page_refuses_with_the_apis_message(client, ana_client, ana, field, value):
    lists = {
        "preferred_post_types": [],
        "preferred_artist_types": [],
        "muted_collectives": [],
        "blocked_users": [],
    }
    as_json = int(value) if value.isdigit() else value
    api = ana_client.put("/api/user/preferences/", {**lists, field: [as_json]}, format="json")
    client.force_login(ana)

    page = client.post("/settings/", {field: [value]})

    assert api.status_code == page.status_code == 400
    (message,) = _messages(api.json()[field])
    assert html.escape(message) in page.content.decode()


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    return detail
