"""Write the whole community as a dump: streaming, in dependency order, one snapshot.

Each kind is read with values_list(...).iterator(), ordered by id, so memory stays flat
and two exports of the same data are byte-identical. Optional fields are written only
when they differ from the importer's default, which keeps the file close to docs/api.md's
examples while still round-tripping every record.
"""

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.db.models import QuerySet

from atelier.collective.models import (
    Channel,
    Collective,
    CollectiveBan,
    CollectiveMember,
    CollectiveModerator,
)
from atelier.core.models import Block, User, UserFellow, UserPreference
from atelier.dump import records
from atelier.dump.records import describe_counts, format_time
from atelier.moderation.models import Appeal, AuditEntry, Decision, Report
from atelier.post.models import Appreciation, Comment, Critique, PinnedPost, Post, SeenPost

CHUNK_SIZE = 5_000


@dataclass(frozen=True)
class ExportResult:
    counts: Counter[str]
    records: int
    seconds: float

    def summary(self, path: str) -> str:
        """One line: what was written where, and how long it took."""
        return (
            f"Exported {self.records:,} records to {path} in {self.seconds:.1f} s: "
            f"{describe_counts(self.counts)}"
        )


def export_community(stream: TextIO) -> ExportResult:
    """Write every record of the database to `stream` as JSON Lines."""
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    write = stream.write
    # One snapshot, so a post created mid-export cannot appear as a dangling reference.
    # REPEATABLE READ must be the transaction's first statement, so only when we open it.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for record in community_records():
            write(encode(record))
            write("\n")
            counts[record["kind"]] += 1
    return ExportResult(
        counts=counts, records=counts.total(), seconds=time.perf_counter() - started
    )


def community_records() -> Iterator[dict[str, Any]]:
    """Yield every record, kind after kind in dependency order."""
    yield from _users()
    yield from _collectives()
    yield from _channels()
    yield from _members()
    yield from _moderators()
    yield from _bans()
    yield from _fellows()
    yield from _posts()
    yield from _appreciations()
    yield from _remarks("comment", Comment)
    yield from _remarks("critique", Critique)
    yield from _preferences()
    yield from _seen()
    yield from _pins()
    yield from _decisions()
    yield from _reports()
    yield from _appeals()
    yield from _audit_entries()


def _rows(queryset: QuerySet, *fields: str) -> Iterator[tuple]:
    return queryset.order_by("id").values_list(*fields).iterator(chunk_size=CHUNK_SIZE)


def _users() -> Iterator[dict[str, Any]]:
    fields = (
        "id", "username", "password", "artist_type", "date_joined", "email", "first_name",
        "last_name", "is_active", "is_staff", "is_superuser", "suspended_at", "limited_at",
        "display_name", "bio",
    )  # fmt: skip
    for (user_id, username, password, artist_type, date_joined, email, first_name, last_name,
         is_active, is_staff, is_superuser, suspended_at,
         limited_at, display_name, bio) in _rows(User.objects, *fields):  # fmt: skip
        record: dict[str, Any] = {"kind": "user", "id": user_id, "username": username}
        # An unusable password is random noise; leaving it out re-creates one on import.
        if password and not password.startswith(UNUSABLE_PASSWORD_PREFIX):
            record["password_hash"] = password
        record["artist_type"] = artist_type
        record["date_joined"] = format_time(date_joined)
        if email:
            record["email"] = email
        if first_name:
            record["first_name"] = first_name
        if last_name:
            record["last_name"] = last_name
        if not is_active:
            record["is_active"] = False
        if is_staff:
            record["is_staff"] = True
        if is_superuser:
            record["is_superuser"] = True
        if suspended_at is not None:
            record["suspended_at"] = format_time(suspended_at)
        if limited_at is not None:
            record["limited_at"] = format_time(limited_at)
        if display_name:
            record["display_name"] = display_name
        if bio:
            record["bio"] = bio
        yield record


def _collectives() -> Iterator[dict[str, Any]]:
    fields = ("id", "name", "visibility", "created_by_id", "created_at", "removed_at")
    for row in _rows(Collective.objects, *fields):
        yield records.collective_record(*row)


def _channels() -> Iterator[dict[str, Any]]:
    for row in _rows(Channel.objects, "id", "collective_id", "name"):
        yield records.channel_record(*row)


def _members() -> Iterator[dict[str, Any]]:
    for row in _rows(CollectiveMember.objects, "user_id", "collective_id", "role", "joined_at"):
        yield records.member_record(*row)


def _moderators() -> Iterator[dict[str, Any]]:
    fields = ("user_id", "collective_id", "appointed_by_id", "created_at")
    for row in _rows(CollectiveModerator.objects, *fields):
        yield records.moderator_record(*row)


def _bans() -> Iterator[dict[str, Any]]:
    fields = ("user_id", "collective_id", "banned_by_id", "reason", "created_at")
    for row in _rows(CollectiveBan.objects, *fields):
        yield records.ban_record(*row)


def _fellows() -> Iterator[dict[str, Any]]:
    fields = ("user_id", "fellow_user_id", "status", "created_at", "responded_at")
    for row in _rows(UserFellow.objects, *fields):
        yield records.fellow_record(*row)


def _posts() -> Iterator[dict[str, Any]]:
    fields = (
        "id", "author_id", "post_type", "title", "body", "channel_id", "created_at",
        "is_deleted", "deleted_at", "removed_at", "content_warning", "content_warning_by_staff",
    )  # fmt: skip
    for (*post, created_at, is_deleted, deleted_at, removed_at,
         warning, by_staff) in _rows(Post.objects, *fields):  # fmt: skip
        # The importer's rule for a deletion of unknown time, so the file is stable.
        deleted = (deleted_at or created_at) if is_deleted else None
        yield records.post_record(*post, created_at, deleted, removed_at, warning, by_staff)


def _appreciations() -> Iterator[dict[str, Any]]:
    for row in _rows(Appreciation.objects, "kind", "user_id", "post_id", "created_at"):
        yield records.appreciation_record(*row)


def _remarks(kind: str, model: type[Comment] | type[Critique]) -> Iterator[dict[str, Any]]:
    fields = (
        "id", "author_id", "post_id", "text", "created_at", "is_deleted", "removed_at",
        "content_warning",
    )  # fmt: skip
    if model is Critique:
        for row in _rows(model.objects, *fields):
            yield records.remark_record(kind, *row)
        return
    # The importer wants a reply's top comment on an earlier line: the top comments first,
    # then the replies (a reply only ever names a top comment, whatever the ids' order).
    for row in _rows(model.objects.filter(reply_to__isnull=True), *fields):
        yield records.remark_record(kind, *row)
    for row in _rows(model.objects.filter(reply_to__isnull=False), *fields, "reply_to_id"):
        yield records.remark_record(kind, *row)


def _preferences() -> Iterator[dict[str, Any]]:
    """One record per user with preferences or blocks (blocks travel in the preference)."""
    # Preferences are at most one per user: small enough to group in memory.
    preferences = {
        user_id: (preference_id, post_types, artist_types, show_sensitive)
        for (
            preference_id,
            user_id,
            post_types,
            artist_types,
            show_sensitive,
        ) in UserPreference.objects.values_list(
            "id",
            "user_id",
            "preferred_post_types",
            "preferred_artist_types",
            "show_sensitive_content",
        )
    }
    muted: defaultdict[int, list[int]] = defaultdict(list)
    through = UserPreference.muted_collectives.through
    for preference_id, collective_id in through.objects.order_by("collective_id").values_list(
        "userpreference_id", "collective_id"
    ):
        muted[preference_id].append(collective_id)
    blocked: defaultdict[int, list[int]] = defaultdict(list)
    for blocker_id, blocked_id in Block.objects.order_by("blocked_id").values_list(
        "blocker_id", "blocked_id"
    ):
        blocked[blocker_id].append(blocked_id)

    for user_id in sorted(preferences.keys() | blocked.keys()):
        preference_id, post_types, artist_types, show_sensitive = preferences.get(
            user_id, (None, [], [], False)
        )
        yield records.preference_record(
            user_id,
            post_types,
            artist_types,
            muted.get(preference_id, []),
            blocked.get(user_id, []),
            show_sensitive,
        )


def _pins() -> Iterator[dict[str, Any]]:
    for row in _rows(PinnedPost.objects, "user_id", "post_id", "position"):
        yield records.pin_record(*row)


def _seen() -> Iterator[dict[str, Any]]:
    for row in _rows(SeenPost.objects, "user_id", "post_id", "seen_at"):
        yield records.seen_record(*row)


# Moderation (docs/moderation.md): the export is the operator's full copy, so removed
# content, suspended members and every decision travel with their state, as the database
# keeps them for appeal and audit.


def _decisions() -> Iterator[dict[str, Any]]:
    fields = (
        "id", "actor_id", "target_type", "target_id", "affected_user_id", "action", "category",
        "reason", "previous", "created_at", "reversed_at",
    )  # fmt: skip
    for row in _rows(Decision.objects, *fields):
        yield records.decision_record(*row)


def _reports() -> Iterator[dict[str, Any]]:
    fields = (
        "id", "reporter_id", "target_type", "target_id", "target_user_id", "category", "text",
        "snapshot", "status", "decision_id", "created_at", "updated_at",
    )  # fmt: skip
    for row in _rows(Report.objects, *fields):
        yield records.report_record(*row)


def _appeals() -> Iterator[dict[str, Any]]:
    fields = (
        "id", "decision_id", "appellant_id", "text", "created_at", "outcome", "reason",
        "decided_by_id", "decided_at",
    )  # fmt: skip
    for row in _rows(Appeal.objects, *fields):
        yield records.appeal_record(*row)


def _audit_entries() -> Iterator[dict[str, Any]]:
    fields = (
        "id", "actor_id", "actor_name", "action", "target_type", "target_id", "target_name",
        "reason", "created_at",
    )  # fmt: skip
    for row in _rows(AuditEntry.objects, *fields):
        yield records.audit_entry_record(*row)
