"""The Django admin of collectives: pages render without N+1, memberships keep the counter."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from atelier.collective.models import CollectiveMember
from atelier.collective.services import collective_create, collective_member_add
from atelier.collective.tests.conftest import counted_members
from atelier.core.tests.factories import UserFactory


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", ["collective", "channel", "collectivemember"])
def test_changelists_do_not_grow_with_rows(staff_client, model):
    owner = UserFactory(username="owner")

    def add_collectives(count: int) -> None:
        for _ in range(count):
            collective = collective_create(creator=owner, name="C", visibility="public")
            collective_member_add(collective=collective, user=UserFactory())

    url = f"/admin/collective/{model}/"
    add_collectives(1)
    few = _queries_for(staff_client, url)
    add_collectives(8)

    assert _queries_for(staff_client, url) == few


def test_adding_a_membership_in_the_admin_counts_it(inkers, cleo, staff_client):
    response = staff_client.post(
        "/admin/collective/collectivemember/add/",
        {"collective": inkers.id, "user": cleo.id, "role": "member"},
    )

    assert response.status_code == 302
    assert CollectiveMember.objects.filter(collective=inkers, user=cleo).exists()
    assert counted_members(inkers) == (3, 3)


def test_deleting_memberships_in_the_admin_uncounts_them(inkers, staff_client):
    ids = list(inkers.members.values_list("id", flat=True))

    response = staff_client.post(
        "/admin/collective/collectivemember/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert response.status_code == 302
    assert counted_members(inkers) == (0, 0)


def test_collective_change_page_renders(inkers, staff_client):
    assert staff_client.get(f"/admin/collective/collective/{inkers.id}/change/").status_code == 200
