"""The feed rollout as an immutable value, cached like the ranking configuration, and the
deterministic assignment of users to variants."""

import hashlib
from dataclasses import asdict, dataclass, fields

from django.core.cache import cache
from django.db import transaction

from atelier.analytics.models import FeedRollout, Variant

ROLLOUT_CACHE_KEY = "analytics:feed_rollout"
ROLLOUT_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Rollout:
    personalized_enabled: bool
    percentage: int
    salt: str
    attribution_window_hours: int
    retention_days: int

    def variant_for(self, user_id: int) -> str:
        """The variant this user is assigned: the same for the same salt and percentage."""
        if self.personalized_enabled and bucket(self.salt, user_id) < self.percentage:
            return Variant.PERSONALIZED.value
        return Variant.CHRONOLOGICAL.value


_FIELDS = [f.name for f in fields(Rollout)]


def bucket(salt: str, user_id: int) -> int:
    """The user's bucket, 0..99: sha256 of "<salt>:<user id>" read as an integer, mod 100."""
    digest = hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()
    return int(digest, 16) % 100


def _from_row(row: FeedRollout) -> Rollout:
    return Rollout(**{name: getattr(row, name) for name in _FIELDS})


def load_rollout() -> Rollout:
    """The current rollout: from the cache, else the database row (its defaults if missing).

    A warm feed request reads it from the cache (no query); a cold one reads the row (one
    query, never a write); a save drops the cached copy after commit, so the change holds
    from the next request on.
    """
    try:
        cached = cache.get(ROLLOUT_CACHE_KEY)
    except Exception:
        cached = None
    if cached is not None:
        return Rollout(**cached)
    rollout = _from_row(FeedRollout.objects.filter(pk=1).first() or FeedRollout())
    try:
        cache.set(ROLLOUT_CACHE_KEY, asdict(rollout), timeout=ROLLOUT_CACHE_SECONDS)
    except Exception:
        pass
    return rollout


def save_rollout(row: FeedRollout) -> None:
    """Save the (only) rollout row and drop the cached copy once the change is committed."""
    row.pk = 1
    row.save()
    transaction.on_commit(forget_cached_rollout)


def forget_cached_rollout() -> None:
    try:
        cache.delete(ROLLOUT_CACHE_KEY)
    except Exception:
        pass
