"""Time spent on the feed: dwell reports from the feed page, and their sum per variant.

The feed page counts how long each card stays at least half on screen while the tab is
visible, and sends what it accumulated in batches (POST /api/analytics/dwell/). A report
is written as it arrives, one row per post, for posts the member may see.

Reports carry no variant. Like engagement, a report counts for an exposure: the latest
page (among the summary's source's pages) that showed that post to that user no more
than the attribution window before the report; and it counts in the period, and the
rollup bucket, where that page was served. Reports with no such exposure (an exposure
lost from a full buffer, or pruned) are counted apart as unattributed, in the period of
their own time.

`aggregate_dwell` computes these figures for any spans of time, per hour: the rollup
stores them per bucket (atelier/analytics/rollup.py), the summary adds the stored buckets
to the same figures of the partial hours at the edges of its period. Every figure adds up
across buckets - seconds; exposures looked at (a report belongs to one exposure, so an
exposure is looked at in its own bucket only); unattributed reports - so the summary from
the rollup equals the aggregation of the whole period.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, FloatField, Func, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from atelier.analytics.models import ExposedPost, PostDwell
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


@dataclass
class DwellCell:
    """Time on screen of one hour and variant: seconds, and the exposures looked at (for
    the unattributed reports, None's cell: their number)."""

    seconds: float = 0.0
    viewed: int = 0

    def add(self, other: "DwellCell") -> None:
        self.seconds += other.seconds
        self.viewed += other.viewed


# (hour, variant); variant None: the unattributed reports of that hour.
DwellKey = tuple[datetime, str | None]
# [start, end), or [start, end] when closed.
Span = tuple[datetime, datetime, bool]


SOURCES = ("all", "assigned", "explicit")


def scoped(exposures: QuerySet, source: str) -> QuerySet:
    """The exposures of the summary's source: "assigned" keeps the pages whose variant the
    rollout chose, "explicit" those whose client asked for an ordering, "all" every one."""
    if source == "assigned":
        return exposures.filter(explicit_ordering=False)
    if source == "explicit":
        return exposures.filter(explicit_ordering=True)
    return exposures


def _within(field: str, spans: list[Span]) -> Q:
    q = Q()
    for start, end, closed in spans:
        q |= Q(**{f"{field}__gte": start, f"{field}__{'lte' if closed else 'lt'}": end})
    return q


def _reach(field: str, spans: list[Span], *, before=timedelta(0), after=timedelta(0)) -> Q:
    # Constant bounds for the planner: each span widened by the window on one side. One
    # range from the first span to the last would cover a month between a period's two
    # partial hours, and the planner would hash the month instead of looking rows up.
    q = Q()
    for start, end, _closed in spans:
        q |= Q(**{f"{field}__gte": start - before, f"{field}__lte": end + after})
    return q


def _utc(value) -> datetime:
    # An hour read through a raw cursor: a naive UTC datetime (PostgreSQL) or text (SQLite).
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def aggregate_dwell(
    *, spans: list[Span], source: str, window: timedelta
) -> dict[DwellKey, DwellCell]:
    """Time on screen of the exposures served within `spans` (sorted, disjoint) among the
    source's pages, by hour served and variant; and of the unattributed reports made
    within them, by hour reported (variant None). Two queries.

    Attributed: each exposure sums the reports it claims - its user's on its post within
    the window after it, with no later exposure of the source to that user of that post
    before the report (ties: the larger id is later) - and is looked at when it claims
    one. Driven from the exposures' side: one index lookup in the reports per exposure
    (the reports' (user, post, recorded_at) index), then per claimed report one in the
    exposures' (user, post, served_at) index.
    """
    if not spans:
        return {}
    shown = scoped(ExposedPost.objects.all(), source)
    later = shown.filter(
        Q(served_at__gt=OuterRef(OuterRef("served_at")))
        | Q(served_at=OuterRef(OuterRef("served_at")), id__gt=OuterRef(OuterRef("id"))),
        user_id=OuterRef("user_id"),
        post_id=OuterRef("post_id"),
        served_at__lte=OuterRef("recorded_at"),
    ).filter(_reach("served_at", spans, after=window))
    claimed = (
        PostDwell.objects.filter(
            ~Exists(later),
            user_id=OuterRef("user_id"),
            post_id=OuterRef("post_id"),
            recorded_at__gte=OuterRef("served_at"),
            recorded_at__lte=OuterRef("served_at") + window,
        )
        .filter(_reach("recorded_at", spans, after=window))
        .order_by()
        # An aggregate over the whole subquery (no GROUP BY): NULL when it claims none.
        .annotate(total=Func("seconds", function="SUM", output_field=FloatField()))
        .values("total")
    )
    looked = (
        scoped(ExposedPost.objects.filter(_within("served_at", spans)), source)
        .annotate(
            bucket=TruncHour("served_at", tzinfo=UTC),
            looked=Subquery(claimed, output_field=FloatField()),
        )
        .values("bucket", "variant", "looked")
        .order_by()
    )
    inner, params = looked.query.sql_with_params()
    cells: dict[DwellKey, DwellCell] = {}
    with connection.cursor() as cursor:
        # A derived table, so that each exposure's subquery runs once for both aggregates:
        # PostgreSQL would flatten it and run the subquery for each (twice the time,
        # measured), unless told not to by an OFFSET. COUNT and SUM skip the exposures that
        # claim nothing.
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        cursor.execute(
            'SELECT "bucket", "variant", COUNT("looked"), SUM("looked") '
            f'FROM ({inner}{fence}) AS "looked" GROUP BY "bucket", "variant"',
            params,
        )
        for bucket, variant, viewed, seconds in cursor.fetchall():
            if viewed:
                cells[(_utc(bucket), variant)] = DwellCell(seconds=float(seconds), viewed=viewed)

    claimable = shown.filter(
        user_id=OuterRef("user_id"),
        post_id=OuterRef("post_id"),
        served_at__lte=OuterRef("recorded_at"),
        served_at__gte=OuterRef("recorded_at") - window,
    ).filter(_reach("served_at", spans, before=window))
    unattributed = (
        PostDwell.objects.filter(_within("recorded_at", spans))
        .filter(~Exists(claimable))
        .annotate(bucket=TruncHour("recorded_at", tzinfo=UTC))
        .values("bucket")
        .annotate(reports=Count("id"), seconds=Sum("seconds"))
        .order_by()
    )
    for row in unattributed:
        cells[(row["bucket"], None)] = DwellCell(seconds=row["seconds"], viewed=row["reports"])
    return cells


def dwell_by_variant(cells: dict[DwellKey, DwellCell]) -> dict[str | None, DwellCell]:
    """The cells of any hours added up per variant (None: unattributed)."""
    out: dict[str | None, DwellCell] = {}
    for (_hour, variant), cell in cells.items():
        out.setdefault(variant, DwellCell()).add(cell)
    return out
