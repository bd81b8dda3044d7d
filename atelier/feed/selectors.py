"""Feed reads: the posts a viewer's feed may show, its count, and the posts of a page."""

import functools
import re
from datetime import datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from atelier.post.models import Post
from atelier.post.visibility import feed_eligible_to

EXACT_COUNT_LIMIT = 10_000


def feed_queryset(
    viewer_id: int | None, *, unseen: bool = False, as_of: datetime | None = None
) -> QuerySet[Post]:
    """The posts a feed may show: the feed-eligible tier of the one visibility rule
    (atelier/post/visibility.py): visible, not hidden, not in a muted collective, and
    not seen under `unseen`.

    `viewer_id` None means an anonymous visitor: public posts only. The viewer's relations
    are subqueries keyed on their id, so the query's text is the same for every viewer.
    `as_of` (a snapshot's build time) keeps the posts deleted, hidden or seen after that
    moment: offsets into a snapshot's newest-first tail then stay where they were while the
    user pages through it (posts_by_id drops those posts when a page is read).
    """
    return Post.objects.filter(feed_eligible_to(viewer_id, unseen=unseen, as_of=as_of))


# The viewer of the ranking statement: its named parameter `v`.
_STATEMENT_VIEWER = RawSQL("%(v)s", ())


@functools.cache
def _compiled_feed_sql(vendor: str, unseen: bool) -> str:
    qs = Post.objects.filter(feed_eligible_to(_STATEMENT_VIEWER, unseen=unseen)).values("id")
    sql, params = qs.query.get_compiler(connection=connection).as_sql()
    q = connection.ops.quote_name
    table = q(Post._meta.db_table)
    head = f"SELECT {table}.{q('id')} AS {q('id')} FROM {table} WHERE "
    if not sql.startswith(head):
        raise AssertionError(f"unexpected feed SQL: {sql[:200]}")
    # The only other parameters are constants: those EXISTS selects (1) and a choice's
    # value (a fellow relation's "accepted", for moderation's limited authors), written
    # inline, so the text carries the viewer as its one named parameter.
    constants = iter(params)

    def inline(match):
        value = next(constants)
        if isinstance(value, str) and re.fullmatch(r"[a-z_]{1,30}", value):
            return f"'{str(value)}'"
        if isinstance(value, bool) or not isinstance(value, int):
            raise AssertionError(f"unexpected parameter in the feed SQL: {value!r}")
        return str(int(value))

    where = re.sub(r"(?<!%)%s", inline, sql[len(head) :])
    if next(constants, None) is not None:
        raise AssertionError("a parameter of the feed SQL was not placed")
    return f"SELECT {table}.* FROM {table} WHERE {where}"


def feed_sql(*, unseen: bool) -> str:
    """SQL: `feed_queryset` as the ranking statement reads it, compiled from the same rule
    (atelier/post/visibility.py), so the two cannot drift: the viewer's feed posts
    (`post_post` rows), with the named parameter `v`. Compiled once per database vendor."""
    return _compiled_feed_sql(connection.vendor, unseen)


def count_sql() -> str:
    """SQL columns: the count of the feed `f` (capped on PostgreSQL) and, there, the
    planner's estimate of the posts, read by `read_count`."""
    if connection.vendor == "postgresql":
        return (
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM f LIMIT {EXACT_COUNT_LIMIT + 1}) n), "
            "(SELECT reltuples::bigint FROM pg_class WHERE oid = 'post_post'::regclass)"
        )
    return "(SELECT COUNT(*) FROM f), NULL"


def read_count(counted: int, estimate: int | None) -> tuple[int, bool]:
    """(count, exact) from count_sql's columns, as count_feed answers."""
    if counted <= EXACT_COUNT_LIMIT or estimate is None:
        return counted, True
    return max(EXACT_COUNT_LIMIT + 1, int(estimate)), False


def count_feed(qs: QuerySet[Post]) -> tuple[int, bool]:
    """Return (count, exact): exact up to EXACT_COUNT_LIMIT, a planner estimate beyond."""
    capped = qs.order_by().values("id")[: EXACT_COUNT_LIMIT + 1].count()
    if capped <= EXACT_COUNT_LIMIT:
        return capped, True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [Post._meta.db_table],
            )
            row = cursor.fetchone()
        return max(EXACT_COUNT_LIMIT + 1, int(row[0] or 0)), False
    return qs.order_by().count(), True


def tail_page(
    viewer_id: int,
    *,
    after: tuple[datetime, int],
    skip: list[int],
    built_at: datetime,
    offset: int,
    limit: int,
    unseen: bool,
) -> list[int]:
    """Ids of the feed after a snapshot's ranked candidates, newest first.

    Offsets count in the feed as of the snapshot's build time, so a post hidden, deleted or
    seen while the user pages does not shift the later pages (no post skipped); the page
    read drops it (posts_by_id).
    """
    if limit <= 0:
        return []
    at, pk = after
    qs = feed_queryset(viewer_id, unseen=unseen, as_of=built_at).filter(
        Q(created_at__lt=at) | Q(created_at=at, id__lt=pk)
    )
    if skip:
        qs = qs.exclude(id__in_ids=skip)
    return list(
        qs.order_by("-created_at", "-id").values_list("id", flat=True)[offset : offset + limit]
    )


def chronological_page(
    viewer_id: int | None, *, offset: int, limit: int, unseen: bool = False
) -> tuple[list[Post], int, bool]:
    """A newest-first page of the feed and the feed's count."""
    qs = feed_queryset(viewer_id, unseen=unseen)
    count, exact = count_feed(qs)
    page = list(
        qs.select_related("author", "collective").order_by("-created_at", "-id")[
            offset : offset + limit
        ]
    )
    return page, count, exact


def posts_by_id(ids: list[int], viewer_id: int | None) -> dict[int, Post]:
    """Fetch posts for a page in one query, re-checking they may still be served.

    A snapshot may be minutes old: a post deleted, hidden or no longer visible since then
    is dropped here (smart filtering on read) instead of invalidating the snapshot.
    """
    if not ids:
        return {}
    qs = feed_queryset(viewer_id)
    return {p.id: p for p in qs.select_related("author", "collective").filter(id__in_ids=ids)}
