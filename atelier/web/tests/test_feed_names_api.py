"""GET /api/feed/names/: collective and channel names for the feed's cards."""

import pytest

from atelier.collective.models import Collective
from atelier.collective.tests.factories import ChannelFactory, CollectiveFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(ana):
    """A public collective (Inkers) and a private one (Vault) that Ana belongs to."""
    inkers = CollectiveFactory(name="Inkers")
    vault = CollectiveFactory(name="Vault", visibility=Collective.Visibility.PRIVATE)
    MemberFactory(collective=vault, user=ana)
    return {
        "inkers": inkers,
        "vault": vault,
        "inkers_general": ChannelFactory(collective=inkers, name="general"),
        "vault_secret": ChannelFactory(collective=vault, name="secret"),
    }


def _url(places, *names, channels=()):
    collectives = ",".join(str(places[n].pk) for n in names)
    chans = ",".join(str(places[n].pk) for n in channels)
    return f"/api/feed/names/?collectives={collectives}&channels={chans}"


def test_a_member_gets_the_names_of_public_and_own_collectives(ana_client, places):
    response = ana_client.get(_url(places, "inkers", "vault", channels=["vault_secret"]))

    assert response.status_code == 200
    assert response.json() == {
        "collectives": {str(places["inkers"].pk): "Inkers", str(places["vault"].pk): "Vault"},
        "channels": {str(places["vault_secret"].pk): "secret"},
    }


def test_a_private_collective_and_its_channels_are_left_out_for_others(ben_client, places):
    response = ben_client.get(
        _url(places, "inkers", "vault", channels=["inkers_general", "vault_secret"])
    )

    assert response.json() == {
        "collectives": {str(places["inkers"].pk): "Inkers"},
        "channels": {str(places["inkers_general"].pk): "general"},
    }


def test_a_visitor_gets_public_names_only(anon_client, places):
    response = anon_client.get(_url(places, "inkers", "vault", channels=["vault_secret"]))

    assert response.status_code == 200
    assert response.json() == {"collectives": {str(places["inkers"].pk): "Inkers"}, "channels": {}}


def test_unknown_ids_and_no_ids_are_simply_empty(anon_client):
    assert anon_client.get("/api/feed/names/?collectives=999999").json() == {
        "collectives": {},
        "channels": {},
    }
    assert anon_client.get("/api/feed/names/?collectives=&channels=").json() == {
        "collectives": {},
        "channels": {},
    }


@pytest.mark.parametrize(
    "query",
    [
        "collectives=abc",
        "collectives=1,-2",
        "channels=0",
        "collectives=²",
        "collectives=99999999999999999999999",
        "collectives=" + ",".join(str(i) for i in range(1, 102)),
    ],
)
def test_malformed_ids_are_a_400(anon_client, query):
    response = anon_client.get(f"/api/feed/names/?{query}")

    assert response.status_code == 400
    assert set(response.json()) <= {"collectives", "channels"}


def test_its_cost_does_not_grow_with_the_number_of_ids(
    ana_client, places, django_assert_num_queries
):
    more = [CollectiveFactory(name=f"C{i}") for i in range(5)]
    ids = ",".join(str(c.pk) for c in [places["inkers"], places["vault"], *more])
    channels = f"{places['inkers_general'].pk},{places['vault_secret'].pk}"

    # Token auth, the collectives, the channels (the visibility rule is a subquery).
    with django_assert_num_queries(3):
        response = ana_client.get(f"/api/feed/names/?collectives={ids}&channels={channels}")

    assert len(response.json()["collectives"]) == 7
