"""Check one record of a community dump: its kind, its fields, their types and vocabularies.

This module knows nothing about the database or other records; references (does user 7
exist?) and uniqueness are the importer's job. `clean_record` turns a decoded JSON object
into a tuple of clean values in the order of `SCHEMAS[kind]`, or raises `DumpError`.
"""

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from atelier.collective.models import Collective, CollectiveMember
from atelier.core.choices import ArtistType, PostType
from atelier.core.models import UserFellow
from atelier.moderation.models import Action, Appeal, Category, Report, TargetType
from atelier.post.services import MAX_PINS

MAX_ID = 2**63 - 1  # a PostgreSQL bigint
MAX_REMARK_LENGTH = 10_000  # Remark.text's max_length, which the database does not enforce
CONTENT_WARNING_LENGTH = 200  # Post.content_warning's and the remarks' max_length
MAX_BAN_REASON_LENGTH = 2_000  # CollectiveBan.reason's max_length, likewise
APPRECIATION_KINDS = ("heart", "praise", "trophy")
REMARK_KINDS = ("comment", "critique")
# The dependency order: an exporter writes kinds in this order, so every reference points
# to an earlier line, which is what the importer requires.
# Moderation's records come last: they point at users, decisions at nothing earlier than
# themselves, reports at decisions, appeals at decisions, and their targets are loose ids.
MODERATION_KINDS = ("decision", "report", "appeal", "audit_entry")
KIND_ORDER = (
    "user", "collective", "channel", "member", "moderator", "ban", "fellow", "post",
    *APPRECIATION_KINDS, *REMARK_KINDS, "preference", "seen", "pin", *MODERATION_KINDS,
)  # fmt: skip

# Django's UnicodeUsernameValidator: what registration accepts, so every imported user
# could also have signed up.
_USERNAME = re.compile(r"^[\w.@+-]+\Z")


class DumpError(Exception):
    """A record of the dump is wrong; `line` is its 1-based line number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


# A check takes a raw JSON value and returns the clean value, or raises ValueError whose
# message completes the sentence 'field "x" ...'.
Check = Callable[[Any], Any]


def identifier(value: Any) -> int:
    # type() rather than isinstance(): JSON true must not pass as the id 1.
    if type(value) is not int or not 0 < value <= MAX_ID:
        raise ValueError(f"must be a positive integer id, got {value!r}")
    return value


def optional_identifier(value: Any) -> int | None:
    return None if value is None else identifier(value)


def timestamp(value: Any) -> datetime:
    if type(value) is not str:
        raise ValueError(f"must be an ISO 8601 time string, got {value!r}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"is not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"needs a UTC offset such as Z: {value!r}")
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def optional_timestamp(value: Any) -> datetime | None:
    return None if value is None else timestamp(value)


def boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError(f"must be true or false, got {value!r}")
    return value


def text(max_length: int | None = None, *, allow_empty: bool = True) -> Check:
    """Return a check for a string of at most `max_length` characters."""

    def check(value: Any) -> str:
        if type(value) is not str:
            raise ValueError(f"must be a string, got {value!r}")
        if not allow_empty and not value:
            raise ValueError("must not be empty")
        if max_length is not None and len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        # PostgreSQL text cannot hold NUL; say so here rather than fail mid-COPY.
        if "\x00" in value:
            raise ValueError("contains a NUL character")
        return value

    return check


def choice(values: Iterable[str]) -> Check:
    """Return a check for one of `values`."""
    allowed = frozenset(values)
    listed = ", ".join(sorted(allowed))

    def check(value: Any) -> str:
        if type(value) is not str or value not in allowed:
            raise ValueError(f"must be one of {listed}, got {value!r}")
        return value

    return check


def choice_list(values: Iterable[str]) -> Check:
    """Return a check for a list of distinct members of `values`."""
    one = choice(values)

    def check(value: Any) -> list[str]:
        if type(value) is not list:
            raise ValueError(f"must be a list, got {value!r}")
        items = [one(item) for item in value]
        if len(set(items)) != len(items):
            raise ValueError("lists a value twice")
        return items

    return check


def pin_position(value: Any) -> int:
    """A pinned post's place on the profile: 0, 1 or 2."""
    if type(value) is not int or not 0 <= value < MAX_PINS:
        raise ValueError(f"must be an integer from 0 to {MAX_PINS - 1}, got {value!r}")
    return value


def identifier_list(value: Any) -> list[int]:
    if type(value) is not list:
        raise ValueError(f"must be a list of ids, got {value!r}")
    items = [identifier(item) for item in value]
    if len(set(items)) != len(items):
        raise ValueError("lists an id twice")
    return items


def json_object(value: Any) -> dict:
    """A JSON object (a report's snapshot, a decision's `previous`), kept as it is."""
    if type(value) is not dict:
        raise ValueError(f"must be a JSON object, got {value!r}")
    if _holds_nul(value):
        # PostgreSQL's jsonb cannot hold NUL either; say so here rather than mid-COPY.
        raise ValueError("contains a NUL character")
    return value


def _holds_nul(value: Any) -> bool:
    if type(value) is str:
        return "\x00" in value
    if type(value) is dict:
        return any("\x00" in key or _holds_nul(item) for key, item in value.items())
    if type(value) is list:
        return any(_holds_nul(item) for item in value)
    return False


def username(value: Any) -> str:
    value = text(150, allow_empty=False)(value)
    if not _USERNAME.match(value):
        raise ValueError(f"may hold only letters, digits and @.+-_, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    check: Check
    required: bool = True
    default: Any = None


def optional_warning(value: Any) -> str | None:
    """A content warning (docs/moderation.md): text of at most 200 characters, or null."""
    return None if value is None else text(CONTENT_WARNING_LENGTH)(value)


def _appreciation() -> tuple[Field, ...]:
    return (Field("user", identifier), Field("post", identifier), Field("created_at", timestamp))


def _remark() -> tuple[Field, ...]:
    return (
        Field("id", identifier),
        Field("user", identifier),
        Field("post", identifier),
        Field("text", text(MAX_REMARK_LENGTH)),
        Field("created_at", timestamp),
        Field("is_deleted", boolean, False, False),
        Field("removed_at", optional_timestamp, False),
        Field("content_warning", optional_warning, False),
    )


# Every kind and its fields, in the order clean_record returns their values. Optional
# fields beyond docs/api.md's examples carry what a round trip needs (staff flags, deletion
# and response times); an exporter writes them only when they differ from the default.
SCHEMAS: dict[str, tuple[Field, ...]] = {
    "user": (
        Field("id", identifier),
        Field("username", username),
        Field("password", text(allow_empty=False), False),
        Field("password_hash", text(128, allow_empty=False), False),
        Field("artist_type", choice(ArtistType.values)),
        Field("date_joined", timestamp),
        Field("email", text(254), False, ""),
        Field("first_name", text(150), False, ""),
        Field("last_name", text(150), False, ""),
        # None when absent: active unless suspended (the importer settles it).
        Field("is_active", boolean, False),
        Field("is_staff", boolean, False, False),
        Field("is_superuser", boolean, False, False),
        Field("suspended_at", optional_timestamp, False),
        Field("limited_at", optional_timestamp, False),
        # The profile (docs/api.md "Users"); the avatar is a media file, and media are
        # not in the dump.
        Field("display_name", text(50), False, ""),
        Field("bio", text(1000), False, ""),
    ),
    "fellow": (
        Field("from", identifier),
        Field("to", identifier),
        Field("status", choice(UserFellow.Status.values)),
        Field("created_at", timestamp),
        Field("responded_at", optional_timestamp, False),
    ),
    "collective": (
        Field("id", identifier),
        Field("name", text(100, allow_empty=False)),
        Field("visibility", choice(Collective.Visibility.values)),
        Field("created_by", optional_identifier),
        Field("created_at", timestamp),
        Field("removed_at", optional_timestamp, False),
    ),
    "channel": (
        Field("id", identifier),
        Field("collective", identifier),
        Field("name", text(100, allow_empty=False)),
    ),
    "member": (
        Field("user", identifier),
        Field("collective", identifier),
        Field("role", choice(CollectiveMember.Role.values)),
        Field("joined_at", timestamp),
    ),
    # A collective's moderators and bans (docs/moderation.md); `appointed_by` and
    # `banned_by` are absent when unknown (the account was deleted).
    "moderator": (
        Field("user", identifier),
        Field("collective", identifier),
        Field("appointed_by", optional_identifier, False),
        Field("created_at", timestamp),
    ),
    "ban": (
        Field("user", identifier),
        Field("collective", identifier),
        Field("banned_by", optional_identifier, False),
        Field("reason", text(MAX_BAN_REASON_LENGTH, allow_empty=False)),
        Field("created_at", timestamp),
    ),
    "post": (
        Field("id", identifier),
        Field("author", identifier),
        Field("post_type", choice(PostType.values)),
        Field("title", text(200)),
        Field("body", text(), False, ""),
        Field("channel", optional_identifier, False),
        Field("created_at", timestamp),
        Field("is_deleted", boolean, False, False),
        Field("deleted_at", optional_timestamp, False),
        Field("removed_at", optional_timestamp, False),
        Field("content_warning", optional_warning, False),
        Field("content_warning_by_staff", boolean, False, False),
    ),
    **{kind: _appreciation() for kind in APPRECIATION_KINDS},
    # A comment may answer a top comment of the same post, defined on an earlier line
    # (docs/import.md); critiques are not threaded.
    "comment": (*_remark(), Field("reply_to", optional_identifier, False)),
    "critique": _remark(),
    "preference": (
        Field("user", identifier),
        Field("preferred_post_types", choice_list(PostType.values), False, ()),
        Field("preferred_artist_types", choice_list(ArtistType.values), False, ()),
        Field("muted_collectives", identifier_list, False, ()),
        Field("blocked_users", identifier_list, False, ()),
        Field("show_sensitive_content", boolean, False, False),
    ),
    "seen": (Field("user", identifier), Field("post", identifier), Field("seen_at", timestamp)),
    # A post pinned on its author's profile: at most 3 a member, `position` 0..2.
    "pin": (Field("user", identifier), Field("post", identifier), Field("position", pin_position)),
    # Moderation (docs/moderation.md). A target is a loose (type, id) pair, as in the
    # database: the post, remark, user or collective may have been deleted since.
    "decision": (
        Field("id", identifier),
        Field("actor", optional_identifier),
        Field("target_type", choice(TargetType.values)),
        Field("target_id", identifier),
        Field("affected_user", optional_identifier, False),
        Field("action", choice(Action.values)),
        Field("category", choice(Category.values)),
        Field("reason", text(), False, ""),
        Field("previous", json_object, False),
        Field("created_at", timestamp),
        Field("reversed_at", optional_timestamp, False),
    ),
    "report": (
        Field("id", identifier),
        Field("reporter", identifier),
        Field("target_type", choice(TargetType.values)),
        Field("target_id", identifier),
        Field("target_user", optional_identifier, False),
        Field("category", choice(Category.values)),
        Field("text", text(), False, ""),
        Field("snapshot", json_object, False),
        Field("status", choice(Report.Status.values)),
        Field("decision", optional_identifier, False),
        Field("created_at", timestamp),
        Field("updated_at", optional_timestamp, False),
    ),
    "appeal": (
        Field("id", identifier),
        Field("decision", identifier),
        Field("appellant", identifier),
        Field("text", text(5_000)),
        Field("created_at", timestamp),
        Field("outcome", choice(Appeal.Outcome.values), False),
        Field("reason", text(), False, ""),
        Field("decided_by", optional_identifier, False),
        Field("decided_at", optional_timestamp, False),
    ),
    "audit_entry": (
        Field("id", identifier),
        Field("actor", optional_identifier),
        Field("actor_name", text(150)),
        Field("action", text(30, allow_empty=False)),
        Field("target_type", text(20, allow_empty=False)),
        Field("target_id", identifier),
        Field("target_name", text(200), False, ""),
        Field("reason", text(), False, ""),
        Field("created_at", timestamp),
    ),
}

_ALLOWED_KEYS = {
    kind: frozenset({"kind", *(field.name for field in fields)}) for kind, fields in SCHEMAS.items()
}
_KINDS_LISTED = ", ".join(SCHEMAS)


# Per kind: its allowed keys, its required keys, and (name, check, default) triples; one
# lookup for what clean_record needs about a kind.
_PLANS = {
    kind: (
        _ALLOWED_KEYS[kind],
        frozenset(field.name for field in fields if field.required),
        tuple((field.name, field.check, field.default) for field in fields),
    )
    for kind, fields in SCHEMAS.items()
}
_ABSENT = object()


def clean_record(obj: Any, line: int) -> tuple[str, tuple[Any, ...]]:
    """Return (kind, values) for one decoded record, values in `SCHEMAS[kind]` order."""
    if type(obj) is not dict:
        raise DumpError(line, "is not a JSON object")
    kind = obj.get("kind")
    plan = _PLANS.get(kind) if type(kind) is str else None
    if plan is None:
        raise DumpError(line, f"unknown kind {kind!r} (expected one of {_KINDS_LISTED})")
    allowed, required, checks = plan
    if not allowed.issuperset(obj):
        unknown = obj.keys() - allowed
        raise DumpError(line, f"{kind} has unknown field(s) {', '.join(sorted(unknown))}")
    if obj.keys() >= required:
        # Every required field is there (the common case): check them in one go, an absent
        # optional one taking its default; on a bad value, fall through to the
        # field-by-field loop, which names the field.
        get, absent = obj.get, _ABSENT
        try:
            return kind, tuple(
                [
                    default if (raw := get(name, absent)) is absent else check(raw)
                    for name, check, default in checks
                ]
            )
        except ValueError:
            pass
    values = []
    for field in SCHEMAS[kind]:
        try:
            raw = obj[field.name]
        except KeyError:
            if field.required:
                raise DumpError(line, f'{kind} is missing "{field.name}"') from None
            values.append(field.default)
            continue
        try:
            values.append(field.check(raw))
        except ValueError as error:
            raise DumpError(line, f'{kind} "{field.name}" {error}') from None
    return kind, tuple(values)


# Values orjson may decode otherwise than the json module: it reads an integer beyond 64
# bits as a float (json keeps the int, which an error message then quotes), and a
# container could hold such a value.
_NOT_PLAIN = frozenset({float, list, dict})


def decode_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Any]]:
    """Yield (line number, decoded JSON) for each non-blank line.

    orjson decodes a line four times faster than the json module, and accepts exactly the
    lines json accepts but for NaN and Infinity, lone surrogates and huge integers, which
    it refuses or reads as floats. A line it refuses, or whose object is not flat (lists,
    floats), is decoded again by the json module: the same values as before, and the
    same error messages.
    """
    loads, not_plain = orjson.loads, _NOT_PLAIN
    for number, raw in enumerate(lines, start=1):
        try:
            obj = loads(raw)
        except orjson.JSONDecodeError:
            obj = None
        if type(obj) is not dict or not not_plain.isdisjoint(map(type, obj.values())):
            obj = _decode_strictly(raw, number)
            if obj is _BLANK:
                continue
        yield number, obj


_BLANK = object()


def _decode_strictly(raw: bytes | str, number: int) -> Any:
    """Decode one line with the json module; return _BLANK for a blank line."""
    try:
        # Decoding first is faster than json.loads(bytes), which sniffs the encoding.
        return json.loads(raw.decode() if type(raw) is bytes else raw)
    except UnicodeDecodeError as error:
        raise DumpError(number, f"is not UTF-8 (byte {error.start + 1})") from None
    except json.JSONDecodeError as error:
        if not raw.strip():
            return _BLANK
        # error.lineno would always be 1 (one record a line): name the column only.
        raise DumpError(
            number, f"is not valid JSON ({error.msg} at column {error.colno})"
        ) from None


_NOUNS = {
    "praise": ("praise", "praise"),
    "trophy": ("trophy", "trophies"),
    "seen": ("seen mark", "seen marks"),
    "audit_entry": ("audit entry", "audit entries"),
}


def describe_counts(counts: Mapping[str, int]) -> str:
    """Return "3 users, 1 collective, 12 hearts" for the kinds present, in dependency order."""
    parts = []
    for kind in KIND_ORDER:
        if n := counts.get(kind, 0):
            one, many = _NOUNS.get(kind, (kind, f"{kind}s"))
            parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts) or "nothing"


def format_time(moment: datetime) -> str:
    """Return `moment` as ISO 8601 in UTC with a "Z" (microseconds only when present)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- Writing records: the one definition of each kind's shape, for the export and the demo --


def collective_record(
    collective_id: int,
    name: str,
    visibility: str,
    created_by: int | None,
    created_at: datetime,
    removed_at: datetime | None = None,
) -> dict[str, Any]:
    record = {
        "kind": "collective",
        "id": collective_id,
        "name": name,
        "visibility": visibility,
        "created_by": created_by,
        "created_at": format_time(created_at),
    }
    _moderated(record, removed_at, None)
    return record


def _moderated(record: dict, removed_at: datetime | None, warning: str | None) -> None:
    """Add moderation's optional fields to a record, when they are set."""
    if removed_at is not None:
        record["removed_at"] = format_time(removed_at)
    if warning is not None:
        record["content_warning"] = warning


def channel_record(channel_id: int, collective_id: int, name: str) -> dict[str, Any]:
    return {"kind": "channel", "id": channel_id, "collective": collective_id, "name": name}


def member_record(
    user_id: int, collective_id: int, role: str, joined_at: datetime
) -> dict[str, Any]:
    return {
        "kind": "member",
        "user": user_id,
        "collective": collective_id,
        "role": role,
        "joined_at": format_time(joined_at),
    }


def moderator_record(
    user_id: int, collective_id: int, appointed_by: int | None, created_at: datetime
) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": "moderator", "user": user_id, "collective": collective_id}
    if appointed_by is not None:
        record["appointed_by"] = appointed_by
    record["created_at"] = format_time(created_at)
    return record


def ban_record(
    user_id: int, collective_id: int, banned_by: int | None, reason: str, created_at: datetime
) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": "ban", "user": user_id, "collective": collective_id}
    if banned_by is not None:
        record["banned_by"] = banned_by
    record["reason"] = reason
    record["created_at"] = format_time(created_at)
    return record


def fellow_record(
    from_id: int, to_id: int, status: str, created_at: datetime, responded_at: datetime | None
) -> dict[str, Any]:
    record = {
        "kind": "fellow",
        "from": from_id,
        "to": to_id,
        "status": status,
        "created_at": format_time(created_at),
    }
    if responded_at is not None:
        record["responded_at"] = format_time(responded_at)
    return record


def post_record(
    post_id: int,
    author_id: int,
    post_type: str,
    title: str,
    body: str,
    channel_id: int | None,
    created_at: datetime,
    deleted_at: datetime | None,
    removed_at: datetime | None = None,
    content_warning: str | None = None,
    content_warning_by_staff: bool = False,
) -> dict[str, Any]:
    """A post; `deleted_at` None means not deleted. `content_warning_by_staff`: the warning
    was set by staff (`mark_sensitive`), so its author cannot lift it."""
    record = {
        "kind": "post",
        "id": post_id,
        "author": author_id,
        "post_type": post_type,
        "title": title,
        "body": body,
        "channel": channel_id,
        "created_at": format_time(created_at),
        "is_deleted": deleted_at is not None,
    }
    if deleted_at is not None:
        record["deleted_at"] = format_time(deleted_at)
    _moderated(record, removed_at, content_warning)
    if content_warning_by_staff:
        record["content_warning_by_staff"] = True
    return record


def appreciation_record(
    kind: str, user_id: int, post_id: int, created_at: datetime
) -> dict[str, Any]:
    return {"kind": kind, "user": user_id, "post": post_id, "created_at": format_time(created_at)}


def remark_record(
    kind: str,
    remark_id: int,
    user_id: int,
    post_id: int,
    text: str,
    created_at: datetime,
    is_deleted: bool = False,
    removed_at: datetime | None = None,
    content_warning: str | None = None,
    reply_to: int | None = None,
) -> dict[str, Any]:
    record = {
        "kind": kind,
        "id": remark_id,
        "user": user_id,
        "post": post_id,
        "text": text,
        "created_at": format_time(created_at),
    }
    if is_deleted:
        record["is_deleted"] = True
    _moderated(record, removed_at, content_warning)
    if reply_to is not None:
        record["reply_to"] = reply_to
    return record


def preference_record(
    user_id: int,
    post_types: list[str],
    artist_types: list[str],
    muted: list[int],
    blocked: list[int],
    show_sensitive_content: bool = False,
) -> dict[str, Any]:
    record = {
        "kind": "preference",
        "user": user_id,
        "preferred_post_types": post_types,
        "preferred_artist_types": artist_types,
        "muted_collectives": muted,
        "blocked_users": blocked,
    }
    if show_sensitive_content:
        record["show_sensitive_content"] = True
    return record


def pin_record(user_id: int, post_id: int, position: int) -> dict[str, Any]:
    return {"kind": "pin", "user": user_id, "post": post_id, "position": position}


def seen_record(user_id: int, post_id: int, seen_at: datetime) -> dict[str, Any]:
    return {"kind": "seen", "user": user_id, "post": post_id, "seen_at": format_time(seen_at)}


# Moderation's records. Optional fields are written only when set (an empty reason, text or
# JSON object, a null reference), as for the other kinds.


def decision_record(
    decision_id: int,
    actor_id: int | None,
    target_type: str,
    target_id: int,
    affected_user_id: int | None,
    action: str,
    category: str,
    reason: str,
    previous: dict,
    created_at: datetime,
    reversed_at: datetime | None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "decision",
        "id": decision_id,
        "actor": actor_id,
        "target_type": target_type,
        "target_id": target_id,
    }
    if affected_user_id is not None:
        record["affected_user"] = affected_user_id
    record |= {"action": action, "category": category}
    if reason:
        record["reason"] = reason
    if previous:
        record["previous"] = canonical(previous)
    record["created_at"] = format_time(created_at)
    if reversed_at is not None:
        record["reversed_at"] = format_time(reversed_at)
    return record


def report_record(
    report_id: int,
    reporter_id: int,
    target_type: str,
    target_id: int,
    target_user_id: int | None,
    category: str,
    text: str,
    snapshot: dict,
    status: str,
    decision_id: int | None,
    created_at: datetime,
    updated_at: datetime,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "report",
        "id": report_id,
        "reporter": reporter_id,
        "target_type": target_type,
        "target_id": target_id,
    }
    if target_user_id is not None:
        record["target_user"] = target_user_id
    record["category"] = category
    if text:
        record["text"] = text
    if snapshot:
        record["snapshot"] = canonical(snapshot)
    record["status"] = status
    if decision_id is not None:
        record["decision"] = decision_id
    record["created_at"] = format_time(created_at)
    if updated_at != created_at:
        record["updated_at"] = format_time(updated_at)
    return record


def appeal_record(
    appeal_id: int,
    decision_id: int,
    appellant_id: int,
    text: str,
    created_at: datetime,
    outcome: str,
    reason: str,
    decided_by_id: int | None,
    decided_at: datetime | None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "appeal",
        "id": appeal_id,
        "decision": decision_id,
        "appellant": appellant_id,
        "text": text,
        "created_at": format_time(created_at),
    }
    if outcome:
        record["outcome"] = outcome
    if reason:
        record["reason"] = reason
    if decided_by_id is not None:
        record["decided_by"] = decided_by_id
    if decided_at is not None:
        record["decided_at"] = format_time(decided_at)
    return record


def audit_entry_record(
    entry_id: int,
    actor_id: int | None,
    actor_name: str,
    action: str,
    target_type: str,
    target_id: int,
    target_name: str,
    reason: str,
    created_at: datetime,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "audit_entry",
        "id": entry_id,
        "actor": actor_id,
        "actor_name": actor_name,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
    }
    if target_name:
        record["target_name"] = target_name
    if reason:
        record["reason"] = reason
    record["created_at"] = format_time(created_at)
    return record


def canonical(value: Any) -> Any:
    """A JSON value with its objects' keys sorted: PostgreSQL's jsonb keeps keys in an order
    of its own, so sorting makes exports of the same data identical on every engine."""
    if type(value) is dict:
        return {key: canonical(value[key]) for key in sorted(value)}
    if type(value) is list:
        return [canonical(item) for item in value]
    return value
