"""The staff-editable ranking configuration (one row) with docs/api.md's defaults."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from atelier.core.choices import PostType

_NON_NEGATIVE = [MinValueValidator(0.0)]
_POSITIVE_INT = [MinValueValidator(1)]


class RankingConfig(models.Model):
    """Every tunable number of the ranking formula, the candidate window and cache lifetimes.

    There is one row (pk=1). Saving it bumps `version`, which is part of every feed cache
    key, so a change takes effect on the next request and never mixes with pages ranked
    under the old values.
    """

    # Weights (docs/api.md "default weight").
    weight_recency = models.FloatField(default=0.15, validators=_NON_NEGATIVE)
    weight_social = models.FloatField(default=0.25, validators=_NON_NEGATIVE)
    weight_interaction = models.FloatField(default=0.20, validators=_NON_NEGATIVE)
    weight_engagement = models.FloatField(default=0.15, validators=_NON_NEGATIVE)
    weight_collective = models.FloatField(default=0.15, validators=_NON_NEGATIVE)
    weight_post_type = models.FloatField(default=0.10, validators=_NON_NEGATIVE)
    weight_recent_boost = models.FloatField(default=0.10, validators=_NON_NEGATIVE)
    weight_artist_type = models.FloatField(default=0.10, validators=_NON_NEGATIVE)
    # Signals beyond docs/api.md's table; weight 0 by default, so the default is its formula.
    weight_fellow_fresh = models.FloatField(default=0.0, validators=_NON_NEGATIVE)
    weight_social_proof = models.FloatField(default=0.0, validators=_NON_NEGATIVE)
    weight_conversation = models.FloatField(default=0.0, validators=_NON_NEGATIVE)

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
    fellow_fresh_points = models.FloatField(default=50.0, validators=_NON_NEGATIVE)
    fellow_fresh_decay_hours = models.FloatField(
        default=48.0, validators=[MinValueValidator(0.001)]
    )
    social_proof_points_each = models.FloatField(default=10.0, validators=_NON_NEGATIVE)
    social_proof_cap = models.FloatField(default=50.0, validators=_NON_NEGATIVE)
    conversation_points_each = models.FloatField(default=5.0, validators=_NON_NEGATIVE)
    conversation_cap = models.FloatField(default=40.0, validators=_NON_NEGATIVE)

    # What each reaction on a post is worth in `engagement`'s points (docs/api.md's
    # hearts + 2*praise + 5*trophies + 0.5*comments, before the cap).
    engagement_per_heart = models.FloatField(default=1.0, validators=_NON_NEGATIVE)
    engagement_per_praise = models.FloatField(default=2.0, validators=_NON_NEGATIVE)
    engagement_per_trophy = models.FloatField(default=5.0, validators=_NON_NEGATIVE)
    engagement_per_comment = models.FloatField(default=0.5, validators=_NON_NEGATIVE)

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


class AuthorAffinity(models.Model):
    """What a viewer gave an author: the per-viewer, per-author input of the ranking.

    The seed plan's UserPostPreference. Kept in the same transaction as every appreciation
    given or taken back and every comment written or deleted (atelier/feed/affinity.py), and
    rebuilt from the appreciation and comment rows by the import and `atelier
    rebuild_affinity`. The feed joins it for its candidates only, so the ranking query does
    not grow with how many authors a viewer appreciates.
    """

    # Derived rows, rebuilt in bulk by the import: no database-level foreign keys (their
    # checks doubled the import's commit); deleting a user still removes them (CASCADE).
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="author_affinities",
        db_constraint=False,
        db_index=False,  # the (viewer, ...) indexes below serve it
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="affinity_received",
        db_constraint=False,
    )
    hearts = models.PositiveIntegerField(default=0)
    praise = models.PositiveIntegerField(default=0)
    trophies = models.PositiveIntegerField(default=0)
    # hearts + praise + trophies: docs/api.md's n of the interaction component.
    total = models.PositiveIntegerField(default=0)
    # When the viewer last appreciated one of the author's posts (the recent boost).
    last_at = models.DateTimeField(null=True, blank=True)
    # Comments the viewer wrote on the author's posts (not deleted).
    comments = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["viewer", "author"], name="affinity_once_per_pair"),
        ]
        indexes = [
            models.Index(fields=["viewer", "-total"], name="affinity_viewer_total_idx"),
            models.Index(fields=["viewer", "-last_at"], name="affinity_viewer_last_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} -> {self.author_id}: {self.total}"


class TypeAffinity(models.Model):
    """How many hearts, praise and trophies a viewer gave posts of each type."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="type_affinities",
        db_constraint=False,
        db_index=False,  # the (viewer, post_type) constraint's index serves it
    )
    post_type = models.CharField(max_length=10, choices=PostType.choices)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["viewer", "post_type"], name="type_affinity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} {self.post_type}: {self.total}"
