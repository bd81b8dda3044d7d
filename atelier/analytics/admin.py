"""Admin of the feed rollout (one row) and the read-only exposure, post-open and dwell logs."""

from django.contrib import admin

from atelier.analytics.models import ExposedPost, FeedRollout, PostDwell, PostOpen
from atelier.analytics.rollout import save_rollout


@admin.register(FeedRollout)
class FeedRolloutAdmin(admin.ModelAdmin):
    list_display = ["__str__", "attribution_window_hours", "retention_days", "updated_at"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            "Experiment",
            {
                "fields": ["personalized_enabled", "percentage", "salt"],
                "description": (
                    "Users without an explicit ordering get the personalized feed when it is "
                    "enabled and sha256(salt:user id) mod 100 is below the percentage. The "
                    "assignment only changes with the salt or the percentage."
                ),
            },
        ),
        ("Attribution and retention", {"fields": ["attribution_window_hours", "retention_days"]}),
        ("Saved", {"fields": ["updated_at"]}),
    ]

    def has_add_permission(self, request):
        return not FeedRollout.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # One row; the cached copy is dropped after commit, so the next request uses it.
        save_rollout(obj)


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """Rows written by the application only: viewable, filterable, never edited by hand."""

    # No COUNT(*) of a large table on every filtered changelist.
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExposedPost)
class ExposedPostAdmin(ReadOnlyLogAdmin):
    list_display = ["id", "served_at", "user_id", "variant", "post_id", "position", "score"]
    list_filter = ["variant", "explicit_ordering", "post_type"]
    raw_id_fields = ["user", "post", "author"]
    date_hierarchy = "served_at"
    ordering = ["-served_at", "position"]


@admin.register(PostOpen)
class PostOpenAdmin(ReadOnlyLogAdmin):
    list_display = ["id", "opened_at", "user_id", "post_id"]
    raw_id_fields = ["user", "post"]
    date_hierarchy = "opened_at"
    ordering = ["-opened_at"]


@admin.register(PostDwell)
class PostDwellAdmin(ReadOnlyLogAdmin):
    list_display = ["id", "recorded_at", "user_id", "post_id", "seconds"]
    raw_id_fields = ["user", "post"]
    date_hierarchy = "recorded_at"
    ordering = ["-recorded_at"]
