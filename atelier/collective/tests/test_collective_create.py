"""POST /api/collectives/: create a collective, its admin and its `general` channel."""

import pytest

from atelier.collective.models import Channel, Collective, CollectiveMember
from atelier.collective.services import collective_create
from atelier.core import versions

URL = "/api/collectives/"


def test_create_makes_creator_admin_and_general_channel(ana, ana_client):
    response = ana_client.post(URL, {"name": "  Inkers  ", "visibility": "private"}, format="json")

    assert response.status_code == 201
    body = response.json()
    collective = Collective.objects.get()
    channel = Channel.objects.get()
    assert body == {
        "id": collective.id,
        "name": "Inkers",
        "visibility": "private",
        "members_count": 1,
        "channels": [{"id": channel.id, "name": "general"}],
        "created_at": body["created_at"],
        "role": "admin",
    }
    assert body["created_at"].endswith("Z")
    member = CollectiveMember.objects.get()
    assert (member.user_id, member.collective_id, member.role) == (ana.id, collective.id, "admin")
    assert collective.created_by_id == ana.id
    assert collective.members_count == 1


def test_visibility_defaults_to_public(ana_client):
    response = ana_client.post(URL, {"name": "Inkers"}, format="json")

    assert response.status_code == 201
    assert response.json()["visibility"] == "public"


def test_create_bumps_the_creators_feed_version(
    ana, ana_client, django_capture_on_commit_callbacks
):
    before = versions.read(ana.id)[0]
    with django_capture_on_commit_callbacks(execute=True):
        ana_client.post(URL, {"name": "Inkers"}, format="json")

    assert versions.read(ana.id)[0] > before


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": None}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": ["Inkers"]}, "name"),
        ({"name": "Inkers", "visibility": "secret"}, "visibility"),
        ({"name": "Inkers", "visibility": None}, "visibility"),
    ],
)
def test_bad_input_is_400_and_writes_nothing(ana_client, payload, field):
    response = ana_client.post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Collective.objects.exists()


def test_name_of_100_characters_is_accepted(ana_client):
    response = ana_client.post(URL, {"name": "x" * 100}, format="json")

    assert response.status_code == 201


def test_malformed_json_is_400(ana_client):
    response = ana_client.post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400


def test_anonymous_is_401(anon_client, db):
    response = anon_client.post(URL, {"name": "Inkers"}, format="json")

    assert response.status_code == 401
    assert not Collective.objects.exists()


def test_create_is_atomic(ana, monkeypatch):
    """If the admin membership cannot be written, neither the collective nor its channel is."""

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("atelier.collective.services._member_add", broken)

    with pytest.raises(RuntimeError):
        collective_create(creator=ana, name="Inkers", visibility="public")

    assert not Collective.objects.exists()
    assert not Channel.objects.exists()
