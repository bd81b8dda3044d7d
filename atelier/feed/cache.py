"""Every feed cache key, the snapshot token, the build lock and the hit counters.

Layers (see docs/feed.md, "Caching"): the viewer's building blocks (`relations`: fellow and
collective counts and preferences), named by their relations version, and the ranked
snapshot, named by their feed version, the configuration version and the visibility epoch
(moved on by moderation). The versions live in the database (atelier/feed/versions.py), so
a key can only be built from committed state: nothing here is ever deleted to invalidate,
and a Redis outage cannot lose a bump.

Every key carries SCHEMA: a deploy that changes the shape of a cached value bumps it, and
old values are then never read (so never unpickled into the new code).
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from atelier.feed import metrics

# Bump when a cached value changes shape (Snapshot, relations).
SCHEMA = 3
LEVELS = ("relations", "snapshot")


def relations_key(user_id: int, relations_version: int) -> str:
    return f"feed:s{SCHEMA}:relations:{user_id}:{relations_version}"


@dataclass(frozen=True)
class SnapshotToken:
    """Names one ranked snapshot: the viewer's feed version, the configuration version and
    the visibility epoch (moved on by every moderation change to what anyone may see).

    Carried by `next`/`previous` as `snapshot=v<feed version>e<schema>.<config version>.
    <epoch>` so a client keeps paging through the snapshot it started on; a token from
    before a moderation change (an older epoch) is served like an expired one: from the
    current snapshot (atelier/feed/service.py).
    """

    feed_version: int
    config_version: int
    epoch: int
    schema: int = SCHEMA

    def __str__(self) -> str:
        return f"v{self.feed_version}e{self.schema}.{self.config_version}.{self.epoch}"

    @classmethod
    def parse(cls, text: str) -> "SnapshotToken | None":
        """The token, or None if it is malformed or from another cache schema."""
        head, _, rest = text.partition(".")
        config, _, epoch = rest.partition(".")
        version, _, schema = head.removeprefix("v").partition("e")
        try:
            token = cls(int(version), int(config), int(epoch), int(schema))
        except ValueError:
            return None
        return token if token.schema == SCHEMA else None

    def key(self, user_id: int, unseen: bool) -> str:
        return (
            f"feed:s{self.schema}:snapshot:{user_id}:{self.feed_version}:"
            f"c{self.config_version}:m{self.epoch}:{'u' if unseen else 'a'}"
        )

    def lock_key(self, user_id: int, unseen: bool) -> str:
        return "lock:" + self.key(user_id, unseen)


# The resilient cache backend (atelier/core/cache_backend.py) never raises: an unreachable
# Redis reads as a miss and writes as a no-op, so this module calls the cache directly.


def acquire_build_lock(key: str, seconds: int = 10) -> bool:
    """Return True if this process may build (no one else is); a dead cache says yes."""
    return bool(cache.add(key, 1, timeout=seconds)) or _cache_is_down()


def release_build_lock(key: str) -> None:
    cache.delete(key)


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
            cache.incr(key, n)
        except ValueError:  # missing: start it (add is atomic), or count on the winner's
            if not cache.add(key, n, timeout=None):
                cache.incr(key, n)


def hit_rates() -> dict:
    """Hits, misses and hit rate per cache level since the counters were last reset."""
    flush_counters()
    stored = cache.get_many([_stat_key(lv, o) for lv in LEVELS for o in ("hit", "miss")])
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
    cache.delete_many([_stat_key(lv, o) for lv in LEVELS for o in ("hit", "miss")])
