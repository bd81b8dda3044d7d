"""A collective's moderators and bans in the community dump: they round-trip, a ban still
holds after an import, and lines that contradict the memberships are refused."""

import io

import pytest
from django.core.management import CommandError, call_command

from atelier.collective.models import CollectiveBan, CollectiveMember, CollectiveModerator
from atelier.collective.services import (
    Banned,
    collective_create,
    collective_join,
    collective_member_add,
    member_ban,
    moderator_add,
)
from atelier.core.models import User
from atelier.core.tests.factories import UserFactory
from atelier.dump.tests.helpers import empty_the_database, read_dump

pytestmark = pytest.mark.django_db

T = "2026-01-01T10:00:00Z"


def _rows() -> tuple[list, list]:
    moderators = list(
        CollectiveModerator.objects.order_by("id").values_list(
            "collective_id", "user_id", "appointed_by_id", "created_at"
        )
    )
    bans = list(
        CollectiveBan.objects.order_by("id").values_list(
            "collective_id", "user_id", "banned_by_id", "reason", "created_at"
        )
    )
    return moderators, bans


def test_moderators_and_bans_round_trip_and_a_ban_still_holds(tmp_path):
    ana, ben, cleo, dora = (UserFactory(username=n) for n in ("ana", "ben", "cleo", "dora"))
    inkers = collective_create(creator=ana, name="Inkers", visibility="public")
    for user in (ben, cleo):
        collective_member_add(collective=inkers, user=user)
    moderator_add(collective=inkers, user=ben, appointed_by=ana)
    member_ban(collective=inkers, user=cleo, banned_by=ben, reason="Spam ✶ in every channel")
    member_ban(collective=inkers, user=dora, banned_by=None, reason="Kept out")
    before = _rows()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    call_command("export_community", str(first), stdout=io.StringIO())

    records = [r for r in read_dump(first) if r["kind"] in ("moderator", "ban")]
    assert [r["kind"] for r in records] == ["moderator", "ban", "ban"]
    assert records[0]["appointed_by"] == ana.id
    assert "banned_by" not in records[2]  # unknown: left out, as optional fields are

    empty_the_database()
    call_command("import_community", str(first), stdout=io.StringIO())
    call_command("export_community", str(second), stdout=io.StringIO())

    assert read_dump(second) == read_dump(first)
    assert _rows() == before
    cleo = User.objects.get(username="cleo")
    with pytest.raises(Banned):
        collective_join(collective=inkers, user=cleo)
    assert not CollectiveMember.objects.filter(user=cleo).exists()


def _community() -> list[dict]:
    return [
        {"kind": "user", "id": 10, "username": "ana", "artist_type": "writer", "date_joined": T},
        {"kind": "user", "id": 20, "username": "ben", "artist_type": "writer", "date_joined": T},
        {"kind": "user", "id": 30, "username": "cleo", "artist_type": "writer", "date_joined": T},
        {"kind": "collective", "id": 7, "name": "Inkers", "visibility": "public",
         "created_by": 10, "created_at": T},
        {"kind": "member", "user": 10, "collective": 7, "role": "admin", "joined_at": T},
        {"kind": "member", "user": 20, "collective": 7, "role": "member", "joined_at": T},
        {"kind": "moderator", "user": 20, "collective": 7, "appointed_by": 10, "created_at": T},
        {"kind": "ban", "user": 30, "collective": 7, "banned_by": 20, "reason": "Spam",
         "created_at": T},
    ]  # fmt: skip


BAD_LINES = {
    "a moderator who is not a member": (
        {"kind": "moderator", "user": 30, "collective": 7, "created_at": T},
        "moderator 30 is not a member of collective 7",
    ),
    "a moderator twice": (
        {"kind": "moderator", "user": 20, "collective": 7, "created_at": T},
        "user 20 already moderates collective 7",
    ),
    "a ban of a member": (
        {"kind": "ban", "user": 20, "collective": 7, "reason": "x", "created_at": T},
        "user 20 is banned from collective 7 but a member",
    ),
    "a ban twice": (
        {"kind": "ban", "user": 30, "collective": 7, "reason": "x", "created_at": T},
        "duplicate ban of user 30 from 7",
    ),
    "a banned user's membership": (
        {"kind": "member", "user": 30, "collective": 7, "role": "member", "joined_at": T},
        "user 30 is banned from collective 7",
    ),
    "a ban without a reason": (
        {"kind": "ban", "user": 10, "collective": 7, "reason": "", "created_at": T},
        'ban "reason" must not be empty',
    ),
    "a ban by an unknown user": (
        {"kind": "ban", "user": 10, "collective": 7, "banned_by": 99, "reason": "x",
         "created_at": T},
        "ban refers to user 99",
    ),
    "a moderator of an unknown collective": (
        {"kind": "moderator", "user": 20, "collective": 8, "created_at": T},
        "moderator refers to collective 8",
    ),
}  # fmt: skip


@pytest.mark.parametrize("bad, message", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_a_line_that_contradicts_the_memberships_is_refused(write_dump, bad, message):
    records = _community()
    path = write_dump([*records, bad])

    with pytest.raises(CommandError, match=rf"line {len(records) + 1}: {message}"):
        call_command("import_community", str(path), stdout=io.StringIO())
    assert not User.objects.exists()
    assert not CollectiveBan.objects.exists() and not CollectiveModerator.objects.exists()


def test_the_valid_lines_import(write_dump):
    call_command("import_community", str(write_dump(_community())), stdout=io.StringIO())
    assert _rows()[0][0][:3] == (7, 20, 10)
    assert _rows()[1][0][:4] == (7, 30, 20, "Spam")
