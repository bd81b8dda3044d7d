"""The daily analytics rollup: each UTC day's exposures as a few additive rows.

`aggregate_cells` and `aggregate_pages` compute, for any set of raw exposures, the figures
the summary is made of, per (date, variant, explicit ordering[, post type]), in a form
that adds up across days: counts, sums and the sorted response times of the pages;
`aggregate_dwell` (atelier/analytics/dwell.py) the time on screen, per source. The
rollup stores them per day (`rollup_day`, replacing what was there: re-running a day is
harmless); the summary adds the stored days to the same figures computed from the raw rows
of whatever is not stored or not settled (the edges of its period, the last day or two).
Both go through these functions, so a day reads the same stored or raw.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Count, FloatField, Max, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate, TruncHour
from django.utils import timezone

from atelier.analytics.attribution import attribution_filters
from atelier.analytics.dwell import SOURCES, DwellCell, aggregate_dwell
from atelier.analytics.models import (
    DwellRollup,
    ExposedPost,
    ExposureRollup,
    PageRollup,
    RollupBucket,
)
from atelier.analytics.rollout import load_rollout
from atelier.feed.components import NAMES as COMPONENTS


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a UTC day."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


@dataclass
class Cell:
    """Additive figures of the exposed posts of one date, variant, source and post type."""

    exposed: int = 0
    engaged: int = 0
    opened: int = 0
    scored: int = 0
    score_sum: float = 0.0
    # component name -> [sum of points, number of scored exposures that have it]
    components: dict[str, list] = field(default_factory=dict)

    def add(self, other: "Cell") -> None:
        self.exposed += other.exposed
        self.engaged += other.engaged
        self.opened += other.opened
        self.scored += other.scored
        self.score_sum += other.score_sum
        for name, (total, n) in other.components.items():
            mine = self.components.setdefault(name, [0.0, 0])
            mine[0] += total
            mine[1] += n


@dataclass
class PageCell:
    """Served pages of one date, variant and source: count, diversity sums, timings."""

    pages: int = 0
    authors_sum: int = 0
    types_sum: int = 0
    # Arrays of response times (ms), concatenated only when read: adding is cheap.
    response_ms: list[np.ndarray] = field(default_factory=list)

    def add(self, other: "PageCell") -> None:
        self.pages += other.pages
        self.authors_sum += other.authors_sum
        self.types_sum += other.types_sum
        self.response_ms.extend(other.response_ms)

    def timings(self) -> np.ndarray:
        """Every response time, ascending."""
        if not self.response_ms:
            return np.empty(0)
        return np.sort(np.concatenate(self.response_ms))


# (date, variant, explicit_ordering, post_type) and (date, variant, explicit_ordering)
CellKey = tuple[date, str, bool, str]
PageKey = tuple[date, str, bool]


def _period(by_hour: bool):
    # The first element of every cell key: the UTC date, or the hour (a datetime).
    return TruncHour("served_at", tzinfo=UTC) if by_hour else TruncDate("served_at", tzinfo=UTC)


def aggregate_cells(
    exposures: QuerySet,
    *,
    start: datetime,
    end: datetime,
    window: timedelta,
    by_hour: bool = False,
    spans: list[tuple[datetime, datetime]] | None = None,
) -> dict[CellKey, Cell]:
    """The additive figures of `exposures` (served within [start, end]), one query; keyed
    by UTC date, or with by_hour by the hour."""
    engaged, opened = attribution_filters(
        exposures, start=start, end=end, window=window, spans=spans
    )
    scored = Q(score__isnull=False)
    points = {}
    for name in COMPONENTS:
        value = Cast(KT(f"breakdown__{name}"), FloatField())
        points[f"s_{name}"] = Sum(value, filter=scored)
        points[f"n_{name}"] = Count(value, filter=scored)
    rows = (
        exposures.annotate(date=_period(by_hour))
        .values("date", "variant", "explicit_ordering", "post_type")
        .annotate(
            exposed=Count("id"),
            engaged=Count("id", filter=engaged),
            opened=Count("id", filter=opened),
            scored=Count("id", filter=scored),
            score_sum=Sum("score"),
            **points,
        )
        .order_by()
    )
    cells = {}
    for row in rows:
        key = (row["date"], row["variant"], row["explicit_ordering"], row["post_type"])
        cells[key] = Cell(
            exposed=row["exposed"],
            engaged=row["engaged"],
            opened=row["opened"],
            scored=row["scored"],
            score_sum=row["score_sum"] or 0.0,
            components={
                name: [row[f"s_{name}"] or 0.0, row[f"n_{name}"]]
                for name in COMPONENTS
                if row[f"n_{name}"]
            },
        )
    return cells


def aggregate_pages(exposures: QuerySet, *, by_hour: bool = False) -> dict[PageKey, PageCell]:
    """The served pages among `exposures`: one row a page from the database, added up here.

    A page's rows share its served_at, variant and explicit ordering, so a page falls in
    exactly one cell.
    """
    rows = (
        exposures.annotate(date=_period(by_hour))
        .values_list("date", "variant", "explicit_ordering", "page_id")
        .annotate(
            authors=Count("author_id", distinct=True),
            types=Count("post_type", distinct=True),
            ms=Max("response_ms"),
        )
        .order_by()
    )
    cells: dict[PageKey, PageCell] = defaultdict(PageCell)
    timings: dict[PageKey, list[float]] = defaultdict(list)
    for day, variant, explicit, _page_id, authors, types, ms in rows:
        cell = cells[(day, variant, explicit)]
        cell.pages += 1
        cell.authors_sum += authors
        cell.types_sum += types
        if ms is not None:
            timings[(day, variant, explicit)].append(ms)
    for key, values in timings.items():
        cells[key].response_ms.append(np.array(values, dtype=np.float64))
    return dict(cells)


HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def hour_floor(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def is_settled(bucket: RollupBucket) -> bool:
    """True when nothing that happens after the bucket was computed can change it: every
    exposure in it had had its whole attribution window."""
    end = bucket.start + timedelta(hours=bucket.hours)
    return bucket.computed_at >= end + timedelta(hours=bucket.window_hours)


def _store(
    hours: int,
    starts: list[datetime],
    cells: dict,
    pages: dict,
    dwell: dict,
    *,
    window_hours: int,
    computed_at: datetime,
) -> None:
    """Replace the rows of these buckets (of `hours` hours each) by the cells, keyed by
    (bucket start, variant, explicit ordering[, post type]), and the time on screen, keyed
    by (bucket start, source, variant or None): a few queries for them all."""
    for model in (ExposureRollup, PageRollup, DwellRollup, RollupBucket):
        model.objects.filter(hours=hours, start__in=starts).delete()
    ExposureRollup.objects.bulk_create(
        ExposureRollup(
            start=start,
            hours=hours,
            variant=variant,
            explicit_ordering=explicit,
            post_type=post_type,
            exposed=cell.exposed,
            engaged=cell.engaged,
            opened=cell.opened,
            scored=cell.scored,
            score_sum=cell.score_sum,
            components=cell.components,
        )
        for (start, variant, explicit, post_type), cell in cells.items()
    )
    PageRollup.objects.bulk_create(
        PageRollup(
            start=start,
            hours=hours,
            variant=variant,
            explicit_ordering=explicit,
            pages=cell.pages,
            authors_sum=cell.authors_sum,
            types_sum=cell.types_sum,
            response_ms=cell.timings().tobytes(),
        )
        for (start, variant, explicit), cell in pages.items()
    )
    DwellRollup.objects.bulk_create(
        DwellRollup(
            start=start,
            hours=hours,
            source=source,
            variant=variant or DwellRollup.UNATTRIBUTED,
            seconds=cell.seconds,
            viewed=cell.viewed,
        )
        for (start, source, variant), cell in dwell.items()
    )
    RollupBucket.objects.bulk_create(
        RollupBucket(start=start, hours=hours, window_hours=window_hours, computed_at=computed_at)
        for start in starts
    )


@transaction.atomic
def rollup_hours(first: datetime, count: int, *, now: datetime | None = None) -> None:
    """Compute `count` consecutive hours' rollups from the raw rows (two aggregate queries
    for them all, and two per source for time on screen), replacing any earlier ones."""
    now = now or timezone.now()
    window_hours = load_rollout().attribution_window_hours
    end = first + HOUR * count
    exposures = ExposedPost.objects.filter(served_at__gte=first, served_at__lt=end)
    window = timedelta(hours=window_hours)
    dwell = {
        (hour, source, variant): cell
        for source in SOURCES
        for (hour, variant), cell in aggregate_dwell(
            spans=[(first, end, False)], source=source, window=window
        ).items()
    }
    _store(
        1,
        [first + HOUR * i for i in range(count)],
        aggregate_cells(exposures, start=first, end=end, window=window, by_hour=True),
        aggregate_pages(exposures, by_hour=True),
        dwell,
        window_hours=window_hours,
        computed_at=now,
    )


@transaction.atomic
def rollup_day_from_hours(day: date) -> None:
    """A UTC day's rollup as the sum of its 24 hour buckets (which must all exist)."""
    start, end = day_bounds(day)
    hours = list(RollupBucket.objects.filter(hours=1, start__gte=start, start__lt=end))
    if len(hours) != 24 or len({h.window_hours for h in hours}) != 1:
        raise ValueError(f"{day}: its 24 hours are not all rolled up under one window")
    cells: dict = {}
    rows = ExposureRollup.objects.filter(hours=1, start__gte=start, start__lt=end)
    for variant, explicit, post_type, *figures in rows.values_list(
        "variant", "explicit_ordering", "post_type", *CELL_FIELDS
    ):
        key = (start, variant, explicit, post_type)
        cells.setdefault(key, Cell()).add(stored_cell(*figures))
    pages: dict = {}
    page_rows = PageRollup.objects.filter(hours=1, start__gte=start, start__lt=end)
    for variant, explicit, *figures in page_rows.values_list(
        "variant", "explicit_ordering", *PAGE_FIELDS
    ):
        pages.setdefault((start, variant, explicit), PageCell()).add(stored_page_cell(*figures))
    dwell: dict = {}
    dwell_rows = DwellRollup.objects.filter(hours=1, start__gte=start, start__lt=end)
    for source, variant, seconds, viewed in dwell_rows.values_list(
        "source", "variant", "seconds", "viewed"
    ):
        key = (start, source, variant or None)
        dwell.setdefault(key, DwellCell()).add(DwellCell(seconds=seconds, viewed=viewed))
    # The day is as fresh as its least fresh hour.
    _store(
        24,
        [start],
        cells,
        pages,
        dwell,
        window_hours=hours[0].window_hours,
        computed_at=min(h.computed_at for h in hours),
    )


CELL_FIELDS = ("exposed", "engaged", "opened", "scored", "score_sum", "components")
PAGE_FIELDS = ("pages", "authors_sum", "types_sum", "response_ms")


def stored_cell(exposed, engaged, opened, scored, score_sum, components) -> Cell:
    """A Cell from an ExposureRollup row's CELL_FIELDS."""
    return Cell(
        exposed=exposed,
        engaged=engaged,
        opened=opened,
        scored=scored,
        score_sum=score_sum,
        components={name: list(pair) for name, pair in components.items()},
    )


def stored_page_cell(pages, authors_sum, types_sum, response_ms) -> PageCell:
    """A PageCell from a PageRollup row's PAGE_FIELDS."""
    return PageCell(
        pages=pages,
        authors_sum=authors_sum,
        types_sum=types_sum,
        response_ms=[np.frombuffer(bytes(response_ms), dtype=np.float64)],
    )


def rollup_due(*, all_hours: bool = False, now: datetime | None = None) -> list[datetime]:
    """Roll up the completed hours within the retention that need it - all of them with
    all_hours, else those not rolled up yet, computed under another window, or not
    settled when last computed - and the days they belong to; forget the buckets past the
    retention. Return the hours rolled up.

    Run every few minutes, this computes the last (window + 1) hours again each time: the
    summary's engagement of recent exposures is as fresh as the last run.
    """
    now = now or timezone.now()
    rollout = load_rollout()
    first = hour_floor(now - timedelta(days=rollout.retention_days)) + HOUR
    current = hour_floor(now)
    hours = [first + HOUR * i for i in range(int((current - first) / HOUR))]
    if not all_hours:
        fresh = {
            bucket.start
            for bucket in RollupBucket.objects.filter(hours=1, start__gte=first)
            if bucket.window_hours == rollout.attribution_window_hours and is_settled(bucket)
        }
        hours = [hour for hour in hours if hour not in fresh]
    # Consecutive hours together, a day at most at a time.
    run: list[datetime] = []
    for hour in [*hours, None]:
        if run and (hour is None or hour != run[-1] + HOUR or len(run) == 24):
            rollup_hours(run[0], len(run), now=now)
            run = []
        if hour is not None:
            run.append(hour)
    # Whole days whose hours changed (or that have no day bucket yet).
    have_day = set(
        RollupBucket.objects.filter(hours=24, start__gte=first).values_list("start", flat=True)
    )
    changed = {hour.date() for hour in hours}
    first_day = first.date() + (DAY if first.hour else timedelta(0))
    day = first_day
    while day_bounds(day)[1] <= current:
        if day in changed or day_bounds(day)[0] not in have_day:
            rollup_day_from_hours(day)
        day += DAY
    for model in (ExposureRollup, PageRollup, DwellRollup, RollupBucket):
        model.objects.filter(start__lt=first).delete()
    return hours
