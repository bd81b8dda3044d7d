"""Every feed cache key, and the per-user calculation version (see README: Caching)."""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def calc_version_key(user_id: int) -> str:
    return f"calc_version:{user_id}"


def _seed() -> int:
    # A missing counter (never set, evicted, or Redis flushed) restarts from the clock in
    # milliseconds, so it is always above any value it had before: a page cached under an
    # older version can never be served again. Bumps are far rarer than one per ms.
    return time.time_ns() // 1_000_000


def calc_version(user_id: int) -> int:
    """Return the user's current calculation version (creating it if missing)."""
    key = calc_version_key(user_id)
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, _seed(), timeout=None)
            value = cache.get(key)
        return int(value) if value is not None else _seed()
    except Exception:  # cache down: an uncacheable, always-fresh version
        logger.warning("cache unavailable reading %s", key, exc_info=True)
        return _seed()


def bump_calc_version(user_id: int) -> int | None:
    """Atomically increment the user's calculation version (INCR on Redis)."""
    key = calc_version_key(user_id)
    try:
        try:
            return cache.incr(key)
        except ValueError:  # missing: seed it, then increment (add is atomic, no lost bump)
            cache.add(key, _seed(), timeout=None)
            return cache.incr(key)
    except Exception:
        logger.warning("cache unavailable bumping %s", key, exc_info=True)
        return None


# --- Building blocks: the per-user inputs of the ranking ------------------------------------
# Keyed by the calculation version, so a bump drops them all at once without a delete.


def block_key(name: str, user_id: int, version: int) -> str:
    return f"feed:{name}:{user_id}:v{version}"


def snapshot_key(user_id: int, version: int, config_version: int, unseen: bool) -> str:
    return f"feed:snapshot:{user_id}:v{version}:c{config_version}:{'u' if unseen else 'a'}"


def cache_get(key: str):
    """cache.get that treats an unreachable cache as a miss."""
    try:
        return cache.get(key)
    except Exception:
        logger.warning("cache unavailable reading %s", key, exc_info=True)
        return None


def cache_set(key: str, value, timeout: int) -> None:
    """cache.set that treats an unreachable cache as a no-op."""
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("cache unavailable writing %s", key, exc_info=True)
