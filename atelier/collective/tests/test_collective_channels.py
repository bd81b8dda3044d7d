"""POST /api/collectives/{id}/channels/: admins add channels with names unique per collective."""

import pytest

from atelier.collective.models import Channel
from atelier.collective.services import channel_create
from atelier.core.exceptions import InvalidInput


def _url(collective_id) -> str:
    return f"/api/collectives/{collective_id}/channels/"


def _create(client, collective_id, name):
    return client.post(_url(collective_id), {"name": name}, format="json")


def test_admin_creates_channel(inkers, ana_client):
    response = _create(ana_client, inkers.id, "  sketches ")

    assert response.status_code == 201
    channel = Channel.objects.get(collective=inkers, name="sketches")
    assert response.json() == {"id": channel.id, "name": "sketches"}
    names = [c["name"] for c in ana_client.get(f"/api/collectives/{inkers.id}/").json()["channels"]]
    assert names == ["general", "sketches"]


def test_member_is_403(inkers, ben_client):
    assert _create(ben_client, inkers.id, "sketches").status_code == 403
    assert Channel.objects.filter(collective=inkers).count() == 1


def test_stranger_of_public_collective_is_403(inkers, cleo_client):
    assert _create(cleo_client, inkers.id, "sketches").status_code == 403


def test_stranger_of_private_collective_is_404(vault, cleo_client):
    assert _create(cleo_client, vault.id, "sketches").status_code == 404


def test_unknown_collective_is_404(ana_client, db):
    assert _create(ana_client, 99999999999999999999999, "sketches").status_code == 404


def test_anonymous_is_401(anon_client, inkers):
    assert _create(anon_client, inkers.id, "sketches").status_code == 401


@pytest.mark.parametrize("name", ["general", "General", "GENERAL"])
def test_duplicate_name_is_400(inkers, ana_client, name):
    response = _create(ana_client, inkers.id, name)

    assert response.status_code == 400
    assert "name" in response.json()
    assert Channel.objects.filter(collective=inkers).count() == 1


def test_same_name_in_another_collective_is_fine(inkers, vault, ana_client):
    assert _create(ana_client, vault.id, "sketches").status_code == 201
    assert _create(ana_client, inkers.id, "sketches").status_code == 201


@pytest.mark.parametrize(
    "payload", [{}, {"name": ""}, {"name": "   "}, {"name": None}, {"name": "x" * 101}]
)
def test_bad_name_is_400(inkers, ana_client, payload):
    response = ana_client.post(_url(inkers.id), payload, format="json")

    assert response.status_code == 400
    assert "name" in response.json()


def test_lost_race_on_the_unique_constraint_is_a_400_not_a_500(inkers, ana, monkeypatch):
    """Two admins creating the same name at once: the loser gets the duplicate error."""
    # Let the check miss, as it would for a request that read before the other committed.
    monkeypatch.setattr("atelier.collective.services._channel_name_taken", lambda **kw: False)

    with pytest.raises(InvalidInput) as raised:
        channel_create(collective=inkers, admin=ana, name="General")

    assert raised.value.field == "name"
    assert Channel.objects.filter(collective=inkers).count() == 1
    # the transaction is still usable after the failed insert
    Channel.objects.create(collective=inkers, name="after")
