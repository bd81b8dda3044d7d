"""The feed engine's Prometheus metrics (exposed by `/metrics` with the others)."""

from prometheus_client import Counter

FEED_CACHE_HITS = Counter(
    "atelier_feed_cache_hits_total", "Feed cache lookups that hit, by level.", ["level"]
)
FEED_CACHE_MISSES = Counter(
    "atelier_feed_cache_misses_total", "Feed cache lookups that missed, by level.", ["level"]
)
FEED_SNAPSHOT_BUILDS = Counter(
    "atelier_feed_snapshot_builds_total", "Ranked feed snapshots built (not from the cache)."
)
FEED_PAGES_SERVED = Counter(
    "atelier_feed_pages_served_total",
    "Feed pages served to signed-in users, by variant.",
    ["variant"],
)


def record_cache_lookup(level: str, hit: bool) -> None:
    (FEED_CACHE_HITS if hit else FEED_CACHE_MISSES).labels(level).inc()
