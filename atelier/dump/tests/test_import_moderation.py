"""import_community and moderation (docs/moderation.md): its records, its states, older
dumps without them, and the lines it refuses."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError
from django.db import DatabaseError, connection, transaction

from atelier.collective.models import Collective
from atelier.core.models import User
from atelier.dump.tests.test_import import T, assert_nothing_imported, community, import_dump
from atelier.moderation.models import Appeal, AuditEntry, AuditLogImmutable, Decision, Report
from atelier.post.models import Comment, Critique, Post

pytestmark = pytest.mark.django_db

LATER = "2026-01-02T10:00:00Z"


def moderated() -> list[dict]:
    """community() with moderation's states on its records and one record of each kind."""
    records = community()
    by_key = {(r["kind"], r.get("id")): r for r in records}
    by_key[("user", 30)]["suspended_at"] = LATER  # cleo: "is_active" left out
    by_key[("user", 20)]["limited_at"] = LATER
    by_key[("collective", 7)]["removed_at"] = LATER
    by_key[("post", 100)]["removed_at"] = LATER
    by_key[("post", 200)]["content_warning"] = "Flash"
    by_key[("comment", 5)]["removed_at"] = LATER
    by_key[("critique", 9)]["content_warning"] = "Spoilers"
    return [
        *records,
        {"kind": "user", "id": 40, "username": "mod", "artist_type": "other",
         "date_joined": T, "is_staff": True},
        {"kind": "decision", "id": 3, "actor": 40, "target_type": "post", "target_id": 100,
         "affected_user": 10, "action": "remove", "category": "spam", "reason": "Ads",
         "created_at": LATER},
        {"kind": "decision", "id": 4, "actor": None, "target_type": "post", "target_id": 200,
         "affected_user": 20, "action": "mark_sensitive", "category": "other",
         "reason": "Flash", "previous": {"content_warning": None}, "created_at": LATER,
         "reversed_at": LATER},
        {"kind": "decision", "id": 5, "actor": 40, "target_type": "user", "target_id": 20,
         "affected_user": 20, "action": "limit", "category": "spam", "reason": "Ads",
         "created_at": LATER},
        {"kind": "report", "id": 8, "reporter": 20, "target_type": "post", "target_id": 100,
         "target_user": 10, "category": "spam", "text": "ads",
         "snapshot": {"title": "Tide", "body": ""}, "status": "resolved", "decision": 3,
         "created_at": T, "updated_at": LATER},
        {"kind": "report", "id": 9, "reporter": 10, "target_type": "user", "target_id": 999,
         "category": "other", "status": "open", "created_at": T},
        {"kind": "appeal", "id": 2, "decision": 3, "appellant": 10, "text": "Mine",
         "created_at": LATER, "outcome": "uphold", "reason": "No", "decided_by": 40,
         "decided_at": LATER},
        {"kind": "appeal", "id": 3, "decision": 4, "appellant": 20, "text": "Later",
         "created_at": LATER},
        {"kind": "audit_entry", "id": 11, "actor": 40, "actor_name": "mod", "action": "remove",
         "target_type": "post", "target_id": 100, "target_name": "Tide", "reason": "Ads",
         "created_at": LATER},
        {"kind": "audit_entry", "id": 12, "actor": None, "actor_name": "deleted-mod",
         "action": "mark_sensitive", "target_type": "post", "target_id": 200,
         "created_at": LATER},
    ]  # fmt: skip


def test_moderation_records_and_states_are_imported_with_their_ids(write_dump):
    output = import_dump(write_dump(moderated()))

    cleo = User.objects.get(id=30)
    assert cleo.suspended_at is not None and not cleo.is_active  # suspended: inactive
    assert authenticate(username="cleo", password="pw") is None
    assert User.objects.get(id=20).limited_at is not None
    assert Collective.objects.get(id=7).removed_at is not None
    assert Post.objects.get(id=100).removed_at is not None
    assert Post.objects.get(id=200).content_warning == "Flash"
    assert Comment.objects.get(id=5).removed_at is not None
    assert Critique.objects.get(id=9).content_warning == "Spoilers"
    report = Report.objects.get(id=8)
    assert (report.decision_id, report.status, report.snapshot["title"]) == (3, "resolved", "Tide")
    assert report.created_at.isoformat() != report.updated_at.isoformat()
    assert Report.objects.get(id=9).snapshot == {}  # loose target: kept as given
    assert Decision.objects.get(id=4).previous == {"content_warning": None}
    assert Decision.objects.get(id=4).reversed_at is not None
    assert Appeal.objects.get(id=2).outcome == "uphold"
    assert Appeal.objects.get(id=3).outcome == ""
    entry = AuditEntry.objects.get(id=12)
    assert (entry.actor_id, entry.actor_name, entry.target_name) == (None, "deleted-mod", "")
    assert entry.created_at.isoformat().startswith("2026-01-02T10:00:00")
    assert "3 decisions" in output and "2 audit entries" in output


def test_a_dump_without_moderation_imports_with_nothing_moderated(write_dump):
    """Older dumps (before moderation) have none of its fields or kinds."""
    import_dump(write_dump(community()))

    assert set(User.objects.values_list("is_active", "suspended_at", "limited_at")) == {
        (True, None, None)
    }
    assert set(Post.objects.values_list("removed_at", "content_warning")) == {(None, None)}
    assert not Decision.objects.exists() and not AuditEntry.objects.exists()


def test_ids_after_an_import_continue_past_the_imported_ones(write_dump):
    import_dump(write_dump(moderated()))

    decision = Decision.objects.create(
        target_type="post", target_id=100, action="restore", category="other"
    )
    report = Report.objects.create(
        reporter_id=10, target_type="post", target_id=200, category="spam", status="resolved"
    )
    entry = AuditEntry.objects.create(
        actor_name="mod", action="restore", target_type="post", target_id=100
    )
    assert (decision.id, report.id, entry.id) == (6, 10, 13)


def test_the_imported_audit_log_stays_append_only(write_dump):
    import_dump(write_dump(moderated()))

    entry = AuditEntry.objects.get(id=11)
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.filter(id=11).delete()
    if connection.vendor == "postgresql":  # the trigger survived the import's DDL
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE moderation_auditentry SET reason = 'x' WHERE id = 11")


def test_a_database_with_only_an_audit_log_left_is_not_empty(write_dump):
    AuditEntry.objects.create(actor_name="mod", action="warn", target_type="user", target_id=1)

    with pytest.raises(CommandError, match="not empty.*audit entries"):
        import_dump(write_dump(community()))


BAD_MODERATION_LINES = {
    "suspended but active": {"kind": "user", "id": 50, "username": "dora",
                             "artist_type": "writer", "date_joined": T, "is_active": True,
                             "suspended_at": T},
    "warning too long": {"kind": "post", "id": 300, "author": 10, "post_type": "poem",
                         "title": "t", "created_at": T, "content_warning": "x" * 201},
    "warning not text": {"kind": "comment", "id": 7, "user": 10, "post": 200, "text": "x",
                         "created_at": T, "content_warning": True},
    "bad removed_at": {"kind": "collective", "id": 8, "name": "X", "visibility": "public",
                       "created_by": 10, "created_at": T, "removed_at": "soon"},
    "unknown action": {"kind": "decision", "id": 6, "actor": 40, "target_type": "post",
                       "target_id": 1, "action": "ban", "category": "spam", "created_at": T},
    "unknown target type": {"kind": "decision", "id": 6, "actor": 40, "target_type": "tag",
                            "target_id": 1, "action": "remove", "category": "spam",
                            "created_at": T},
    "unknown category": {"kind": "report", "id": 20, "reporter": 10, "target_type": "post",
                         "target_id": 1, "category": "rude", "status": "open",
                         "created_at": T},
    "unknown actor": {"kind": "decision", "id": 6, "actor": 99, "target_type": "post",
                      "target_id": 1, "action": "remove", "category": "spam", "created_at": T},
    "duplicate decision": {"kind": "decision", "id": 3, "actor": 40, "target_type": "post",
                           "target_id": 1, "action": "warn", "category": "spam",
                           "created_at": T},
    "previous not an object": {"kind": "decision", "id": 6, "actor": 40,
                               "target_type": "post", "target_id": 1, "action": "remove",
                               "category": "spam", "previous": ["x"], "created_at": T},
    "NUL in a snapshot": {"kind": "report", "id": 20, "reporter": 10, "target_type": "post",
                          "target_id": 1, "category": "spam", "status": "open",
                          "snapshot": {"title": ["a\u0000"]}, "created_at": T},
    "unknown decision": {"kind": "report", "id": 20, "reporter": 10, "target_type": "post",
                         "target_id": 1, "category": "spam", "status": "resolved",
                         "decision": 77, "created_at": T},
    "unknown reporter": {"kind": "report", "id": 20, "reporter": 99, "target_type": "post",
                         "target_id": 1, "category": "spam", "status": "open",
                         "created_at": T},
    "second open report": {"kind": "report", "id": 20, "reporter": 10, "target_type": "user",
                           "target_id": 999, "category": "spam", "status": "open",
                           "created_at": T},
    "duplicate report": {"kind": "report", "id": 8, "reporter": 30, "target_type": "post",
                         "target_id": 1, "category": "spam", "status": "dismissed",
                         "created_at": T},
    "second appeal": {"kind": "appeal", "id": 4, "decision": 3, "appellant": 10,
                      "text": "Again", "created_at": T},
    "appeal of a missing decision": {"kind": "appeal", "id": 4, "decision": 77,
                                     "appellant": 10, "text": "x", "created_at": T},
    "outcome without a time": {"kind": "appeal", "id": 4, "decision": 5, "appellant": 10,
                               "text": "x", "created_at": T, "outcome": "reverse"},
    "unknown outcome": {"kind": "appeal", "id": 4, "decision": 5, "appellant": 10,
                        "text": "x", "created_at": T, "outcome": "maybe", "decided_at": T},
    "audit entry without an action": {"kind": "audit_entry", "id": 13, "actor": 40,
                                      "actor_name": "mod", "action": "",
                                      "target_type": "post", "target_id": 1,
                                      "created_at": T},
    "duplicate audit entry": {"kind": "audit_entry", "id": 11, "actor": 40,
                              "actor_name": "mod", "action": "warn", "target_type": "user",
                              "target_id": 1, "created_at": T},
    "audit entry by a missing actor": {"kind": "audit_entry", "id": 13, "actor": 99,
                                       "actor_name": "x", "action": "warn",
                                       "target_type": "user", "target_id": 1,
                                       "created_at": T},
}  # fmt: skip


# What each bad line is refused for (the start of its message).
REFUSED_FOR = {
    "suspended but active": 'user has "suspended_at" but "is_active" true',
    "warning too long": 'post "content_warning" is longer than 200 characters',
    "warning not text": 'comment "content_warning" must be a string',
    "bad removed_at": 'collective "removed_at" is not an ISO 8601 time',
    "unknown action": 'decision "action" must be one of',
    "unknown target type": 'decision "target_type" must be one of',
    "unknown category": 'report "category" must be one of',
    "unknown actor": "decision refers to user 99, which no earlier line defines",
    "duplicate decision": "duplicate decision id 3",
    "previous not an object": 'decision "previous" must be a JSON object',
    "NUL in a snapshot": 'report "snapshot" contains a NUL character',
    "unknown decision": "report refers to decision 77, which no earlier line defines",
    "unknown reporter": "report refers to user 99, which no earlier line defines",
    "second open report": "user 10 already has an open report on user 999",
    "duplicate report": "duplicate report id 8",
    "second appeal": "decision 3 is already appealed",
    "appeal of a missing decision": "appeal refers to decision 77, which no earlier line",
    "outcome without a time": 'appeal needs both "outcome" and "decided_at", or neither',
    "unknown outcome": 'appeal "outcome" must be one of',
    "audit entry without an action": 'audit_entry "action" must not be empty',
    "duplicate audit entry": "duplicate audit entry id 11",
    "audit entry by a missing actor": "audit_entry refers to user 99, which no earlier line",
}


@pytest.mark.parametrize("name", BAD_MODERATION_LINES)
def test_a_bad_moderation_line_aborts_with_its_number_and_writes_nothing(write_dump, name):
    records = moderated()
    bad_line = len(records) + 1
    # --batch-size 1: the rows before it are written already, so this proves the rollback.
    path = write_dump([*records, BAD_MODERATION_LINES[name]])

    with pytest.raises(CommandError) as refused:
        import_dump(path, "--batch-size", "1")
    message = str(refused.value)
    assert f"line {bad_line}: {REFUSED_FOR[name]}" in message, message
    assert message.endswith("nothing was imported")
    assert_nothing_imported()
    for model in (Decision, Report, Appeal, AuditEntry):
        assert not model.objects.exists(), model
