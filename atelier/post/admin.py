"""Admin of posts and what hangs on them (large tables: raw id widgets, no per-row queries)."""

from django.contrib import admin

from atelier.core.admin import EachWriteLogged
from atelier.post.models import Appreciation, Comment, Critique, HiddenPost, Post, SeenPost

POST_COUNTERS = ["hearts_count", "praise_count", "trophy_count", "comment_count", "critique_count"]


class LargeTableAdmin(EachWriteLogged, admin.ModelAdmin):
    # No COUNT(*) of the whole table on every filtered changelist.
    show_full_result_count = False


@admin.register(Post)
class PostAdmin(LargeTableAdmin):
    list_display = [
        "id",
        "title",
        "author",
        "post_type",
        "collective",
        "created_at",
        "is_deleted",
        *POST_COUNTERS,
    ]
    list_filter = ["post_type", "is_deleted"]
    search_fields = ["title", "author__username"]
    raw_id_fields = ["author", "channel", "collective"]
    list_select_related = ["author", "collective"]
    # The counters follow the appreciation and remark rows; editing them by hand would lie.
    readonly_fields = POST_COUNTERS


@admin.register(Appreciation)
class AppreciationAdmin(LargeTableAdmin):
    list_display = ["id", "user", "kind", "post", "post_author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "post_author__username"]
    raw_id_fields = ["user", "post", "post_author"]
    list_select_related = ["user", "post", "post_author"]


class RemarkAdmin(LargeTableAdmin):
    list_display = ["id", "post", "author", "created_at", "is_deleted"]
    list_filter = ["is_deleted"]
    search_fields = ["author__username"]
    raw_id_fields = ["post", "author"]
    list_select_related = ["post", "author"]


@admin.register(Comment)
class CommentAdmin(RemarkAdmin):
    pass


@admin.register(Critique)
class CritiqueAdmin(RemarkAdmin):
    pass


@admin.register(SeenPost)
class SeenPostAdmin(LargeTableAdmin):
    list_display = ["id", "user", "post", "seen_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "post"]
    list_select_related = ["user", "post"]


@admin.register(HiddenPost)
class HiddenPostAdmin(LargeTableAdmin):
    list_display = ["id", "user", "post", "created_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "post"]
    list_select_related = ["user", "post"]
