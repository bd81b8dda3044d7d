"""Load community dump records into an empty database, in one transaction.

Every reference must point to a record on an EARLIER line (the exporter writes in
dependency order: users, collectives, channels, members, moderators, bans, fellows, posts,
hearts/praise/trophies, comments, critiques, preferences, seen). That lets one streaming pass check
each reference against compact in-memory sets of ids, without holding the file. Rows are
written in batches as they come (COPY on PostgreSQL, bulk_create elsewhere); a bad record
raises DumpError and the surrounding transaction rolls every batch back. The denormalised
counters are not read from the file: they are recomputed in SQL once everything is in.
"""

import queue
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from psycopg.types.json import Jsonb

from atelier.collective.models import (
    Channel,
    Collective,
    CollectiveBan,
    CollectiveMember,
    CollectiveModerator,
)
from atelier.core.models import Block, User, UserFellow, UserPreference, clock_version
from atelier.dump.records import DumpError, clean_record, describe_counts
from atelier.feed import affinity
from atelier.feed.models import AuthorAffinity, TypeAffinity
from atelier.moderation import services as moderation_services
from atelier.moderation.models import Appeal, AuditEntry, Decision, Report
from atelier.post.models import Appreciation, Comment, Critique, PinnedPost, Post, SeenPost
from atelier.post.visibility import counted_remark

DEFAULT_BATCH_SIZE = 5_000

# The exporter's order of kinds (docs/api.md's dump format asks only that references point to
# earlier lines; this is the order every export and generator writes).
_STAGES = {
    "user": 0, "collective": 1, "channel": 2, "member": 3, "moderator": 3, "ban": 3,
    "fellow": 4, "post": 5,
    "heart": 6, "praise": 6, "trophy": 6, "comment": 7, "critique": 7, "preference": 8,
    "seen": 9, "pin": 9, "decision": 10, "report": 11, "appeal": 12, "audit_entry": 13,
}  # fmt: skip


class ImportRefused(Exception):
    """The database is not empty, so an import would mix two communities."""


@dataclass(frozen=True)
class ImportResult:
    counts: Counter[str]
    records: int
    seconds: float

    def summary(self, verb: str = "Imported") -> str:
        """One line: what was imported, how long it took, how fast."""
        rate = self.records / self.seconds if self.seconds else 0.0
        return (
            f"{verb} {self.records:,} records in {self.seconds:.1f} s ({rate:,.0f} lines/s): "
            f"{describe_counts(self.counts)}"
        )


def ensure_empty() -> None:
    """Raise ImportRefused unless the database holds no user, collective, post or moderation
    record (decisions and the audit log outlive the accounts they name)."""
    present = [
        str(model._meta.verbose_name_plural)
        for model in (User, Collective, Post, Decision, Report, Appeal, AuditEntry)
        if model.objects.exists()
    ]
    if present:
        raise ImportRefused(f"the database is not empty (it has {', '.join(present)})")


def import_records(
    records: Iterable[tuple[int, Any]], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> ImportResult:
    """Load (line number, decoded JSON) records into the empty database, all or nothing."""
    started = time.perf_counter()
    with transaction.atomic():
        ensure_empty()
        loader = CommunityLoader(batch_size=batch_size)
        try:
            loader.start()
            loader.add_all(records)
            loader.finish()
        except BaseException:
            loader.abort()  # before the rollback: nothing may still be writing
            raise
    return ImportResult(
        counts=loader.counts,
        records=loader.counts.total(),
        seconds=time.perf_counter() - started,
    )


class _Table:
    """Rows waiting to be written to one table, as tuples in `columns` (attname) order."""

    __slots__ = ("model", "columns", "rows", "json_positions")

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        self.model = model
        self.columns = columns
        self.rows: list[tuple] = []
        fields = {field.attname: field for field in model._meta.concrete_fields}
        self.json_positions = tuple(
            i for i, name in enumerate(columns) if isinstance(fields[name], models.JSONField)
        )


class _Copier:
    """PostgreSQL: binary COPY FROM STDIN, on a thread of its own.

    Binary COPY is several times faster than multi-row INSERTs (and binary rather than text
    because formatting a datetime as text in Python cost more than everything else about
    its row). The thread lets the server take in one batch, and build the indexes of the
    tables the file has moved past, while Python checks the next lines: the import uses
    both cores. It shares the import's connection (psycopg connections are thread-safe)
    and so its transaction; the main thread stays off the connection until `close`.
    Work runs in the order it was queued. An error on the thread is raised in the main
    thread at its next `write`, `call` or `close`; `abort` drops what is still queued, so a
    failed import rolls back at once.
    """

    _STOP = object()

    def __init__(self, depth: int = 16) -> None:
        connection.ensure_connection()
        self._connection = connection.connection  # the psycopg connection under Django's
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._types: dict[str, list[int]] = {}
        self._error: BaseException | None = None
        self._aborted = False
        self._thread = threading.Thread(target=self._run, name="import-copy", daemon=True)
        self._thread.start()

    def write(self, table: _Table) -> None:
        """Queue `table.rows` for one COPY (the list is handed over, not copied)."""
        self._put((self._copy, (table.model, table.columns, table.json_positions, table.rows)))

    def call(self, work: Callable[[Any], None]) -> None:
        """Queue `work(cursor)`, to run on the thread with a cursor of the import's transaction."""
        self._put((work, ()))

    def close(self) -> None:
        """Wait until everything queued is done; raise what failed on the thread."""
        self._queue.put(self._STOP)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        """Drop what is queued and stop the thread (the import is failing anyway)."""
        self._aborted = True
        self._queue.put(self._STOP)
        self._thread.join()

    def _put(self, item: tuple) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def _run(self) -> None:
        while (item := self._queue.get()) is not self._STOP:
            if self._aborted or self._error is not None:
                continue  # drain until the stop mark
            work, args = item
            try:
                with self._connection.cursor() as cursor:
                    work(cursor, *args)
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                self._error = error

    def _copy(self, cursor, model: type[models.Model], columns, json_positions, rows) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        column_of = {field.attname: field.column for field in meta.concrete_fields}
        names = [column_of[name] for name in columns]
        types = self._types.get(meta.db_table)
        if types is None:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass",
                [quote(meta.db_table)],
            )
            oids = dict(cursor.fetchall())
            types = self._types[meta.db_table] = [oids[name] for name in names]
        sql = (
            f"COPY {quote(meta.db_table)} ({', '.join(map(quote, names))}) "
            "FROM STDIN (FORMAT BINARY)"
        )
        with cursor.copy(sql) as copy:
            copy.set_types(types)
            write_row = copy.write_row
            if json_positions:
                for row in rows:
                    write_row(_wrap_json(row, json_positions))
            else:
                for row in rows:
                    write_row(row)


def _stamps_times(model: type[models.Model]) -> bool:
    return any(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in model._meta.concrete_fields
    )


def _wrap_json(row: tuple, positions: tuple[int, ...]) -> tuple:
    return tuple(Jsonb(value) if i in positions else value for i, value in enumerate(row))


class _BulkCreateWriter:
    """Any other database: the ORM's bulk_create, which sizes its own INSERTs, right away.

    A model whose times are `auto_now`/`auto_now_add` (moderation's records) goes in as raw
    rows instead, the way `loaddata` writes them: bulk_create would stamp the import's time
    over the times the dump gives, and the audit log's model refuses `save`.
    """

    def write(self, table: _Table) -> None:
        model, columns = table.model, table.columns
        objs = [model(**dict(zip(columns, row, strict=True))) for row in table.rows]
        if not _stamps_times(model):
            model.objects.bulk_create(objs)
            return
        fields = [
            field
            for field in model._meta.concrete_fields
            if not field.primary_key or field.attname in columns
        ]
        size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
        for start in range(0, len(objs), size):
            model._base_manager._insert(objs[start : start + size], fields=fields, raw=True)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


@dataclass
class _SetAside:
    """What `_DeferredIndexes` took off one table, to put back."""

    indexes: list[str]  # CREATE INDEX statements
    constraints: list[tuple[str, str]]  # (name, definition): unique constraints
    foreign_keys: list[tuple[str, str]]


class _DeferredIndexes:
    """PostgreSQL: build the secondary indexes and check the foreign keys once, after a load.

    Maintaining ten indexes row by row, and queueing a deferred foreign-key check per row
    that the commit then runs one by one, cost most of an import's time; building each
    index from the loaded table and validating each foreign key with one join is several
    times cheaper. Only for tables that are empty (an import's are): `set_aside` drops
    their secondary indexes, unique constraints and foreign keys, remembering their
    definitions; `settle` recreates them for some tables, with the same names and
    definitions, and samples their statistics, before the transaction ends (DDL is
    transactional in PostgreSQL, so a failed import leaves them as they were). Primary
    keys stay, and so do unique constraints a foreign key depends on. Elsewhere (SQLite)
    nothing happens.
    """

    def __init__(self, model_list: list[type[models.Model]]) -> None:
        self.candidates = [model._meta.db_table for model in model_list]
        self.tables: dict[str, _SetAside] = {}

    def set_aside(self) -> None:
        if connection.vendor != "postgresql":
            return
        # ALTER TABLE refuses a table with foreign-key checks still pending from earlier in
        # the transaction (rows deleted before the import, as tests do): run them now.
        connection.check_constraints()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.candidates:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
                if cursor.fetchone()[0]:
                    continue  # keep a table's indexes unless it is empty
                cursor.execute(_FOREIGN_KEYS_SQL, [table])
                foreign_keys = cursor.fetchall()
                cursor.execute(_UNIQUE_CONSTRAINTS_SQL, [table])
                constraints = cursor.fetchall()
                cursor.execute(_PLAIN_INDEXES_SQL, [table])
                indexes = cursor.fetchall()
                for name, _ in foreign_keys + constraints:
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                for name, _ in indexes:
                    cursor.execute(f"DROP INDEX {quote(name)}")
                self.tables[table] = _SetAside(
                    indexes=[sql for _, sql in indexes],
                    constraints=list(constraints),
                    foreign_keys=list(foreign_keys),
                )

    def settle(self, cursor, tables: Iterable[str]) -> None:
        """Put back the indexes, unique constraints and foreign keys of `tables`; ANALYZE them.

        Indexes and unique constraints come before the statistics (ANALYZE samples
        expression indexes too), foreign keys after them (their one validating join is
        planned from those statistics). A table that was not set aside is only analyzed:
        PostgreSQL plans from statistics that autovacuum refreshes only later, and until
        then takes the tables for nearly empty, which misplans the first feed requests after
        an import. Sampling costs a fraction of a second.
        """
        tables = list(tables)
        if not tables:
            return
        quote = connection.ops.quote_name
        aside = [(table, self.tables.pop(table, None)) for table in tables]
        # Rows added to an already settled table (a dump in an unusual order) queue
        # deferred foreign-key checks, and ALTER TABLE refuses a table with pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Index builds sort; the server's default 64 MB spills the larger ones to disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table, held in aside:
            if held is None:
                continue
            for sql in held.indexes:
                cursor.execute(sql)
            for name, definition in held.constraints:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute(f"ANALYZE {', '.join(quote(table) for table, _ in aside)}")
        for table, held in aside:
            for name, definition in held.foreign_keys if held else ():
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )


# The table's own foreign keys.
_FOREIGN_KEYS_SQL = """
    SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname
"""
# Its unique constraints that no foreign key (of any table) relies on.
_UNIQUE_CONSTRAINTS_SQL = """
    SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
    WHERE c.conrelid = %s::regclass AND c.contype = 'u'
      AND NOT EXISTS (
          SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
      )
    ORDER BY c.conname
"""
# Its indexes that back no constraint (primary key, unique, one a foreign key uses).
_PLAIN_INDEXES_SQL = """
    SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = %s::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    ORDER BY i.relname
"""


class CommunityLoader:
    """Check each record against what earlier lines defined, and queue its row.

    Call `add` for each record in file order, then `finish` once; both must run inside
    one transaction on an empty database (see `import_records`).
    """

    def __init__(self, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.batch_size = batch_size
        self.counts: Counter[str] = Counter()
        self._writer = _Copier() if connection.vendor == "postgresql" else _BulkCreateWriter()
        # Rows the format gives no time for (auto_now fields) get the import's time.
        self._now = timezone.now()
        self._hashes: dict[str, str] = {}

        # What earlier lines defined, kept as small as the checks allow.
        self._users: set[int] = set()
        self._usernames: set[str] = set()
        self._collectives: set[int] = set()
        self._channel_collective: dict[int, int] = {}
        self._channel_names: set[tuple[int, str]] = set()
        self._members: set[tuple[int, int]] = set()
        self._moderators: set[tuple[int, int]] = set()
        self._bans: set[tuple[int, int]] = set()
        self._fellow_pairs: set[tuple[int, int]] = set()
        # Every imported user starts from the clock: no cached feed of a replaced database
        # (same ids, other people) can match their versions.
        self._version = clock_version()
        self._post_author_type: dict[int, tuple[int, str]] = {}
        self._appreciations: dict[str, set[tuple[int, int]]] = {
            kind: set() for kind in ("heart", "praise", "trophy")
        }
        self._remark_ids: dict[str, set[int]] = {"comment": set(), "critique": set()}
        # The post of each top comment so far: what a reply may answer (docs/import.md).
        self._top_comment_post: dict[int, int] = {}
        self._preference_users: set[int] = set()
        self._seen: set[tuple[int, int]] = set()
        self._pins: set[tuple[int, int]] = set()  # (user, post) and (user, -1 - position)
        self._decisions: set[int] = set()
        self._appealed: set[int] = set()  # decisions with an appeal (one each)
        self._report_ids: set[int] = set()
        self._open_reports: set[tuple[int, str, int]] = set()  # (reporter, type, id)
        self._appeal_ids: set[int] = set()
        self._audit_ids: set[int] = set()

        # Tables in dependency order (the order `finish` flushes them in).
        self._user_table = _Table(
            User,
            ("id", "username", "password", "artist_type", "date_joined", "email", "first_name",
             "last_name", "is_active", "is_staff", "is_superuser", "suspended_at",
             "limited_at", "feed_version", "relations_version", "display_name", "bio",
             "avatar_file"),
        )  # fmt: skip
        self._collective_table = _Table(
            Collective,
            ("id", "name", "visibility", "created_by_id", "created_at", "members_count",
             "removed_at"),
        )  # fmt: skip
        self._channel_table = _Table(Channel, ("id", "collective_id", "name"))
        self._member_table = _Table(
            CollectiveMember, ("collective_id", "user_id", "role", "joined_at")
        )
        self._moderator_table = _Table(
            CollectiveModerator, ("collective_id", "user_id", "appointed_by_id", "created_at")
        )
        self._ban_table = _Table(
            CollectiveBan, ("collective_id", "user_id", "banned_by_id", "reason", "created_at")
        )
        self._fellow_table = _Table(
            UserFellow, ("user_id", "fellow_user_id", "status", "created_at", "responded_at")
        )
        self._post_table = _Table(
            Post,
            ("id", "author_id", "post_type", "title", "body", "channel_id", "collective_id",
             "created_at", "is_deleted", "deleted_at", "removed_at", "content_warning",
             "content_warning_by_staff", "hearts_count", "praise_count", "trophy_count",
             "comment_count", "critique_count"),
        )  # fmt: skip
        self._appreciation_table = _Table(
            Appreciation,
            ("user_id", "post_id", "post_author_id", "post_type", "kind", "created_at"),
        )
        remark_columns = (
            "id", "post_id", "author_id", "text", "created_at", "is_deleted", "removed_at",
            "content_warning",
        )  # fmt: skip
        self._remark_tables = {
            "comment": _Table(Comment, (*remark_columns, "reply_to_id")),
            "critique": _Table(Critique, remark_columns),
        }
        self._preference_table = _Table(
            UserPreference,
            (
                "id",
                "user_id",
                "preferred_post_types",
                "preferred_artist_types",
                "show_sensitive_content",
                "updated_at",
            ),  # fmt: skip
        )
        self._muted_model = UserPreference.muted_collectives.through
        self._muted_table = _Table(self._muted_model, ("userpreference_id", "collective_id"))
        self._block_table = _Table(Block, ("blocker_id", "blocked_id", "created_at"))
        self._seen_table = _Table(SeenPost, ("user_id", "post_id", "seen_at"))
        self._pin_table = _Table(PinnedPost, ("user_id", "post_id", "position"))
        self._decision_table = _Table(
            Decision,
            ("id", "actor_id", "target_type", "target_id", "affected_user_id", "action",
             "category", "reason", "previous", "created_at", "reversed_at"),
        )  # fmt: skip
        self._report_table = _Table(
            Report,
            ("id", "reporter_id", "target_type", "target_id", "target_user_id", "category",
             "text", "snapshot", "status", "decision_id", "created_at", "updated_at"),
        )  # fmt: skip
        self._appeal_table = _Table(
            Appeal,
            ("id", "decision_id", "appellant_id", "text", "created_at", "outcome", "reason",
             "decided_by_id", "decided_at"),
        )  # fmt: skip
        # Append-only (a trigger on PostgreSQL refuses UPDATE and DELETE): rows are only
        # ever inserted here, by COPY or raw INSERTs, never saved through the model.
        self._audit_table = _Table(
            AuditEntry,
            ("id", "actor_id", "actor_name", "action", "target_type", "target_id",
             "target_name", "reason", "created_at"),
        )  # fmt: skip
        self._tables = (
            self._user_table, self._collective_table, self._channel_table, self._member_table,
            self._moderator_table, self._ban_table, self._fellow_table, self._post_table,
            self._appreciation_table,
            *self._remark_tables.values(), self._preference_table, self._muted_table,
            self._block_table, self._seen_table, self._pin_table, self._decision_table,
            self._report_table, self._appeal_table, self._audit_table,
        )  # fmt: skip

        # Tables settled as soon as the file moves past their kind (see _moved_on).
        self._settle_early = (
            (self._user_table, 0), (self._channel_table, 2), (self._member_table, 3),
            (self._fellow_table, 4),
        )  # fmt: skip
        self._stage = 0
        self._settled: set[str] = set()
        self._deferred = _DeferredIndexes(
            [table.model for table in self._tables] + [AuthorAffinity, TypeAffinity]
        )

        self._handlers = {
            "user": self._user,
            "fellow": self._fellow,
            "collective": self._collective,
            "channel": self._channel,
            "member": self._member,
            "moderator": self._moderator,
            "ban": self._ban,
            "post": self._post,
            "heart": self._appreciation,
            "praise": self._appreciation,
            "trophy": self._appreciation,
            "comment": self._remark,
            "critique": self._remark,
            "preference": self._preference,
            "seen": self._seen_mark,
            "pin": self._pin,
            "decision": self._decision,
            "report": self._report,
            "appeal": self._appeal,
            "audit_entry": self._audit_entry,
        }

    # --- the public surface -----------------------------------------------------------

    def add(self, obj: Any, line: int) -> None:
        """Check one decoded record (raising DumpError) and queue its rows."""
        kind, values = clean_record(obj, line)
        self._handlers[kind](kind, values, line)
        self.counts[kind] += 1

    def add_all(self, records: Iterable[tuple[int, Any]]) -> None:
        """`add` each (line number, decoded JSON) record, in order (the import's hot loop).

        When the file moves on to a later kind (in the exporter's order), the tables of the
        kinds it left are settled on the copying thread while this one reads on.
        """
        handlers, counts = self._handlers, self.counts
        previous = None
        for line, obj in records:
            kind, values = clean_record(obj, line)
            if kind != previous:
                self._moved_on(kind)
                previous = kind
            handlers[kind](kind, values, line)
            counts[kind] += 1

    def start(self) -> None:
        """Prepare the empty tables for the load (PostgreSQL: set their indexes aside)."""
        self._deferred.set_aside()

    def finish(self) -> None:
        """Write what is queued, recompute the counters, move the id sequences past the ids."""
        for table in self._tables:
            self._flush(table)
        self._writer.close()
        imported = [table.model for table in self._tables]
        # Holds are a function of the open reports (docs/moderation.md, "Holds"); before
        # the recount, which leaves held remarks out.
        moderation_services.restore_holds()
        with _work_mem("64MB"):  # the grouping below hashes millions of rows
            _recount_posts(fresh=True)
            _recount_members()
            affinity.rebuild()
        settled = self._settled
        rest = [
            model._meta.db_table
            for model in [*imported, AuthorAffinity, TypeAffinity]
            if model._meta.db_table not in settled
        ]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                self._deferred.settle(cursor, rest)
        _reset_sequences(imported)

    def abort(self) -> None:
        """Stop the copying thread, dropping what it has not written (the import failed)."""
        self._writer.abort()

    def _moved_on(self, kind: str) -> None:
        """Settle the tables of the kinds before `kind` in the exporter's order, once.

        Only tables nothing later in the import rewrites: posts and collectives get their
        counters at the end, so they are settled then. A dump in another order stays
        correct: rows for a settled table go in through its indexes, only slower.
        """
        stage = _STAGES.get(kind, 0)
        if stage <= self._stage:
            return
        settled = self._settled
        passed = [
            table
            for table, table_stage in self._settle_early
            if table_stage < stage and table.model._meta.db_table not in settled
        ]
        self._stage = stage
        if not passed or connection.vendor != "postgresql":
            return
        # Every row read so far goes first, in dependency order: the foreign keys put back
        # are checked against the tables they point to.
        for table in self._tables:
            self._flush(table)
        names = [table.model._meta.db_table for table in passed]
        self._settled.update(names)
        self._writer.call(lambda cursor: self._deferred.settle(cursor, names))

    # --- writing ----------------------------------------------------------------------

    def _append(self, table: _Table, row: tuple) -> None:
        rows = table.rows
        rows.append(row)
        if len(rows) >= self.batch_size:
            self._flush(table)

    def _flush(self, table: _Table) -> None:
        if table.rows:
            self._writer.write(table)
            table.rows = []

    # --- reference checks -------------------------------------------------------------

    def _require_user(self, user_id: int, kind: str, line: int) -> None:
        if user_id not in self._users:
            raise DumpError(line, f"{kind} refers to user {user_id}, which no earlier line defines")

    def _require_collective(self, collective_id: int, kind: str, line: int) -> None:
        if collective_id not in self._collectives:
            raise DumpError(
                line,
                f"{kind} refers to collective {collective_id}, which no earlier line defines",
            )

    def _author_and_type(self, post_id: int, kind: str, line: int) -> tuple[int, str]:
        try:
            return self._post_author_type[post_id]
        except KeyError:
            raise DumpError(
                line, f"{kind} refers to post {post_id}, which no earlier line defines"
            ) from None

    # --- one handler per kind ---------------------------------------------------------

    def _user(self, kind: str, values: tuple, line: int) -> None:
        (user_id, username, password, password_hash, artist_type, date_joined, email,
         first_name, last_name, is_active, is_staff, is_superuser, suspended_at,
         limited_at, display_name, bio) = values  # fmt: skip
        if user_id in self._users:
            raise DumpError(line, f"duplicate user id {user_id}")
        # Usernames are unique regardless of case (a constraint on lower(username)).
        if username.lower() in self._usernames:
            raise DumpError(line, f"duplicate username {username!r} (case is ignored)")
        if password is not None and password_hash is not None:
            raise DumpError(line, 'user has both "password" and "password_hash"; give one')
        # A suspended member cannot sign in (docs/moderation.md): inactive unless the line
        # says otherwise, and a line that says otherwise contradicts itself.
        if is_active is None:
            is_active = suspended_at is None
        elif is_active and suspended_at is not None:
            raise DumpError(line, 'user has "suspended_at" but "is_active" true; a suspended '
                            'member is inactive')  # fmt: skip
        if password is not None:
            stored = self._hash(password)
        elif password_hash is not None:
            stored = password_hash
        else:
            stored = _unusable_password()
        self._users.add(user_id)
        self._usernames.add(username.lower())
        self._append(
            self._user_table,
            (user_id, username, stored, artist_type, date_joined, email, first_name, last_name,
             is_active, is_staff, is_superuser, suspended_at, limited_at, self._version,
             self._version, " ".join(display_name.split()), bio.strip(), ""),
        )  # fmt: skip

    def _hash(self, password: str) -> str:
        # PBKDF2 costs ~0.2 s a call; a dump often gives many users the same password
        # (a demo, a staging copy), so hash each distinct one once. The shared salt this
        # implies only reveals that those users share a password, which the file did too.
        stored = self._hashes.get(password)
        if stored is None:
            stored = self._hashes[password] = make_password(password)
        return stored

    def _fellow(self, kind: str, values: tuple, line: int) -> None:
        from_id, to_id, status, created_at, responded_at = values
        users = self._users
        if from_id not in users or to_id not in users:
            self._require_user(from_id, kind, line)
            self._require_user(to_id, kind, line)
        if from_id == to_id:
            raise DumpError(line, f"user {from_id} cannot be their own fellow")
        pair = (from_id, to_id) if from_id < to_id else (to_id, from_id)
        if pair in self._fellow_pairs:
            raise DumpError(line, f"duplicate fellow pair {pair[0]}-{pair[1]} (one per pair)")
        self._fellow_pairs.add(pair)
        self._append(self._fellow_table, (from_id, to_id, status, created_at, responded_at))

    def _collective(self, kind: str, values: tuple, line: int) -> None:
        collective_id, name, visibility, created_by, created_at, removed_at = values
        if collective_id in self._collectives:
            raise DumpError(line, f"duplicate collective id {collective_id}")
        if created_by is not None:
            self._require_user(created_by, kind, line)
        self._collectives.add(collective_id)
        self._append(
            self._collective_table,
            (collective_id, name, visibility, created_by, created_at, 0, removed_at),
        )

    def _channel(self, kind: str, values: tuple, line: int) -> None:
        channel_id, collective_id, name = values
        if channel_id in self._channel_collective:
            raise DumpError(line, f"duplicate channel id {channel_id}")
        self._require_collective(collective_id, kind, line)
        if (collective_id, name.lower()) in self._channel_names:
            raise DumpError(
                line, f"collective {collective_id} already has a channel {name!r} (case is ignored)"
            )
        self._channel_collective[channel_id] = collective_id
        self._channel_names.add((collective_id, name.lower()))
        self._append(self._channel_table, (channel_id, collective_id, name))

    def _member(self, kind: str, values: tuple, line: int) -> None:
        user_id, collective_id, role, joined_at = values
        if user_id not in self._users:
            self._require_user(user_id, kind, line)
        self._require_collective(collective_id, kind, line)
        if (collective_id, user_id) in self._members:
            raise DumpError(line, f"user {user_id} is already a member of {collective_id}")
        if (collective_id, user_id) in self._bans:
            raise DumpError(line, f"user {user_id} is banned from collective {collective_id}")
        self._members.add((collective_id, user_id))
        self._append(self._member_table, (collective_id, user_id, role, joined_at))

    def _moderator(self, kind: str, values: tuple, line: int) -> None:
        user_id, collective_id, appointed_by, created_at = values
        self._require_user(user_id, kind, line)
        self._require_collective(collective_id, kind, line)
        if appointed_by is not None:
            self._require_user(appointed_by, kind, line)
        pair = (collective_id, user_id)
        # A moderator is a member (docs/moderation.md): the member line comes first.
        if pair not in self._members:
            raise DumpError(
                line, f"moderator {user_id} is not a member of collective {collective_id}"
            )
        if pair in self._moderators:
            raise DumpError(line, f"user {user_id} already moderates collective {collective_id}")
        self._moderators.add(pair)
        self._append(self._moderator_table, (collective_id, user_id, appointed_by, created_at))

    def _ban(self, kind: str, values: tuple, line: int) -> None:
        user_id, collective_id, banned_by, reason, created_at = values
        self._require_user(user_id, kind, line)
        self._require_collective(collective_id, kind, line)
        if banned_by is not None:
            self._require_user(banned_by, kind, line)
        pair = (collective_id, user_id)
        if pair in self._bans:
            raise DumpError(line, f"duplicate ban of user {user_id} from {collective_id}")
        # A ban ends the membership: nobody is both (nor a moderator, who is a member).
        if pair in self._members:
            raise DumpError(
                line, f"user {user_id} is banned from collective {collective_id} but a member"
            )
        self._bans.add(pair)
        self._append(self._ban_table, (collective_id, user_id, banned_by, reason, created_at))

    def _post(self, kind: str, values: tuple, line: int) -> None:
        (post_id, author_id, post_type, title, body, channel_id, created_at, is_deleted,
         deleted_at, removed_at, content_warning, by_staff) = values  # fmt: skip
        if post_id in self._post_author_type:
            raise DumpError(line, f"duplicate post id {post_id}")
        if author_id not in self._users:
            self._require_user(author_id, kind, line)
        collective_id = None
        if channel_id is not None:
            collective_id = self._channel_collective.get(channel_id)
            if collective_id is None:
                raise DumpError(
                    line, f"post refers to channel {channel_id}, which no earlier line defines"
                )
        if is_deleted:
            # The format need not say when; the creation time is the one time we know.
            deleted_at = deleted_at or created_at
        elif deleted_at is not None:
            raise DumpError(line, 'post has "deleted_at" but is not deleted')
        if by_staff and content_warning is None:
            raise DumpError(line, 'post has "content_warning_by_staff" but no content warning')
        self._post_author_type[post_id] = (author_id, post_type)
        counters = (0, 0, 0, 0, 0)  # recomputed by finish()
        self._append(
            self._post_table,
            (post_id, author_id, post_type, title, body, channel_id, collective_id, created_at,
             is_deleted, deleted_at, removed_at, content_warning, by_staff, *counters),
        )  # fmt: skip

    def _appreciation(self, kind: str, values: tuple, line: int) -> None:
        user_id, post_id, created_at = values
        if user_id not in self._users:
            self._require_user(user_id, kind, line)
        author_and_type = self._post_author_type.get(post_id)
        if author_and_type is None:
            author_and_type = self._author_and_type(post_id, kind, line)  # raises
        given = self._appreciations[kind]
        pair = (user_id, post_id)
        if pair in given:
            raise DumpError(line, f"duplicate {kind}: user {user_id} on post {post_id}")
        given.add(pair)
        self._append(
            self._appreciation_table, (user_id, post_id, *author_and_type, kind, created_at)
        )

    def _remark(self, kind: str, values: tuple, line: int) -> None:
        remark_id, user_id, post_id, text, created_at, is_deleted, removed_at, warning = values[:8]
        ids = self._remark_ids[kind]
        if remark_id in ids:
            raise DumpError(line, f"duplicate {kind} id {remark_id}")
        if user_id not in self._users:
            self._require_user(user_id, kind, line)
        if post_id not in self._post_author_type:
            self._author_and_type(post_id, kind, line)  # raises
        ids.add(remark_id)
        row = (remark_id, post_id, user_id, text, created_at, is_deleted, removed_at, warning)
        if kind == "comment":
            reply_to = values[8]
            if reply_to is None:
                self._top_comment_post[remark_id] = post_id
            else:
                self._check_reply(reply_to, post_id, line)
            row = (*row, reply_to)
        self._append(self._remark_tables[kind], row)

    def _check_reply(self, reply_to: int, post_id: int, line: int) -> None:
        """A reply answers a top comment of its own post, defined on an earlier line."""
        parent_post = self._top_comment_post.get(reply_to)
        if parent_post is None:
            if reply_to in self._remark_ids["comment"]:
                raise DumpError(
                    line, f"comment replies to comment {reply_to}, which is itself a reply"
                )
            raise DumpError(
                line, f"comment replies to comment {reply_to}, which no earlier line defines"
            )
        if parent_post != post_id:
            raise DumpError(
                line,
                f"comment replies to comment {reply_to}, which is on post {parent_post}, "
                f"not post {post_id}",
            )

    def _preference(self, kind: str, values: tuple, line: int) -> None:
        user_id, post_types, artist_types, muted, blocked, show_sensitive = values
        self._require_user(user_id, kind, line)
        if user_id in self._preference_users:
            raise DumpError(line, f"duplicate preference for user {user_id}")
        for collective_id in muted:
            self._require_collective(collective_id, kind, line)
        for blocked_id in blocked:
            self._require_user(blocked_id, kind, line)
            if blocked_id == user_id:
                raise DumpError(line, f"user {user_id} cannot block themself")
        self._preference_users.add(user_id)
        # The database is empty, so numbering preferences from 1 is safe; their ids are
        # needed here, before any row is written, for the muted-collective rows.
        preference_id = len(self._preference_users)
        self._append(
            self._preference_table,
            (
                preference_id,
                user_id,
                list(post_types),
                list(artist_types),
                show_sensitive,
                self._now,
            ),  # fmt: skip
        )
        for collective_id in muted:
            self._append(self._muted_table, (preference_id, collective_id))
        for blocked_id in blocked:
            self._append(self._block_table, (user_id, blocked_id, self._now))

    def _seen_mark(self, kind: str, values: tuple, line: int) -> None:
        user_id, post_id, seen_at = values
        self._require_user(user_id, kind, line)
        self._author_and_type(post_id, kind, line)
        if (user_id, post_id) in self._seen:
            raise DumpError(line, f"duplicate seen mark: user {user_id} on post {post_id}")
        self._seen.add((user_id, post_id))
        self._append(self._seen_table, (user_id, post_id, seen_at))

    def _pin(self, kind: str, values: tuple, line: int) -> None:
        user_id, post_id, position = values
        self._require_user(user_id, kind, line)
        author_id, _post_type = self._author_and_type(post_id, kind, line)
        if author_id != user_id:
            raise DumpError(line, f"user {user_id} cannot pin post {post_id}: not theirs")
        if (user_id, post_id) in self._pins:
            raise DumpError(line, f"duplicate pin: user {user_id} on post {post_id}")
        if (user_id, -1 - position) in self._pins:
            raise DumpError(line, f"user {user_id} has two pins at position {position}")
        self._pins.update({(user_id, post_id), (user_id, -1 - position)})
        self._append(self._pin_table, (user_id, post_id, position))

    # --- moderation (docs/moderation.md) -----------------------------------------------
    # Targets are loose (type, id) pairs, as in the database (a decision or an audit entry
    # outlives the post or account it names), so they are kept as given; the references
    # that are foreign keys must point to earlier lines.

    def _optional_user(self, user_id: int | None, kind: str, line: int) -> None:
        if user_id is not None:
            self._require_user(user_id, kind, line)

    def _require_decision(self, decision_id: int, kind: str, line: int) -> None:
        if decision_id not in self._decisions:
            raise DumpError(
                line, f"{kind} refers to decision {decision_id}, which no earlier line defines"
            )

    def _decision(self, kind: str, values: tuple, line: int) -> None:
        (decision_id, actor_id, target_type, target_id, affected_id, action, category, reason,
         previous, created_at, reversed_at) = values  # fmt: skip
        if decision_id in self._decisions:
            raise DumpError(line, f"duplicate decision id {decision_id}")
        self._optional_user(actor_id, kind, line)
        self._optional_user(affected_id, kind, line)
        self._decisions.add(decision_id)
        self._append(
            self._decision_table,
            (decision_id, actor_id, target_type, target_id, affected_id, action, category,
             reason, previous or {}, created_at, reversed_at),
        )  # fmt: skip

    def _report(self, kind: str, values: tuple, line: int) -> None:
        (report_id, reporter_id, target_type, target_id, target_user_id, category, text,
         snapshot, status, decision_id, created_at, updated_at) = values  # fmt: skip
        if report_id in self._report_ids:
            raise DumpError(line, f"duplicate report id {report_id}")
        self._require_user(reporter_id, kind, line)
        self._optional_user(target_user_id, kind, line)
        if decision_id is not None:
            self._require_decision(decision_id, kind, line)
        if status == Report.Status.OPEN:
            # One open report per reporter and target (report_one_open_per_target).
            key = (reporter_id, target_type, target_id)
            if key in self._open_reports:
                raise DumpError(
                    line,
                    f"user {reporter_id} already has an open report on {target_type} "
                    f"{target_id} (one per reporter and target)",
                )
            self._open_reports.add(key)
        self._report_ids.add(report_id)
        self._append(
            self._report_table,
            (report_id, reporter_id, target_type, target_id, target_user_id, category, text,
             snapshot or {}, status, decision_id, created_at, updated_at or created_at),
        )  # fmt: skip

    def _appeal(self, kind: str, values: tuple, line: int) -> None:
        (appeal_id, decision_id, appellant_id, text, created_at, outcome, reason,
         decided_by, decided_at) = values  # fmt: skip
        if appeal_id in self._appeal_ids:
            raise DumpError(line, f"duplicate appeal id {appeal_id}")
        self._require_decision(decision_id, kind, line)
        if decision_id in self._appealed:
            raise DumpError(line, f"decision {decision_id} is already appealed (once each)")
        self._require_user(appellant_id, kind, line)
        self._optional_user(decided_by, kind, line)
        if (outcome is None) != (decided_at is None):
            raise DumpError(line, 'appeal needs both "outcome" and "decided_at", or neither')
        self._appeal_ids.add(appeal_id)
        self._appealed.add(decision_id)
        self._append(
            self._appeal_table,
            (appeal_id, decision_id, appellant_id, text, created_at, outcome or "", reason,
             decided_by, decided_at),
        )  # fmt: skip

    def _audit_entry(self, kind: str, values: tuple, line: int) -> None:
        (entry_id, actor_id, actor_name, action, target_type, target_id, target_name, reason,
         created_at) = values  # fmt: skip
        if entry_id in self._audit_ids:
            raise DumpError(line, f"duplicate audit entry id {entry_id}")
        self._optional_user(actor_id, kind, line)
        self._audit_ids.add(entry_id)
        self._append(
            self._audit_table,
            (entry_id, actor_id, actor_name, action, target_type, target_id, target_name,
             reason, created_at),
        )  # fmt: skip


def _unusable_password() -> str:
    # What make_password(None) stores ("!" and 40 random characters), ten times faster:
    # its per-character secrets.choice() was a fifth of the import's time on big dumps.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _recount_posts(*, fresh: bool = False) -> None:
    """Set every post's counters from the rows (remarks: the counted ones, as the post's
    services count them: `post.visibility.counted_remark`).

    `fresh`: every post was just written with zero counters (the import), so on PostgreSQL
    only the posts that have rows need an update.
    """
    if connection.vendor != "postgresql":
        Post.objects.update(
            hearts_count=_count_per_post(Appreciation, kind=Appreciation.Kind.HEART),
            praise_count=_count_per_post(Appreciation, kind=Appreciation.Kind.PRAISE),
            trophy_count=_count_per_post(Appreciation, kind=Appreciation.Kind.TROPHY),
            comment_count=_count_per_post(Comment, counted_remark()),
            critique_count=_count_per_post(Critique, counted_remark()),
        )
        return
    # PostgreSQL, whose tables have no secondary index yet (see _DeferredIndexes): each
    # table grouped once by a hash, then one UPDATE of the posts that have any. The
    # others keep the zeros they were written with.
    q = connection.ops.quote_name
    tables = {
        "post": q(Post._meta.db_table),
        "appr": q(Appreciation._meta.db_table),
        "comment": q(Comment._meta.db_table),
        "critique": q(Critique._meta.db_table),
    }
    # The remark counts per post, from the one rule (its SQL, as the ORM writes it).
    comments, comment_params = _counted_per_post_sql(Comment)
    critiques, critique_params = _counted_per_post_sql(Critique)
    with connection.cursor() as cursor:
        if not fresh:
            cursor.execute(
                "UPDATE {post} SET hearts_count = 0, praise_count = 0, trophy_count = 0, "
                "comment_count = 0, critique_count = 0 WHERE hearts_count <> 0 OR "
                "praise_count <> 0 OR trophy_count <> 0 OR comment_count <> 0 OR "
                "critique_count <> 0".format(**tables)
            )
        cursor.execute(
            """
            UPDATE {post} AS p
            SET hearts_count = c.hearts, praise_count = c.praise, trophy_count = c.trophies,
                comment_count = c.comments, critique_count = c.critiques
            FROM (
                SELECT post_id, SUM(hearts) AS hearts, SUM(praise) AS praise,
                       SUM(trophies) AS trophies, SUM(comments) AS comments,
                       SUM(critiques) AS critiques
                FROM (
                    SELECT post_id, COUNT(*) FILTER (WHERE kind = %s) AS hearts,
                           COUNT(*) FILTER (WHERE kind = %s) AS praise,
                           COUNT(*) FILTER (WHERE kind = %s) AS trophies,
                           0 AS comments, 0 AS critiques
                    FROM {appr} GROUP BY post_id
                    UNION ALL
                    SELECT post_id, 0, 0, 0, n, 0 FROM ({comments}) AS cm
                    UNION ALL
                    SELECT post_id, 0, 0, 0, 0, n FROM ({critiques}) AS cr
                ) AS parts
                GROUP BY post_id
            ) AS c
            WHERE p.id = c.post_id
            """.format(**tables, comments=comments, critiques=critiques),
            [Appreciation.Kind.HEART, Appreciation.Kind.PRAISE, Appreciation.Kind.TROPHY]
            + comment_params
            + critique_params,
        )


def _counted_per_post_sql(model: type[models.Model]) -> tuple[str, list]:
    """(SQL, params) of `post_id, n`: the counted remarks of `model` per post."""
    rows = (
        model.objects.filter(counted_remark())
        .order_by()
        .values("post_id")
        .annotate(n=Count("pk"))
        .values("post_id", "n")
    )
    sql, params = rows.query.sql_with_params()
    return sql, list(params)


def _count_per_post(model: type[models.Model], *conditions: Any, **match: Any) -> Coalesce:
    rows = (
        model.objects.filter(*conditions, post=OuterRef("pk"), **match)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _recount_members() -> None:
    """Set every collective's members_count from the memberships."""
    if connection.vendor == "postgresql":
        q = connection.ops.quote_name
        collective, member = Collective._meta.db_table, CollectiveMember._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {q(collective)} AS c SET members_count = m.n
                FROM (SELECT collective_id, COUNT(*) AS n FROM {q(member)} GROUP BY 1) AS m
                WHERE c.id = m.collective_id
                """
            )
        return
    members = (
        CollectiveMember.objects.filter(collective=OuterRef("pk"))
        .order_by()
        .values("collective")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Collective.objects.update(members_count=Coalesce(Subquery(members), 0))


@contextmanager
def _work_mem(size: str) -> Iterator[None]:
    """PostgreSQL: let this transaction's sorts and hashes use `size` before spilling."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [size])
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET work_mem")


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    # Rows were written with explicit ids, which PostgreSQL's sequences do not see; without
    # this the next post created through the API would collide with an imported id.
    # SQLite (AUTOINCREMENT) keeps track by itself and returns no statements here.
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
