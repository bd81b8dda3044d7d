"""Admin of users, fellow relations, blocks and preferences (large tables: raw id widgets),
and the admin's one rule for every app: each write is logged on its own."""

from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from atelier.core.models import Block, User, UserFellow, UserPreference


class EachWriteLogged:
    """A ModelAdmin mixin: every deletion gets a LogEntry saved on its own.

    Django logs an addition or a change with one `LogEntry.save()`, but the changelist's
    "delete selected" logs several objects with one `bulk_create`, which sends no
    `post_save`. With this mixin every admin write reaches a `post_save` subscriber of
    LogEntry: moderation's audit log subscribes (docs/moderation.md, "The admin").
    """

    def log_deletions(self, request, queryset):
        return [
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=[obj],
                action_flag=DELETION,
                single_object=True,
            )
            for obj in queryset
        ]


@admin.register(User)
class UserAdmin(EachWriteLogged, DjangoUserAdmin):
    list_display = ["username", "email", "artist_type", "is_active", "is_staff", "date_joined"]
    list_filter = ["artist_type", *DjangoUserAdmin.list_filter]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Atelier", {"fields": ["artist_type"]}),
        (
            "Moderation",
            {
                "fields": ["suspended_at", "limited_at"],
                "description": "Suspend and limit through moderation (/api/moderation/actions/),"
                " which records a decision with its reasons and tells the member. Every change"
                " made here is in the moderation audit log.",
            },
        ),
    ]
    # Set by moderation's actions only: a suspension also revokes tokens and hides content.
    readonly_fields = ["suspended_at", "limited_at"]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Atelier", {"fields": ["artist_type"]}),
    ]


@admin.register(UserFellow)
class UserFellowAdmin(EachWriteLogged, admin.ModelAdmin):
    list_display = ["id", "user", "fellow_user", "status", "created_at", "responded_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "fellow_user__username"]
    raw_id_fields = ["user", "fellow_user"]
    list_select_related = ["user", "fellow_user"]
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(EachWriteLogged, admin.ModelAdmin):
    list_display = ["id", "blocker", "blocked", "created_at"]
    search_fields = ["blocker__username", "blocked__username"]
    raw_id_fields = ["blocker", "blocked"]
    list_select_related = ["blocker", "blocked"]
    date_hierarchy = "created_at"


@admin.register(UserPreference)
class UserPreferenceAdmin(EachWriteLogged, admin.ModelAdmin):
    list_display = ["user", "preferred_post_types", "preferred_artist_types", "updated_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "muted_collectives"]
    list_select_related = ["user"]
