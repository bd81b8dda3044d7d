"""Time spent on the feed: dwell reports from the feed page, and their sum per variant.

The feed page counts how long each card stays at least half on screen while the tab is
visible, and sends what it accumulated in batches (POST /api/analytics/dwell/). A report
is written as it arrives, one row per post, for posts the member may see.

The cap (docs/analytics.md, "The cap"): the seconds credited to one post from one served
page never exceed the wall-clock time since that page was served. A report credits each
post to the page that last showed it to the member within the attribution window - the
exposure the summary will attribute it to - found among the written exposures and, for a
page whose exposures still wait in some process's buffer, the mark `page_served` left in
the cache (`mark_served`). A (page, post) keeps its running total in a DwellCredit row,
locked while a report adds to it: of two reports at once, the second sees what the first
credited. An item over the cap is accepted and credited up to it; an item for a post no
page showed the member (or whose page is older than the window) is not credited at all.

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

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, FloatField, Func, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from atelier.analytics.exposure_rows import delete_older
from atelier.analytics.models import DwellCredit, ExposedPost, PostDwell
from atelier.analytics.rollout import load_rollout
from atelier.post.selectors import visible_posts

logger = logging.getLogger(__name__)

# Bounds of one report. A page sends every DWELL_FLUSH_SECONDS (feed.js) and pauses while
# hidden, so a legitimate item is a few seconds; the ceiling leaves room for a late timer
# and refuses a forged hour.
MAX_ITEMS_PER_REPORT = 100
MAX_SECONDS_PER_ITEM = 300.0
# How long the cache remembers which page last showed a post to a member: long enough to
# bridge the wait before a page's exposures are written (atelier/analytics/exposures.py
# writes a buffer within seconds to a minute of the response).
SERVED_MARK_SECONDS = 3600
# Less than this left under the cap credits nothing (float dust, not a look).
MIN_CREDIT_SECONDS = 0.001


def _served_mark_key(user_id: int, post_id: int) -> str:
    return f"dwell:served:{user_id}:{post_id}"


def mark_served(*, user_id: int, page_id: uuid.UUID, served_at: datetime, post_ids) -> None:
    """Remember in the cache that page `page_id`, served at `served_at`, showed these posts
    to the user (one key per post: the latest page wins). Never raises: without the mark a
    report finds the page once its exposures are written."""
    value = (page_id.hex, served_at.timestamp())
    try:
        cache.set_many(
            {_served_mark_key(user_id, post_id): value for post_id in post_ids},
            timeout=SERVED_MARK_SECONDS,
        )
    except Exception:
        logger.warning("could not mark a served page for time on screen", exc_info=True)


def _marked_pages(user_id: int, post_ids: list[int]) -> dict[int, tuple[uuid.UUID, datetime]]:
    keys = {_served_mark_key(user_id, post_id): post_id for post_id in post_ids}
    try:
        found = cache.get_many(list(keys))
    except Exception:
        logger.warning("could not read served-page marks", exc_info=True)
        return {}
    marks = {}
    for key, value in found.items():
        try:
            page_hex, timestamp = value
            marks[keys[key]] = (uuid.UUID(hex=page_hex), datetime.fromtimestamp(timestamp, UTC))
        except (TypeError, ValueError):
            continue
    return marks


def latest_pages(
    *, user_id: int, post_ids: list[int], now: datetime, window: timedelta
) -> dict[int, tuple[uuid.UUID, datetime]]:
    """Per post, (page id, served at) of the latest page that showed it to the user within
    `window` before `now`: the written exposures (one query on their (user, post,
    served_at) index) and the cache's marks of pages not written yet."""
    if not post_ids:
        return {}
    pages: dict[int, tuple[uuid.UUID, datetime]] = {}
    shown = (
        ExposedPost.objects.filter(
            user_id=user_id, post_id__in=post_ids, served_at__gte=now - window, served_at__lte=now
        )
        .order_by("post_id", "-served_at", "-id")
        .values_list("post_id", "page_id", "served_at")
    )
    for post_id, page_id, served_at in shown:
        pages.setdefault(post_id, (page_id, served_at))
    for post_id, (page_id, served_at) in _marked_pages(user_id, post_ids).items():
        if now - window <= served_at <= now and (
            post_id not in pages or served_at > pages[post_id][1]
        ):
            pages[post_id] = (page_id, served_at)
    return pages


def dwell_record(*, user, items: list[tuple[int, float]]) -> int:
    """Credit (post id, seconds) pairs reported by `user` under the cap; return how many
    rows were stored.

    The post ids must be distinct and the seconds within bounds (the API checks both).
    Posts the user may not see (deleted meanwhile, a block, a collective left) are skipped
    silently, as seen marks are: the batch is not refused for something the reader could
    not help. So is a post no page showed the user within the attribution window, and what
    exceeds the cap: the seconds of a (page, post) never pass the time since the page was
    served (the module's docstring).
    """
    if not items:
        return 0
    now = timezone.now()
    wanted = [post_id for post_id, _ in items]
    visible = set(visible_posts(user).filter(id__in=wanted).values_list("id", flat=True))
    window = timedelta(hours=load_rollout().attribution_window_hours)
    pages = latest_pages(
        user_id=user.id, post_ids=[p for p in wanted if p in visible], now=now, window=window
    )
    # Sorted by (page, post): concurrent reports insert and lock rows in the same order,
    # so two of them never wait on each other in a cycle.
    claims = sorted(
        (pages[post_id][0], post_id, seconds) for post_id, seconds in items if post_id in pages
    )
    if not claims:
        return 0
    with transaction.atomic():
        # The running totals exist first (ON CONFLICT DO NOTHING: a row made by a
        # concurrent report is kept); then they are locked (PostgreSQL: FOR UPDATE; SQLite:
        # IMMEDIATE transactions already hold the database's write lock).
        DwellCredit.objects.bulk_create(
            [
                DwellCredit(
                    page_id=page_id,
                    post_id=post_id,
                    user_id=user.id,
                    served_at=pages[post_id][1],
                )
                for page_id, post_id, _seconds in claims
            ],
            ignore_conflicts=True,
        )
        totals = {
            (credit.page_id, credit.post_id): credit
            for credit in DwellCredit.objects.select_for_update()
            .filter(
                page_id__in={page_id for page_id, _, _ in claims},
                post_id__in={post_id for _, post_id, _ in claims},
            )
            .order_by("page_id", "post_id")
        }
        changed, rows = [], []
        for page_id, post_id, seconds in claims:
            credit = totals[(page_id, post_id)]
            cap = (now - credit.served_at).total_seconds()
            granted = min(seconds, cap - credit.seconds)
            if granted < MIN_CREDIT_SECONDS:
                continue
            credit.seconds += granted
            changed.append(credit)
            rows.append(
                PostDwell(user_id=user.id, post_id=post_id, seconds=granted, recorded_at=now)
            )
        DwellCredit.objects.bulk_update(changed, ["seconds"])
        PostDwell.objects.bulk_create(rows)
    return len(rows)


def prune_dwell(*, older_than_days: int) -> int:
    """Delete dwell reports, and the running totals of pages, older than the retention, a
    batch of ids at a time."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return delete_older(((PostDwell, "recorded_at"), (DwellCredit, "served_at")), cutoff)


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
