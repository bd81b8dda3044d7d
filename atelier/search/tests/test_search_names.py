"""Searching people and collectives by name: who and what may be found, and in what order."""

import pytest
from django.db import connection
from django.utils import timezone

from atelier.collective.tests.factories import CollectiveFactory, MemberFactory
from atelier.core.tests.factories import BlockFactory, UserFactory
from atelier.search import selectors
from atelier.search.query import parse

pytestmark = pytest.mark.django_db


def people(viewer, q: str) -> list[str]:
    page = selectors.search_people(viewer, parse(q), offset=0, limit=50)
    return [user.username for user in page.results]


def collectives(viewer, q: str) -> list[str]:
    page = selectors.search_collectives(viewer, parse(q), offset=0, limit=50)
    return [collective.name for collective in page.results]


def test_people_are_found_by_part_of_their_name_exact_first_then_prefixes(ana):
    for name in ("mara_inks", "inkmara", "mara", "amara"):
        UserFactory(username=name)

    found = people(ana, "mara")
    assert found[:2] == ["mara", "mara_inks"]
    assert sorted(found[2:]) == ["amara", "inkmara"]
    assert set(people(ana, "MARA")) == {"mara", "mara_inks", "amara", "inkmara"}
    assert people(ana, "mara inks")[0] == "mara_inks"  # PostgreSQL adds near names after it
    assert people(ana, "@mara_inks")[0] == "mara_inks"


def test_people_search_leaves_out_the_suspended_the_inactive_and_blocks_either_way(ana, ben):
    UserFactory(username="ink_sue", suspended_at=timezone.now(), is_active=False)
    UserFactory(username="ink_gone", is_active=False)
    blocked = UserFactory(username="ink_blocked")
    blocker = UserFactory(username="ink_blocker")
    UserFactory(username="ink_ok")
    BlockFactory(blocker=ana, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=ana)

    assert people(ana, "ink") == ["ink_ok"]
    assert sorted(people(ben, "ink")) == ["ink_blocked", "ink_blocker", "ink_ok"]


def test_wildcards_in_a_name_query_are_letters(ana):
    UserFactory(username="a_b")
    UserFactory(username="axb")

    assert people(ana, "a_b") == ["a_b"]
    assert people(ana, "%") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm: typos on PostgreSQL")
def test_a_misspelt_name_is_found_on_postgresql(ana):
    UserFactory(username="marguerite")
    CollectiveFactory(name="Charcoal Society")

    assert people(ana, "margerite") == ["marguerite"]
    assert collectives(ana, "charcol society") == ["Charcoal Society"]


def test_collectives_public_or_mine_not_removed(ana):
    CollectiveFactory(name="Ink Public")
    CollectiveFactory(name="Ink Private", visibility="private")
    mine = CollectiveFactory(name="Ink Mine", visibility="private")
    MemberFactory(collective=mine, user=ana)
    CollectiveFactory(name="Ink Removed", removed_at=timezone.now())

    assert sorted(collectives(ana, "ink")) == ["Ink Mine", "Ink Public"]


def test_collectives_exact_name_first(ana):
    CollectiveFactory(name="The Ink Club")
    CollectiveFactory(name="Ink")
    CollectiveFactory(name="Inkwell")

    assert collectives(ana, "ink")[:2] == ["Ink", "Inkwell"]


def test_people_pages_and_their_count(ana):
    for i in range(5):
        UserFactory(username=f"inkling{i}")

    pages = [selectors.search_people(ana, parse("inkling"), offset=o, limit=2) for o in (0, 2, 4)]

    assert [len(p.results) for p in pages] == [2, 2, 1]
    assert {(p.count, p.count_exact) for p in pages} == {(5, True)}
    assert len({u.id for p in pages for u in p.results}) == 5
    past = selectors.search_people(ana, parse("inkling"), offset=6, limit=2)
    assert past.is_past_the_end(6)


def test_one_or_two_letters_begin_a_name(ana):
    for name in ("anouk", "joan", "bo"):
        UserFactory(username=name)

    assert people(ana, "an")[:2] == ["ana", "anouk"]
    assert "joan" not in people(ana, "an")
    assert "joan" in people(ana, "oan")
    assert people(ana, "b") == ["bo"]
