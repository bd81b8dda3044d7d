"""Every feed cache key, the per-user calculation version, the build lock and hit counters.

Layers (see README, "Caching"): building blocks per user (fellows, collectives, interaction
stats), the ranked snapshot per user, and the ranking configuration. Every key of the first
two includes the user's calculation version and the cache epoch, so a bump (or a Redis
outage) retires them all at once without deleting anything.
"""

import logging
import threading
import time
from collections import Counter

from django.core.cache import cache

from atelier.analytics import metrics
from atelier.core.cache_backend import EPOCH_KEY

logger = logging.getLogger(__name__)

LEVELS = ("fellows", "collectives", "stats", "snapshot")


def calc_version_key(user_id: int) -> str:
    return f"calc_version:{user_id}"


def block_key(name: str, user_id: int, version: str) -> str:
    return f"feed:{name}:{user_id}:{version}"


def snapshot_key(user_id: int, version: str, config_version: int, unseen: bool) -> str:
    return f"feed:snapshot:{user_id}:{version}:c{config_version}:{'u' if unseen else 'a'}"


def build_lock_key(user_id: int, version: str, config_version: int, unseen: bool) -> str:
    return "lock:" + snapshot_key(user_id, version, config_version, unseen)


def _seed() -> int:
    # A missing counter (never set, evicted, or Redis flushed) restarts from the clock in
    # microseconds, so it is always above any value it had before: a page cached under an
    # older version can never be served again. Bumps are far rarer than one per µs.
    return time.time_ns() // 1_000


def calc_version(user_id: int) -> int:
    """Return the user's calculation version, creating it if missing."""
    return versions(user_id)[0]


def versions(user_id: int) -> tuple[int, str]:
    """Return (calculation version, the key tag "v<version>e<epoch>") in one round trip."""
    key = calc_version_key(user_id)
    values = cache_get_many([key, EPOCH_KEY])
    value = values.get(key)
    if value is None:
        try:
            cache.add(key, _seed(), timeout=None)
            value = cache.get(key)
        except Exception:
            logger.debug("cache unavailable seeding %s", key, exc_info=True)
        if value is None:  # no cache at all: a version that matches nothing cached
            value = _seed()
    epoch = values.get(EPOCH_KEY) or 0
    return int(value), f"v{value}e{epoch}"


def bump_calc_version(user_id: int) -> int | None:
    """Atomically increment the user's calculation version (INCR on Redis)."""
    key = calc_version_key(user_id)
    try:
        try:
            return cache.incr(key)
        except ValueError:  # missing: seed it, then increment (add is atomic: no lost bump)
            cache.add(key, _seed(), timeout=None)
            return cache.incr(key)
    except Exception:
        logger.debug("cache unavailable bumping %s", key, exc_info=True)
        return None


def retire_all_feeds() -> None:
    """Bump the global epoch that every feed key includes: no cached feed is served again.

    For whole-database changes (an import, a restore) where per-user bumps would not do:
    a new user can get the id of a user whose pages are still cached.
    """
    try:
        if not cache.add(EPOCH_KEY, 1, timeout=None):
            cache.incr(EPOCH_KEY)
    except Exception:
        logger.warning("cache unavailable: could not retire cached feeds", exc_info=True)


def cache_get(key: str):
    """cache.get that treats an unreachable cache as a miss."""
    try:
        return cache.get(key)
    except Exception:
        logger.debug("cache unavailable reading %s", key, exc_info=True)
        return None


def cache_get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:
        logger.debug("cache unavailable reading %s", keys, exc_info=True)
        return {}


def cache_set(key: str, value, timeout: int) -> None:
    """cache.set that treats an unreachable cache as a no-op."""
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.debug("cache unavailable writing %s", key, exc_info=True)


def acquire_build_lock(key: str, seconds: int = 10) -> bool:
    """Return True if this process may build (no one else is); a dead cache says yes."""
    try:
        return bool(cache.add(key, 1, timeout=seconds)) or _cache_is_down()
    except Exception:
        return True


def release_build_lock(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        pass


def _cache_is_down() -> bool:
    from atelier.core.cache_backend import BREAKER

    return BREAKER.is_open()


# --- Hit counters ----------------------------------------------------------------------------
# Counted in process and flushed to the shared cache every few seconds, so counting costs
# no round trip per request; `hit_rates()` adds what this process has not flushed yet.

_FLUSH_SECONDS = 5.0
_local = Counter()
_local_lock = threading.Lock()
_last_flush = [time.monotonic()]


def _stat_key(level: str, outcome: str) -> str:
    return f"stats:cache:{level}:{outcome}"


def record(level: str, hit: bool) -> None:
    metrics.record_cache_lookup(level, hit)
    with _local_lock:
        _local[(level, "hit" if hit else "miss")] += 1
        due = time.monotonic() - _last_flush[0] >= _FLUSH_SECONDS
    if due:
        flush_counters()


def flush_counters() -> None:
    with _local_lock:
        pending = dict(_local)
        _local.clear()
        _last_flush[0] = time.monotonic()
    for (level, outcome), n in pending.items():
        key = _stat_key(level, outcome)
        try:
            try:
                cache.incr(key, n)
            except ValueError:
                if not cache.add(key, n, timeout=None):
                    cache.incr(key, n)
        except Exception:
            logger.debug("cache unavailable counting %s", key, exc_info=True)


def hit_rates() -> dict:
    """Hits, misses and hit rate per cache level since the counters were last reset."""
    flush_counters()
    stored = cache_get_many([_stat_key(lv, o) for lv in LEVELS for o in ("hit", "miss")])
    out = {}
    for level in LEVELS:
        hits = int(stored.get(_stat_key(level, "hit")) or 0)
        misses = int(stored.get(_stat_key(level, "miss")) or 0)
        total = hits + misses
        out[level] = {"hits": hits, "misses": misses, "hit_rate": hits / total if total else None}
    return out


def reset_hit_rates() -> None:
    with _local_lock:
        _local.clear()
    try:
        cache.delete_many([_stat_key(lv, o) for lv in LEVELS for o in ("hit", "miss")])
    except Exception:
        pass
