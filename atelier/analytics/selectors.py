"""Analytics reads: the feed experiment's summary, aggregated by the database.

Four aggregate queries on PostgreSQL (five elsewhere), whatever the number of exposures,
in one transaction:

1. per (date, variant): exposed, engaged and opened posts. Attribution is one uncorrelated
   semi-join per kind of action (`id IN (exposures with a matching action in the window)`),
   which the database evaluates once and hashes, not once per exposure;
2. per post type: mean score and mean points of each component (JSON key extraction);
3. per variant, over the served pages (a derived table grouped by page): pages, distinct
   authors and post types per page, and response-time percentiles - `percentile_cont` on
   PostgreSQL, the same interpolation from window functions elsewhere (one more query);
4. per variant: seconds posts stayed on screen in the feed, each dwell report counted for
   the variant of the latest exposure before it, and the exposures looked at; the reports
   no exposure claims (two queries, atelier/analytics/dwell.py).

That is feed_summary_raw. feed_summary answers the same from the hourly and daily rollup
(atelier/analytics/rollup.py), reading raw only the partial hours at the ends of its
period and the hours not rolled up yet.

Engagement counts what still exists: a heart taken back no longer counts; a comment or
critique deleted later still does (it was written). Exposures served less than the
attribution window ago have not had their whole window yet.
"""

import functools
import math
import operator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import (
    Avg,
    Count,
    FloatField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from atelier.analytics import rollup
from atelier.analytics.attribution import attribution_filters
from atelier.analytics.dwell import (  # noqa: F401 (SOURCES: the summary's, re-exported)
    SOURCES,
    DwellCell,
    aggregate_dwell,
    dwell_by_variant,
    scoped,
)
from atelier.analytics.models import (
    DwellRollup,
    ExposedPost,
    ExposureRollup,
    PageRollup,
    RollupBucket,
    Variant,
)
from atelier.analytics.rollout import load_rollout
from atelier.feed import cache as feed_cache
from atelier.feed.components import NAMES as COMPONENTS

VARIANTS = tuple(Variant.values)
PERCENTILES = {"p50": 0.5, "p95": 0.95, "p99": 0.99}


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def exposures_between(start: datetime, end: datetime, *, source: str = "all") -> QuerySet:
    """Exposed posts served in [start, end]; `source` "assigned" keeps the pages whose
    variant the rollout chose, "explicit" those whose client asked for an ordering."""
    return scoped(ExposedPost.objects.filter(served_at__gte=start, served_at__lte=end), source)


def engagement_by_day(exposures: QuerySet, *, start, end, window) -> list[dict]:
    """Per (date, variant): exposed, engaged and opened posts (one query)."""
    engaged, opened = attribution_filters(exposures, start=start, end=end, window=window)
    return list(
        exposures.annotate(date=TruncDate("served_at", tzinfo=UTC))
        .values("date", "variant")
        .annotate(
            exposed=Count("id"),
            engaged=Count("id", filter=engaged),
            opened=Count("id", filter=opened),
        )
        .order_by("date", "variant")
    )


def score_by_post_type(exposures: QuerySet) -> dict:
    """Mean final score and mean points per component of the scored exposures, by post type."""
    components = {
        f"c_{name}": Avg(Cast(KT(f"breakdown__{name}"), FloatField())) for name in COMPONENTS
    }
    rows = (
        exposures.filter(score__isnull=False)
        .values("post_type")
        .annotate(exposed=Count("id"), mean_score=Avg("score"), **components)
        .order_by("post_type")
    )
    return {
        row["post_type"]: {
            "exposed_posts": row["exposed"],
            "mean_score": row["mean_score"],
            "components": {name: row[f"c_{name}"] for name in COMPONENTS},
        }
        for row in rows
    }


def _pages_sql(exposures: QuerySet) -> tuple[str, tuple]:
    """SQL of the served pages: variant, page_id, authors, types, ms (one row per page)."""
    pages = (
        exposures.values("variant", "page_id")
        .annotate(
            authors=Count("author_id", distinct=True),
            types=Count("post_type", distinct=True),
            ms=Max("response_ms"),
        )
        .order_by()
    )
    return pages.query.sql_with_params()


def _interpolate(values: dict[int, float], n: int, p: float) -> float:
    # percentile_cont: linear interpolation between the rows at floor and ceil of p*(n-1).
    h = p * (n - 1)
    lo = math.floor(h)
    low = values[lo]
    high = values.get(lo + 1, low)
    return low + (h - lo) * (high - low)


def pages_by_variant(exposures: QuerySet) -> dict[str, dict]:
    """Per variant: pages, mean distinct authors and post types per page, response-time
    percentiles (ms) over the pages whose time was measured."""
    inner, params = _pages_sql(exposures)
    out: dict[str, dict] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            fractions = f"ARRAY{list(PERCENTILES.values())}::float8[]"
            cursor.execute(
                "SELECT variant, COUNT(*), AVG(authors), AVG(types), COUNT(ms), "
                f"percentile_cont({fractions}) WITHIN GROUP (ORDER BY ms) "
                f"FROM ({inner}) AS pages GROUP BY variant",
                params,
            )
            for variant, pages, authors, types, timed, values in cursor.fetchall():
                out[variant] = {
                    "pages": pages,
                    "authors_per_page": float(authors),
                    "post_types_per_page": float(types),
                    "timed_pages": timed,
                    "percentiles": dict(zip(PERCENTILES, values, strict=True)) if timed else None,
                }
            return out

        cursor.execute(
            "SELECT variant, COUNT(*), AVG(authors), AVG(types), COUNT(ms) "
            f"FROM ({inner}) AS pages GROUP BY variant",
            params,
        )
        for variant, pages, authors, types, timed in cursor.fetchall():
            out[variant] = {
                "pages": pages,
                "authors_per_page": float(authors),
                "post_types_per_page": float(types),
                "timed_pages": timed,
                "percentiles": None,
            }
        # The rows each percentile interpolates between, found by rank within the variant.
        wanted = " OR ".join(
            f"i = CAST({p!r} * (n - 1) AS INTEGER) OR i = CAST({p!r} * (n - 1) AS INTEGER) + 1"
            for p in PERCENTILES.values()
        )
        cursor.execute(
            "SELECT variant, i, n, ms FROM ("
            " SELECT variant, ms,"
            " ROW_NUMBER() OVER (PARTITION BY variant ORDER BY ms) - 1 AS i,"
            " COUNT(*) OVER (PARTITION BY variant) AS n"
            f" FROM ({inner}) AS pages WHERE ms IS NOT NULL"
            f") AS ranked WHERE {wanted}",
            params,
        )
        ranked: dict[str, tuple[int, dict[int, float]]] = {}
        for variant, i, n, ms in cursor.fetchall():
            ranked.setdefault(variant, (n, {}))[1][i] = ms
    for variant, (n, values) in ranked.items():
        out[variant]["percentiles"] = {
            name: _interpolate(values, n, p) for name, p in PERCENTILES.items()
        }
    return out


def _dates(start: datetime, end: datetime) -> list[date]:
    """Every UTC date from start's to end's (the days of engagement_over_time)."""
    first, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
    return [first + timedelta(days=d) for d in range((last - first).days + 1)]


def _dwell_figures(cell: DwellCell | None, *, pages: int, exposed: int) -> dict:
    """Seconds on screen of a variant, in total and per served page, exposed and viewed post."""
    seconds = cell.seconds if cell else 0.0
    viewed = cell.viewed if cell else 0
    return {
        "seconds": seconds,
        "viewed_posts": viewed,
        "seconds_per_page": seconds / pages if pages else None,
        "seconds_per_exposed_post": seconds / exposed if exposed else None,
        "seconds_per_viewed_post": seconds / viewed if viewed else None,
    }


@contextmanager
def _analytics_transaction():
    """One transaction for the summary's queries; on PostgreSQL without JIT compilation.

    The planner's cost estimates for a month of exposures are far above jit_above_cost,
    and compiling these plans took longer than running them (measured: query 1 of the
    summary on a million exposures, 3.8 s with JIT, 2.0 s without).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def feed_summary_raw(*, days: int, now: datetime | None = None, source: str = "all") -> dict:
    """The summary aggregated from the raw exposures alone, ignoring the rollup: what
    feed_summary must equal (its tests compare them; benchmark_analytics times both)."""
    end = now or timezone.now()
    start = end - timedelta(days=days)
    window_hours = load_rollout().attribution_window_hours
    window = timedelta(hours=window_hours)
    exposures = exposures_between(start, end, source=source)

    with _analytics_transaction():
        by_day = engagement_by_day(exposures, start=start, end=end, window=window)
        by_type = score_by_post_type(exposures)
        pages = pages_by_variant(exposures)
        dwell = dwell_by_variant(
            aggregate_dwell(spans=[(start, end, True)], source=source, window=window)
        )
    return _assemble(
        start=start,
        end=end,
        days=days,
        window_hours=window_hours,
        source=source,
        by_day=by_day,
        by_type=by_type,
        pages=pages,
        dwell=dwell,
    )


def feed_summary(*, days: int, now: datetime | None = None, source: str = "all") -> dict:
    """The experiment's figures over the last `days` days (see the summary API).

    The whole UTC days of the period are read from the rollup's day buckets, the whole
    hours of the rest from its hour buckets (atelier/analytics/rollup.py), and only what
    they leave - the partial hours at both ends, the hours not rolled up yet - from the
    raw exposures and dwell reports, through the same aggregation as the rollup. The
    answer equals feed_summary_raw's (floating-point sums aside) as of the last rollup:
    engagement and time on screen attributed since then to exposures already rolled up
    show at the next run.
    """
    end = now or timezone.now()
    start = end - timedelta(days=days)
    window_hours = load_rollout().attribution_window_hours
    window = timedelta(hours=window_hours)
    explicit = {"all": None, "assigned": False, "explicit": True}[source]

    by_day_cells: dict[tuple, rollup.Cell] = {}
    by_type_cells: dict[str, rollup.Cell] = {}
    page_cells: dict = {}
    dwell: dict[str | None, DwellCell] = {}
    with _analytics_transaction():
        buckets = _stored_buckets(start, end, window_hours)
        if buckets:
            _add_stored(buckets, explicit, by_day_cells, by_type_cells, page_cells)
            _add_stored_dwell(buckets, source, dwell)
        raw = _complement(start, end, [(b, b + timedelta(hours=h)) for b, h in buckets])
        if raw:
            exposures = ExposedPost.objects.filter(
                functools.reduce(
                    operator.or_, (_served_within(a, b, closed) for a, b, closed in raw)
                )
            )
            for (day, variant, is_explicit, post_type), cell in rollup.aggregate_cells(
                exposures,
                start=raw[0][0],
                end=raw[-1][1],
                window=window,
                spans=[(a, b) for a, b, _closed in raw],
            ).items():
                if explicit is not None and is_explicit != explicit:
                    continue
                by_day_cells.setdefault((day, variant), rollup.Cell()).add(cell)
                if cell.scored:
                    by_type_cells.setdefault(post_type, rollup.Cell()).add(cell)
            for key, cell in rollup.aggregate_pages(exposures).items():
                page_cells.setdefault(key, rollup.PageCell()).add(cell)
            cells_raw = aggregate_dwell(spans=raw, source=source, window=window)
            for variant, cell in dwell_by_variant(cells_raw).items():
                dwell.setdefault(variant, DwellCell()).add(cell)

    by_variant_pages: dict[str, rollup.PageCell] = {}
    for (_day, variant, is_explicit), cell in page_cells.items():
        if explicit is None or is_explicit == explicit:
            by_variant_pages.setdefault(variant, rollup.PageCell()).add(cell)

    by_day = [
        {"date": day, "variant": variant, "exposed": c.exposed, "engaged": c.engaged,
         "opened": c.opened}
        for (day, variant), c in sorted(by_day_cells.items())
    ]  # fmt: skip
    by_type = {
        post_type: {
            "exposed_posts": c.scored,
            "mean_score": c.score_sum / c.scored,
            "components": {
                name: (c.components[name][0] / c.components[name][1])
                if c.components.get(name, [0, 0])[1]
                else None
                for name in COMPONENTS
            },
        }
        for post_type, c in sorted(by_type_cells.items())
    }
    pages = {}
    for variant, c in by_variant_pages.items():
        timings = c.timings()
        pages[variant] = {
            "pages": c.pages,
            "authors_per_page": c.authors_sum / c.pages,
            "post_types_per_page": c.types_sum / c.pages,
            "timed_pages": len(timings),
            "percentiles": {name: _percentile(timings, p) for name, p in PERCENTILES.items()}
            if len(timings)
            else None,
        }
    return _assemble(
        start=start,
        end=end,
        days=days,
        window_hours=window_hours,
        source=source,
        by_day=by_day,
        by_type=by_type,
        pages=pages,
        dwell=dwell,
    )


def _percentile(ascending, p: float) -> float:
    """percentile_cont's interpolation over an ascending array."""
    h = p * (len(ascending) - 1)
    lo = math.floor(h)
    low = float(ascending[lo])
    high = float(ascending[lo + 1]) if lo + 1 < len(ascending) else low
    return low + (h - lo) * (high - low)


def _served_within(start: datetime, end: datetime, closed: bool) -> Q:
    """Served in [start, end) or, closed, [start, end]."""
    return Q(served_at__gte=start) & (Q(served_at__lte=end) if closed else Q(served_at__lt=end))


def _stored_buckets(start: datetime, end: datetime, window_hours: int) -> list[tuple]:
    """(start, hours) of the rollup buckets the summary of [start, end] reads, in order:
    the day buckets within it, then the hour buckets within what they leave; only those
    computed under the attribution window in force."""
    days = [
        (bucket_start, 24)
        for bucket_start in RollupBucket.objects.filter(
            hours=24,
            window_hours=window_hours,
            start__gte=start,
            start__lte=end - timedelta(days=1),
        )
        .order_by("start")
        .values_list("start", flat=True)
    ]
    gaps = _complement(start, end, [(b, b + timedelta(days=1)) for b, _ in days])
    hours = []
    if gaps:
        within = functools.reduce(
            operator.or_,
            (Q(start__gte=a, start__lte=b - timedelta(hours=1)) for a, b, _closed in gaps),
        )
        hours = [
            (bucket_start, 1)
            for bucket_start in RollupBucket.objects.filter(
                within, hours=1, window_hours=window_hours
            ).values_list("start", flat=True)
        ]
    return sorted(days + hours)


def _complement(
    start: datetime, end: datetime, covered: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime, bool]]:
    """[start, end] less the sorted, disjoint [from, to) spans covered: (from, to, closed)
    intervals, in order (the last one closed: the period includes its end)."""
    intervals = []
    cursor = start
    for span_start, span_end in covered:
        if span_start > cursor:
            intervals.append((cursor, span_start, False))
        cursor = max(cursor, span_end)
    if cursor <= end:
        intervals.append((cursor, end, True))
    return intervals


def _add_stored(
    buckets: list[tuple],
    explicit: bool | None,
    by_day_cells: dict,
    by_type_cells: dict,
    page_cells: dict,
) -> None:
    """Add the stored rows of these (start, hours) buckets (of the source: explicit
    ordering or not, None for both) to the cells per (UTC date, variant), per post type
    and per (date, variant, explicit ordering) of pages. The database adds the figures up
    (a month's edges are a thousand hour rows, too many to add up here in time)."""
    which = functools.reduce(
        operator.or_,
        (
            Q(hours=hours, start__in=[s for s, h in buckets if h == hours])
            for hours in {h for _s, h in buckets}
        ),
    )
    rows = ExposureRollup.objects.filter(which)
    if explicit is not None:
        rows = rows.filter(explicit_ordering=explicit)
    per_day = (
        rows.annotate(date=TruncDate("start", tzinfo=UTC))
        .values_list("date", "variant")
        .annotate(Sum("exposed"), Sum("engaged"), Sum("opened"))
        .order_by()
    )
    for day, variant, exposed, engaged, opened in per_day:
        cell = rollup.Cell(exposed=exposed, engaged=engaged, opened=opened)
        by_day_cells.setdefault((day, variant), rollup.Cell()).add(cell)
    # Per component [sum of points, number of exposures that have it], summed.
    points = {}
    for name in COMPONENTS:
        points[f"s_{name}"] = Sum(Cast(KT(f"components__{name}__0"), FloatField()))
        points[f"n_{name}"] = Sum(Cast(KT(f"components__{name}__1"), IntegerField()))
    per_type = (
        rows.filter(scored__gt=0)
        .values("post_type")
        .annotate(scored=Sum("scored"), score_sum=Sum("score_sum"), **points)
        .order_by()
    )
    for row in per_type:
        cell = rollup.Cell(
            scored=row["scored"],
            score_sum=row["score_sum"],
            components={
                name: [row[f"s_{name}"] or 0.0, row[f"n_{name}"]]
                for name in COMPONENTS
                if row[f"n_{name}"]
            },
        )
        by_type_cells.setdefault(row["post_type"], rollup.Cell()).add(cell)
    page_rows = PageRollup.objects.filter(which).values_list(
        "start", "variant", "explicit_ordering", *rollup.PAGE_FIELDS
    )
    for start, variant, is_explicit, *figures in page_rows:
        key = (start.astimezone(UTC).date(), variant, is_explicit)
        page_cells.setdefault(key, rollup.PageCell()).add(rollup.stored_page_cell(*figures))


def _add_stored_dwell(buckets: list[tuple], source: str, dwell: dict) -> None:
    """Add the stored time on screen of these (start, hours) buckets, of this source, to
    the per-variant cells (None: unattributed)."""
    which = functools.reduce(
        operator.or_,
        (
            Q(hours=hours, start__in=[s for s, h in buckets if h == hours])
            for hours in {h for _s, h in buckets}
        ),
    )
    rows = (
        DwellRollup.objects.filter(which, source=source)
        .values_list("variant")
        .annotate(seconds=Sum("seconds"), viewed=Sum("viewed"))
        .order_by()
    )
    for variant, seconds, viewed in rows:
        cell = DwellCell(seconds=seconds, viewed=viewed)
        dwell.setdefault(variant or None, DwellCell()).add(cell)


def _assemble(*, start, end, days, window_hours, source, by_day, by_type, pages, dwell) -> dict:
    """The summary's answer from its four parts (per date and variant, per post type,
    per variant's pages, per variant's time on screen), however they were computed."""
    totals = {v: {"exposed": 0, "engaged": 0, "opened": 0} for v in VARIANTS}
    cells = {}
    for row in by_day:
        total = totals.setdefault(row["variant"], {"exposed": 0, "engaged": 0, "opened": 0})
        for key in total:
            total[key] += row[key]
        cells[(row["date"], row["variant"])] = row
    over_time = []
    for day in _dates(start, end):
        for variant in VARIANTS:
            cell = cells.get((day, variant), {"exposed": 0, "engaged": 0})
            over_time.append(
                {
                    "date": day.isoformat(),
                    "variant": variant,
                    "exposed_posts": cell["exposed"],
                    "engaged_posts": cell["engaged"],
                    "engagement_rate": _rate(cell["engaged"], cell["exposed"]),
                }
            )

    no_pages = {"pages": 0, "timed_pages": 0, "percentiles": None}
    return {
        "window": {
            "from": start,
            "to": end,
            "days": days,
            "attribution_window_hours": window_hours,
            "source": source,
        },
        "variants": {
            variant: {
                "pages": pages.get(variant, no_pages)["pages"],
                "exposed_posts": t["exposed"],
                "engaged_posts": t["engaged"],
                "engagement_rate": _rate(t["engaged"], t["exposed"]),
                "opened_posts": t["opened"],
                "click_through": _rate(t["opened"], t["exposed"]),
            }
            for variant, t in totals.items()
        },
        "engagement_over_time": over_time,
        "score_by_post_type": by_type,
        "diversity": {
            variant: {
                "authors_per_page": page.get("authors_per_page"),
                "post_types_per_page": page.get("post_types_per_page"),
            }
            for variant in VARIANTS
            for page in [pages.get(variant, no_pages)]
        },
        "dwell": {
            variant: _dwell_figures(
                dwell.get(variant),
                pages=pages.get(variant, no_pages)["pages"],
                exposed=t["exposed"],
            )
            for variant, t in totals.items()
        },
        "dwell_unattributed": {
            "seconds": dwell[None].seconds if None in dwell else 0.0,
            "reports": dwell[None].viewed if None in dwell else 0,
        },
        "cache": feed_cache.hit_rates(),
        "latency_ms": {
            variant: {
                **(page["percentiles"] or dict.fromkeys(PERCENTILES)),
                "pages": page["timed_pages"],
            }
            for variant in VARIANTS
            for page in [pages.get(variant, no_pages)]
        },
    }
