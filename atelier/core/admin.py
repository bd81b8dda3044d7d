"""Admin of users, fellow relations, blocks and preferences (large tables: raw id widgets)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from atelier.core.models import Block, User, UserFellow, UserPreference


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "artist_type", "is_active", "is_staff", "date_joined"]
    list_filter = ["artist_type", *DjangoUserAdmin.list_filter]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Atelier", {"fields": ["artist_type"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Atelier", {"fields": ["artist_type"]}),
    ]


@admin.register(UserFellow)
class UserFellowAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "fellow_user", "status", "created_at", "responded_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "fellow_user__username"]
    raw_id_fields = ["user", "fellow_user"]
    list_select_related = ["user", "fellow_user"]
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["id", "blocker", "blocked", "created_at"]
    search_fields = ["blocker__username", "blocked__username"]
    raw_id_fields = ["blocker", "blocked"]
    list_select_related = ["blocker", "blocked"]
    date_hierarchy = "created_at"


@admin.register(UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "preferred_post_types", "preferred_artist_types", "updated_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "muted_collectives"]
    list_select_related = ["user"]
