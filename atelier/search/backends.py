"""Each database's way to match, weigh and count: the only vendor-specific reads of search.

The selectors ask the backend of the connection in use (`backend()`) four things: a
filter for the posts that match a query, the text relevance of some posts, the planner's
guess of how many posts match (PostgreSQL only), and filters and an order for names
(people, collectives). Everything else (visibility, candidates, the blend, paging) is the
same code for both databases.
"""

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    IntegerField,
    Model,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Lower

from atelier.post.models import Post
from atelier.search.index import CONFIG, DOCUMENT_COLUMN, FTS5_WEIGHTS, FTS_TABLE
from atelier.search.query import SearchText


def name_words(text: SearchText) -> list[str]:
    """The words names are matched on: the wanted words, a leading "@" (a handle) dropped."""
    return [w.lstrip("@") for w in text.words() if w.lstrip("@")]


# A name word shorter than this must begin the name (`an` finds "ana", not "joan"): a
# substring of one or two letters matches a good part of every name and no trigram index
# can serve it. Typos are looked for from TYPO_MIN_LENGTH characters (trigram similarity
# of shorter strings says little).
SUBSTRING_MIN_LENGTH = 3
TYPO_MIN_LENGTH = 4


def _name_pattern(word: str) -> str:
    """The LIKE pattern of one name word: anywhere in the name, or at its start if short."""
    escaped = _like_pattern(word)
    return f"%{escaped}%" if len(word) >= SUBSTRING_MIN_LENGTH else f"{escaped}%"


def _like_pattern(word: str) -> str:
    """`word` for LIKE, its wildcards escaped (backslash is the escape of both vendors'
    LIKE as written below)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class NameOrder:
    """How names are matched and ordered: a filter and the ORDER BY terms."""

    filter: Q | RawSQL
    order: list


class PostgresBackend:
    """A `tsvector` column kept by a trigger, GIN and trigram indexes (search/index.py)."""

    # pg_trgm's similarity() above which a name counts as a match (its `%` operator's
    # default threshold).
    SIMILARITY = 0.3

    def _tsquery(self) -> str:
        return f"websearch_to_tsquery('{CONFIG}', %s)"

    def matches(self, text: SearchText):
        """A Post filter: the document matches. The second condition is a one-time filter
        (it reads no row): a query whose words are all stop words with a word left out
        (`the -ink`) would match nearly everything without the index; it matches nothing."""
        column = f'"{Post._meta.db_table}"."{DOCUMENT_COLUMN}"'
        query = text.websearch()
        return RawSQL(
            f"({column} @@ {self._tsquery()} AND querytree({self._tsquery()}) <> 'T')",
            (query, query),
            output_field=BooleanField(),
        )

    def relevance(self, text: SearchText, ids: list[int]) -> dict[int, float]:
        """ts_rank of each post of `ids` (weights D 0.1, C 0.2, B 0.4, A 1.0)."""
        if not ids:
            return {}
        sql = (
            f"SELECT id, ts_rank({DOCUMENT_COLUMN}, {self._tsquery()}) "
            f"FROM {Post._meta.db_table} WHERE id = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [text.websearch(), ids])
            return {post_id: float(rank) for post_id, rank in cursor.fetchall()}

    def estimate(self, text: SearchText) -> int:
        """The planner's estimate of the posts matching (all posts, visible or not): its
        statistics of the document's words, without running the query."""
        sql = f"SELECT 1 FROM {Post._meta.db_table} WHERE {DOCUMENT_COLUMN} @@ {self._tsquery()}"
        return self.planner_rows(sql, [text.websearch()])

    def planner_rows(self, sql: str, params) -> int:
        """How many rows the planner expects `sql` to return (EXPLAIN: nothing is run)."""
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def names(self, model: type[Model], field: str, words: list[str]) -> NameOrder:
        """Names holding every word (ILIKE, served by the trigram index), or close to the
        words together (trigram similarity: typos); exact first, then prefixes, then by
        similarity."""
        whole = " ".join(words)
        column = model._meta.get_field(field).column
        qualified = f'"{model._meta.db_table}"."{column}"'
        every_word = " AND ".join([f"{qualified} ILIKE %s"] * len(words))
        params: list = [_name_pattern(w) for w in words]
        sql = f"({every_word})"
        if len(whole) >= TYPO_MIN_LENGTH:
            sql = f"({sql} OR {qualified} %% %s)"
            params.append(whole)
        match = RawSQL(sql, params, output_field=BooleanField())
        return NameOrder(
            filter=match,
            order=[
                Case(When(**{f"{field}__iexact": whole}, then=Value(0)), default=Value(1)),
                Case(When(**{f"{field}__istartswith": whole}, then=Value(0)), default=Value(1)),
                RawSQL(f"similarity({qualified}, %s)", (whole,), output_field=FloatField()).desc(),
                Lower(field),
            ],
        )


class SqliteBackend:
    """An FTS5 table kept by triggers (search/index.py); names by LIKE (no typos)."""

    def matches(self, text: SearchText):
        return Q(
            id__in=RawSQL(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (text.fts5(),)
            )
        )

    def relevance(self, text: SearchText, ids: list[int]) -> dict[int, float]:
        """-bm25 of each post of `ids` (bm25 is lower for better matches), the title
        weighing 1.0 and the body 0.4 as on PostgreSQL."""
        if not ids:
            return {}
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS.values())
        marks = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [text.fts5(), *ids])
            return {post_id: float(rank) for post_id, rank in cursor.fetchall()}

    def estimate(self, text: SearchText) -> None:
        """SQLite has no planner estimate: counts are exact."""
        return None

    def planner_rows(self, sql: str, params) -> None:
        return None

    def names(self, model: type[Model], field: str, words: list[str]) -> NameOrder:
        """Names holding every word (LIKE ignores ASCII case); exact first, then prefixes,
        then the shortest."""
        whole = " ".join(words)
        match = Q()
        for word in words:
            short = len(word) < SUBSTRING_MIN_LENGTH
            match &= Q(**{f"{field}__{'istartswith' if short else 'icontains'}": word})
        return NameOrder(
            filter=match,
            order=[
                Case(When(**{f"{field}__iexact": whole}, then=Value(0)), default=Value(1)),
                Case(
                    When(**{f"{field}__istartswith": whole}, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                Length(F(field)),
                Lower(field),
            ],
        )


_BACKENDS = {"postgresql": PostgresBackend(), "sqlite": SqliteBackend()}


def backend() -> PostgresBackend | SqliteBackend:
    """The backend of the database in use."""
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"search does not support {connection.vendor}") from None
