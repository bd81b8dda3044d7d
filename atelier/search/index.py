"""The full-text index of posts, one per database vendor, kept in step by triggers.

What is indexed, and how much each part weighs, is said once here (`WEIGHTS`): the title
over the body (tags, once they exist, below both). Both databases keep their index with
triggers on `post_post`, so every write reaches it whatever wrote it: the services,
`bulk_create` (the import on SQLite, the demo, the benchmarks), PostgreSQL's COPY (the
import), a raw UPDATE, a delete, a cascade.

- **PostgreSQL**: a `tsvector` column `post_post.search_document` (not a model field:
  SQLite cannot hold it) set by a BEFORE INSERT OR UPDATE trigger, with a GIN index. A
  trigger rather than a generated column, and one without a column list, because
  PostgreSQL refuses to change the type of a column that a generated column or a
  trigger's column list names (a later migration widening the title would fail). The
  text search configuration `atelier_english` is English (Snowball stemming: "inks" finds
  "ink"; English stop words dropped) after `unaccent` ("cafe" finds "café"). `pg_trgm`
  serves the names of people and collectives (typos included).
- **SQLite**: an FTS5 table `search_post_fts` over `post_post`'s title and body
  (external content: the text is not stored twice), with the `porter` stemming tokenizer
  over `unicode61` without diacritics, and three triggers (insert, delete, update of the
  title or body). SQLite rebuilds a table to alter it, which drops its triggers:
  `restore_after_migrate` puts them back after every migrate and rebuilds the index if
  one was missing.

The migration (`search/0001_post_search_index`) runs `install` on the database it
migrates and nothing on the other vendor.
"""

from django.db import connections

# Title over body; tags (not yet) would come third, as weight C.
WEIGHTS = {"title": "A", "body": "B"}
# SQLite's bm25 weights in the same order: a title hit counts 2.5 times a body hit, as
# PostgreSQL's default ts_rank weights put A (1.0) over B (0.4).
FTS5_WEIGHTS = {"title": 1.0, "body": 0.4}

CONFIG = "atelier_english"
FTS_TABLE = "search_post_fts"
DOCUMENT_COLUMN = "search_document"

_NEW_ARGS = ", ".join(f"NEW.{column}" for column in WEIGHTS)
_DOCUMENT_SQL = " || ".join(
    f"setweight(to_tsvector('{CONFIG}', coalesce({column}, '')), '{weight}')"
    for column, weight in WEIGHTS.items()
)
_CHANGED_SQL = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in WEIGHTS)

POSTGRESQL_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.english)",
    f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    f"ALTER TABLE post_post ADD COLUMN {DOCUMENT_COLUMN} tsvector",
    # The document of a post, defined once (the trigger and the backfill below call it).
    f"""CREATE FUNCTION search_post_document({", ".join(f"{c} text" for c in WEIGHTS)})
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {_DOCUMENT_SQL} $$""",
    # No column list (UPDATE OF title, body) nor WHEN: PostgreSQL would record that the
    # trigger depends on those columns and refuse to change their type in a later
    # migration. The function itself looks whether the text changed, so an update of the
    # counters (a heart) costs a comparison, not a new document.
    f"""CREATE FUNCTION search_post_document_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' OR NEW.{DOCUMENT_COLUMN} IS NULL OR {_CHANGED_SQL} THEN
            NEW.{DOCUMENT_COLUMN} := search_post_document({_NEW_ARGS});
        END IF;
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER search_post_document BEFORE INSERT OR UPDATE ON post_post
    FOR EACH ROW EXECUTE FUNCTION search_post_document_trigger()""",
    # The posts already there.
    f"UPDATE post_post SET {DOCUMENT_COLUMN} = search_post_document({', '.join(WEIGHTS)})",
    f"CREATE INDEX post_search_document_idx ON post_post USING gin ({DOCUMENT_COLUMN})",
    "CREATE INDEX user_username_trgm_idx ON core_user USING gin (username gin_trgm_ops)",
    "CREATE INDEX collective_name_trgm_idx ON collective_collective USING gin (name gin_trgm_ops)",
]

POSTGRESQL_UNINSTALL = [
    "DROP INDEX IF EXISTS collective_name_trgm_idx",
    "DROP INDEX IF EXISTS user_username_trgm_idx",
    "DROP TRIGGER IF EXISTS search_post_document ON post_post",
    "DROP FUNCTION IF EXISTS search_post_document_trigger()",
    f"DROP FUNCTION IF EXISTS search_post_document({', '.join('text' for _ in WEIGHTS)})",
    f"ALTER TABLE post_post DROP COLUMN IF EXISTS {DOCUMENT_COLUMN}",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}",
]

_COLUMNS = ", ".join(WEIGHTS)
_NEW = ", ".join(f"new.{column}" for column in WEIGHTS)
_OLD = ", ".join(f"old.{column}" for column in WEIGHTS)
SQLITE_TRIGGERS = {
    "search_post_fts_insert": f"""
        CREATE TRIGGER IF NOT EXISTS search_post_fts_insert AFTER INSERT ON post_post BEGIN
            INSERT INTO {FTS_TABLE} (rowid, {_COLUMNS}) VALUES (new.id, {_NEW});
        END""",
    "search_post_fts_delete": f"""
        CREATE TRIGGER IF NOT EXISTS search_post_fts_delete AFTER DELETE ON post_post BEGIN
            INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_COLUMNS})
            VALUES ('delete', old.id, {_OLD});
        END""",
    "search_post_fts_update": f"""
        CREATE TRIGGER IF NOT EXISTS search_post_fts_update
        AFTER UPDATE OF {_COLUMNS} ON post_post BEGIN
            INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_COLUMNS})
            VALUES ('delete', old.id, {_OLD});
            INSERT INTO {FTS_TABLE} (rowid, {_COLUMNS}) VALUES (new.id, {_NEW});
        END""",
}
SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        {_COLUMNS}, content='post_post', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    *SQLITE_TRIGGERS.values(),
    # The posts already there.
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

_STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL),
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
}


def install(connection) -> None:
    """Create the index and its triggers on `connection`'s database (a no-op elsewhere)."""
    for sql in _STATEMENTS.get(connection.vendor, ((), ()))[0]:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def uninstall(connection) -> None:
    """Drop what `install` created (the extensions stay: others may use them)."""
    for sql in _STATEMENTS.get(connection.vendor, ((), ()))[1]:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def missing_sqlite_triggers(connection) -> list[str]:
    """The names of the SQLite triggers that keep the index in step and are missing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in SQLITE_TRIGGERS if name not in present]


def restore_after_migrate(sender, using="default", **kwargs) -> None:
    """SQLite: put back the triggers a table rebuild dropped, then rebuild the index.

    Django alters a SQLite table by copying it into a new one and dropping the old, and
    its triggers go with it; the rows keep their ids, but anything written to the new
    table before the triggers are back is missing from the index, hence the rebuild.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:  # not migrated yet (or migrated back to zero)
            return
    missing = missing_sqlite_triggers(connection)
    if not missing:
        return
    with connection.cursor() as cursor:
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")
