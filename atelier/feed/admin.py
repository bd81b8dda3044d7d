"""Admin for the ranking configuration: one row, validated, versioned on every save."""

from django.contrib import admin

from atelier.feed.config import save_ranking
from atelier.feed.models import RankingConfig


@admin.register(RankingConfig)
class RankingConfigAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at"]
    readonly_fields = ["version", "updated_at"]
    fieldsets = [
        (
            "Weights",
            {
                "fields": [
                    "weight_recency",
                    "weight_social",
                    "weight_interaction",
                    "weight_engagement",
                    "weight_collective",
                    "weight_post_type",
                    "weight_recent_boost",
                    "weight_artist_type",
                    "weight_fellow_fresh",
                    "weight_social_proof",
                    "weight_conversation",
                ]
            },
        ),
        (
            "Points and caps",
            {
                "fields": [
                    "recency_points",
                    "recency_decay_hours",
                    "social_points",
                    "interaction_points_each",
                    "interaction_cap",
                    "engagement_cap",
                    "collective_points",
                    "post_type_cap",
                    "preferred_post_type_points",
                    "post_type_top_n",
                    "recent_boost_points",
                    "recent_boost_days",
                    "artist_type_points",
                    "fellow_fresh_points",
                    "fellow_fresh_decay_hours",
                    "social_proof_points_each",
                    "social_proof_cap",
                    "conversation_points_each",
                    "conversation_cap",
                ]
            },
        ),
        (
            "Engagement: points per reaction",
            {
                "fields": [
                    "engagement_per_heart",
                    "engagement_per_praise",
                    "engagement_per_trophy",
                    "engagement_per_comment",
                ]
            },
        ),
        ("Multipliers", {"fields": ["seen_factor", "diversity_decay", "diversity_floor"]}),
        ("Candidates", {"fields": ["candidate_budget"]}),
        (
            "Cache lifetimes (seconds)",
            {
                "fields": [
                    "feed_cache_seconds",
                    "fellows_cache_seconds",
                    "collectives_cache_seconds",
                    "stats_cache_seconds",
                ]
            },
        ),
        ("Version", {"fields": ["version", "updated_at"]}),
    ]

    def has_add_permission(self, request):
        return not RankingConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # One row, and every save bumps the version that every feed cache key includes.
        save_ranking(obj)
