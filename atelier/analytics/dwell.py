"""Time spent on the feed: dwell reports from the feed page, and their sum per variant.

The feed page counts how long each card stays at least half on screen while the tab is
visible, and sends what it accumulated in batches (POST /api/analytics/dwell/). A report
is written as it arrives, one row per post, for posts the member may see.

Reports carry no variant. Like engagement, a report counts for the variant of an
exposure: the latest page of the period that showed that post to that user no more than
the attribution window before the report. Reports with no such exposure (an exposure
lost from a full buffer, or pruned) are counted apart as unattributed.
"""

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from atelier.analytics.models import PostDwell
from atelier.post.selectors import visible_posts

# Bounds of one report. A page sends every DWELL_FLUSH_SECONDS (feed.js) and pauses while
# hidden, so a legitimate item is a few seconds; the ceiling leaves room for a late timer
# and refuses a forged hour.
MAX_ITEMS_PER_REPORT = 100
MAX_SECONDS_PER_ITEM = 300.0
PRUNE_BATCH_SIZE = 5_000


def dwell_record(*, user, items: list[tuple[int, float]]) -> int:
    """Store (post id, seconds) pairs reported by `user`; return how many were stored.

    The post ids must be distinct and the seconds within bounds (the API checks both).
    Posts the user may not see (deleted meanwhile, a block, a collective left) are skipped
    silently, as seen marks are: the batch is not refused for something the reader could
    not help.
    """
    if not items:
        return 0
    wanted = [post_id for post_id, _ in items]
    visible = set(visible_posts(user).filter(id__in=wanted).values_list("id", flat=True))
    now = timezone.now()
    rows = [
        PostDwell(user_id=user.id, post_id=post_id, seconds=seconds, recorded_at=now)
        for post_id, seconds in items
        if post_id in visible
    ]
    PostDwell.objects.bulk_create(rows)
    return len(rows)


def prune_dwell(*, older_than_days: int) -> int:
    """Delete dwell reports older than the retention, a batch of ids at a time."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted = 0
    while True:
        ids = list(
            PostDwell.objects.filter(recorded_at__lt=cutoff).values_list("id", flat=True)[
                :PRUNE_BATCH_SIZE
            ]
        )
        if not ids:
            return deleted
        deleted += PostDwell.objects.filter(id__in=ids).delete()[0]


def _viewed_sql(exposures: QuerySet, *, start: datetime, end: datetime, window) -> tuple:
    """SQL of the viewed posts: variant (NULL: unattributed), user, post, seconds summed.

    On PostgreSQL one hash join of the reports with the period's exposures, the latest
    exposure per report kept by DISTINCT ON; elsewhere a correlated lookup per report on
    the exposures' (user, post, served_at) index. Both give the same rows (the tests run on
    both); the join took half the time of the lookups on a million exposures and 320,000
    reports (docs/analytics.md).
    """
    if connection.vendor == "postgresql":
        shown, shown_params = (
            exposures.values("id", "user_id", "post_id", "variant", "served_at")
            .order_by()
            .query.sql_with_params()
        )
        table = PostDwell._meta.db_table
        sql = (
            "SELECT variant, user_id, post_id, SUM(seconds) AS seconds FROM ("
            " SELECT DISTINCT ON (d.id) d.user_id, d.post_id, d.seconds, e.variant"
            f" FROM {table} d LEFT JOIN ({shown}) e"
            " ON e.user_id = d.user_id AND e.post_id = d.post_id"
            " AND e.served_at <= d.recorded_at AND e.served_at >= d.recorded_at - %s"
            " WHERE d.recorded_at >= %s AND d.recorded_at <= %s"
            " ORDER BY d.id, e.served_at DESC, e.id DESC"
            ") AS reports GROUP BY variant, user_id, post_id"
        )
        return sql, (*shown_params, window, start, end + window)
    latest = (
        exposures.filter(
            user_id=OuterRef("user_id"),
            post_id=OuterRef("post_id"),
            served_at__lte=OuterRef("recorded_at"),
            served_at__gte=OuterRef("recorded_at") - window,
        )
        .order_by("-served_at", "-id")
        .values("variant")[:1]
    )
    viewed = (
        PostDwell.objects.filter(recorded_at__gte=start, recorded_at__lte=end + window)
        .annotate(variant=Subquery(latest))
        .values("variant", "user_id", "post_id")
        .annotate(seconds=Sum("seconds"))
        .order_by()
    )
    return viewed.query.sql_with_params()


def dwell_by_variant(exposures: QuerySet, *, start: datetime, end: datetime, window) -> dict:
    """Per variant (None for unattributed reports): seconds on screen and viewed posts.

    `exposures` is the period's exposures (with the summary's source filter); one query.
    """
    inner, params = _viewed_sql(exposures, start=start, end=end, window=window)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT variant, COUNT(*), SUM(seconds) FROM ({inner}) AS viewed GROUP BY variant",
            params,
        )
        return {
            variant: {"seconds": float(seconds or 0.0), "viewed_posts": viewed}
            for variant, viewed, seconds in cursor.fetchall()
        }
