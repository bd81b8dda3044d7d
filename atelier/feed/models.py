"""The staff-editable ranking configuration (one row) with API.md's defaults."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

_NON_NEGATIVE = [MinValueValidator(0.0)]
_POSITIVE_INT = [MinValueValidator(1)]


class RankingConfig(models.Model):
    """Every tunable number of the ranking formula, the candidate window and cache lifetimes.

    There is one row (pk=1). Saving it bumps `version`, which is part of every feed cache
    key, so a change takes effect on the next request and never mixes with pages ranked
    under the old values.
    """

    # Weights (API.md "default weight").
    weight_recency = models.FloatField(default=0.15, validators=_NON_NEGATIVE)
    weight_social = models.FloatField(default=0.25, validators=_NON_NEGATIVE)
    weight_interaction = models.FloatField(default=0.20, validators=_NON_NEGATIVE)
    weight_engagement = models.FloatField(default=0.15, validators=_NON_NEGATIVE)
    weight_collective = models.FloatField(default=0.15, validators=_NON_NEGATIVE)
    weight_post_type = models.FloatField(default=0.10, validators=_NON_NEGATIVE)
    weight_recent_boost = models.FloatField(default=0.10, validators=_NON_NEGATIVE)
    weight_artist_type = models.FloatField(default=0.10, validators=_NON_NEGATIVE)

    # Points and caps.
    recency_points = models.FloatField(default=100.0, validators=_NON_NEGATIVE)
    recency_decay_hours = models.FloatField(default=24.0, validators=[MinValueValidator(0.001)])
    social_points = models.FloatField(default=50.0, validators=_NON_NEGATIVE)
    interaction_points_each = models.FloatField(default=5.0, validators=_NON_NEGATIVE)
    interaction_cap = models.FloatField(default=40.0, validators=_NON_NEGATIVE)
    engagement_cap = models.FloatField(default=50.0, validators=_NON_NEGATIVE)
    collective_points = models.FloatField(default=30.0, validators=_NON_NEGATIVE)
    post_type_cap = models.FloatField(default=50.0, validators=_NON_NEGATIVE)
    preferred_post_type_points = models.FloatField(default=50.0, validators=_NON_NEGATIVE)
    post_type_top_n = models.PositiveIntegerField(default=3)
    recent_boost_points = models.FloatField(default=20.0, validators=_NON_NEGATIVE)
    recent_boost_days = models.FloatField(default=7.0, validators=[MinValueValidator(0.001)])
    artist_type_points = models.FloatField(default=30.0, validators=_NON_NEGATIVE)

    # Multipliers.
    seen_factor = models.FloatField(default=0.5, validators=_NON_NEGATIVE)
    diversity_decay = models.FloatField(default=0.5, validators=_NON_NEGATIVE)
    diversity_floor = models.FloatField(default=0.25, validators=_NON_NEGATIVE)

    # Candidate generation (see atelier/feed/candidates.py).
    candidate_budget = models.PositiveIntegerField(default=1000, validators=_POSITIVE_INT)

    # Cache lifetimes, seconds.
    feed_cache_seconds = models.PositiveIntegerField(default=300, validators=_POSITIVE_INT)
    fellows_cache_seconds = models.PositiveIntegerField(default=300, validators=_POSITIVE_INT)
    collectives_cache_seconds = models.PositiveIntegerField(default=300, validators=_POSITIVE_INT)
    stats_cache_seconds = models.PositiveIntegerField(default=600, validators=_POSITIVE_INT)

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ranking configuration"
        verbose_name_plural = "ranking configuration"

    def __str__(self) -> str:
        return f"Ranking configuration v{self.version}"

    def clean(self) -> None:
        if self.diversity_floor > 1 or self.diversity_decay > 1 or self.seen_factor > 1:
            raise ValidationError("seen factor, diversity decay and floor are at most 1")
