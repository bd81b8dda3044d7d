"""Feed reads: the posts a viewer's feed may show, its count, and the posts of a page."""

from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from atelier.core.models import Block, UserPreference
from atelier.feed.features import memberships_of
from atelier.post.models import HiddenPost, Post, SeenPost

EXACT_COUNT_LIMIT = 10_000


def feed_queryset(
    viewer_id: int | None, *, unseen: bool = False, as_of: datetime | None = None
) -> QuerySet[Post]:
    """The posts a feed may show: visible, not hidden, not in a muted collective.

    `viewer_id` None means an anonymous visitor: public posts only. The viewer's relations
    are subqueries keyed on their id, so the query's text is the same for every viewer.
    `as_of` (a snapshot's build time) keeps the posts deleted, hidden or seen after that
    moment: offsets into a snapshot's newest-first tail then stay where they were while the
    user pages through it (posts_by_id drops those posts when a page is read).
    """
    if as_of is None:
        qs = Post.objects.filter(is_deleted=False)
    else:
        qs = Post.objects.filter(Q(is_deleted=False) | Q(deleted_at__gt=as_of))
    if viewer_id is None:
        return qs.filter(collective__isnull=True)
    mine = memberships_of(viewer_id).values("collective_id")
    muted = UserPreference.muted_collectives.through.objects.filter(
        userpreference__user_id=viewer_id
    ).values("collective_id")
    qs = qs.filter(Q(collective__isnull=True) | Q(collective_id__in=mine)).exclude(
        collective_id__in=muted
    )
    qs = qs.exclude(author_id__in=Block.objects.filter(blocker_id=viewer_id).values("blocked_id"))
    qs = qs.exclude(author_id__in=Block.objects.filter(blocked_id=viewer_id).values("blocker_id"))
    hidden = HiddenPost.objects.filter(user_id=viewer_id, post_id=OuterRef("pk"))
    if as_of is not None:
        hidden = hidden.filter(created_at__lte=as_of)
    qs = qs.exclude(Exists(hidden))
    if unseen:
        seen = SeenPost.objects.filter(user_id=viewer_id, post_id=OuterRef("pk"))
        if as_of is not None:
            seen = seen.filter(seen_at__lte=as_of)
        qs = qs.exclude(Exists(seen))
    return qs


def feed_sql(*, unseen: bool) -> str:
    """SQL: `feed_queryset` as the ranking statement reads it (a test holds the two equal):
    the viewer's feed posts (`post_post` rows), with the named parameter `v` and the common
    table expression `mine` of the viewer's collectives."""
    sql = (
        "SELECT p.* FROM post_post p WHERE NOT p.is_deleted AND (p.collective_id IS NULL OR "
        "p.collective_id IN (SELECT collective_id FROM mine) AND p.collective_id NOT IN ("
        "SELECT m.collective_id FROM core_userpreference_muted_collectives m JOIN "
        "core_userpreference u ON u.id = m.userpreference_id WHERE u.user_id = %(v)s)) "
        "AND p.author_id NOT IN (SELECT blocked_id FROM core_block WHERE blocker_id = %(v)s) "
        "AND p.author_id NOT IN (SELECT blocker_id FROM core_block WHERE blocked_id = %(v)s) "
        "AND NOT EXISTS (SELECT 1 FROM post_hiddenpost h WHERE h.user_id = %(v)s "
        "AND h.post_id = p.id)"
    )
    if unseen:
        sql += (
            " AND NOT EXISTS (SELECT 1 FROM post_seenpost s WHERE s.user_id = %(v)s "
            "AND s.post_id = p.id)"
        )
    return sql


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
