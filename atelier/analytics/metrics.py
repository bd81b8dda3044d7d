"""Prometheus metrics (prometheus-client), defined once; `/metrics` exposes them.

Label values are bounded: routes are URL patterns (never raw paths), methods a fixed set,
statuses a class ("2xx"), cache levels those of atelier.feed.cache.LEVELS.
With several worker processes, set PROMETHEUS_MULTIPROC_DIR (see prometheus-client's
multiprocess mode): the view then aggregates every worker's values.
"""

from prometheus_client import Counter, Histogram

# The feed engine owns its own metrics; they are exposed with these.
from atelier.feed.metrics import (  # noqa: F401
    FEED_CACHE_HITS,
    FEED_CACHE_MISSES,
    FEED_PAGES_SERVED,
    FEED_SNAPSHOT_BUILDS,
    record_cache_lookup,
)

REQUEST_LATENCY = Histogram(
    "atelier_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern, method and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0),
)
EXPOSURES_WRITTEN = Counter(
    "atelier_feed_exposures_written_total", "Exposed-post rows written to the database."
)
POST_OPENS_WRITTEN = Counter(
    "atelier_analytics_post_opens_written_total", "Post-open rows written to the database."
)
ANALYTICS_RECORDS_DROPPED = Counter(
    "atelier_analytics_records_dropped_total",
    "Exposed pages or post opens lost (the buffer was full, or a write failed), by kind.",
    ["kind"],
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe_request(route: str, method: str, status_code: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(
        route, method if method in _METHODS else "other", f"{status_code // 100}xx"
    ).observe(seconds)
