"""The ranking configuration as an immutable value: loaded once per request, cached by version."""

from dataclasses import asdict, dataclass, fields

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from atelier.feed.models import RankingConfig

CONFIG_CACHE_KEY = "feed:ranking_config"


@dataclass(frozen=True)
class Ranking:
    """Every number of docs/api.md's ranking formula (see RankingConfig for the meaning)."""

    weight_recency: float
    weight_social: float
    weight_interaction: float
    weight_engagement: float
    weight_collective: float
    weight_post_type: float
    weight_recent_boost: float
    weight_artist_type: float
    recency_points: float
    recency_decay_hours: float
    social_points: float
    interaction_points_each: float
    interaction_cap: float
    engagement_cap: float
    collective_points: float
    post_type_cap: float
    preferred_post_type_points: float
    post_type_top_n: int
    recent_boost_points: float
    recent_boost_days: float
    artist_type_points: float
    seen_factor: float
    diversity_decay: float
    diversity_floor: float
    candidate_budget: int
    feed_cache_seconds: int
    fellows_cache_seconds: int
    collectives_cache_seconds: int
    stats_cache_seconds: int
    version: int
    # Beyond docs/api.md's table (see RankingConfig); defaults, so a configuration cached by an
    # older release still loads.
    weight_fellow_fresh: float = 0.0
    weight_social_proof: float = 0.0
    weight_conversation: float = 0.0
    fellow_fresh_points: float = 50.0
    fellow_fresh_decay_hours: float = 48.0
    social_proof_points_each: float = 10.0
    social_proof_cap: float = 50.0
    conversation_points_each: float = 5.0
    conversation_cap: float = 40.0
    # Engagement's multipliers per reaction (docs/api.md's 1, 2, 5, 0.5).
    engagement_per_heart: float = 1.0
    engagement_per_praise: float = 2.0
    engagement_per_trophy: float = 5.0
    engagement_per_comment: float = 0.5

    def weight(self, component: str) -> float:
        return getattr(self, f"weight_{component}")

    def as_dict(self) -> dict:
        return asdict(self)


_FIELDS = [f.name for f in fields(Ranking)]


def _from_row(row: RankingConfig) -> Ranking:
    return Ranking(**{name: getattr(row, name) for name in _FIELDS})


def default_ranking() -> Ranking:
    """docs/api.md's defaults, without touching the database."""
    return _from_row(RankingConfig())


def load_ranking() -> Ranking:
    """Return the current configuration: from the cache, else the database row (made if missing)."""
    try:
        cached = cache.get(CONFIG_CACHE_KEY)
    except Exception:
        cached = None
    if cached is not None:
        return Ranking(**cached)
    row, _ = RankingConfig.objects.get_or_create(pk=1)
    ranking = _from_row(row)
    try:
        cache.set(CONFIG_CACHE_KEY, ranking.as_dict(), timeout=60)
    except Exception:
        pass
    return ranking


def save_ranking(row: RankingConfig) -> None:
    """Save a configuration change and bump its version atomically; drop the cached copy.

    The new version comes from the locked row, not from `row` (which may have been read
    before someone else's save): a stale form must not write back a version in use.
    """
    with transaction.atomic():
        current = (
            RankingConfig.objects.select_for_update()
            .filter(pk=1)
            .values_list("version", flat=True)
            .first()
        )
        row.pk = 1
        row.version = current if current is not None else 1
        row.save()
        RankingConfig.objects.filter(pk=1).update(version=F("version") + 1)
        transaction.on_commit(lambda: _forget_cached_config())
    row.refresh_from_db()


def _forget_cached_config() -> None:
    try:
        cache.delete(CONFIG_CACHE_KEY)
    except Exception:
        pass
