"""Admin for collectives, channels and memberships; moderators and bans read-only."""

from django import forms
from django.contrib import admin

from atelier.collective.models import (
    Channel,
    Collective,
    CollectiveBan,
    CollectiveMember,
    CollectiveModerator,
)
from atelier.collective.selectors import is_banned
from atelier.collective.services import collective_leave, collective_member_add
from atelier.core.admin import EachWriteLogged


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0


@admin.register(Collective)
class CollectiveAdmin(EachWriteLogged, admin.ModelAdmin):
    list_display = ["id", "name", "visibility", "members_count", "created_by", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]
    list_select_related = ["created_by"]
    # The counter follows memberships; editing it by hand would make it lie.
    readonly_fields = ["members_count"]
    date_hierarchy = "created_at"
    inlines = [ChannelInline]


@admin.register(Channel)
class ChannelAdmin(EachWriteLogged, admin.ModelAdmin):
    list_display = ["id", "name", "collective"]
    search_fields = ["name", "collective__name"]
    raw_id_fields = ["collective"]
    list_select_related = ["collective"]


class MemberAdminForm(forms.ModelForm):
    class Meta:
        model = CollectiveMember
        fields = ["collective", "user", "role"]

    def clean(self):
        data = super().clean()
        user, collective = data.get("user"), data.get("collective")
        if self.instance.pk is None and user and collective and is_banned(user.pk, collective.pk):
            raise forms.ValidationError(
                "This user is banned from the collective; its moderators can lift the ban."
            )
        return data


@admin.register(CollectiveMember)
class CollectiveMemberAdmin(EachWriteLogged, admin.ModelAdmin):
    """Adding and removing go through the services, so members_count and feeds stay right."""

    form = MemberAdminForm

    list_display = ["id", "user", "collective", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "collective__name"]
    raw_id_fields = ["user", "collective"]
    list_select_related = ["user", "collective"]
    date_hierarchy = "joined_at"

    def get_readonly_fields(self, request, obj=None):
        # Once it exists, only the role may change; moving a membership is leave + invite.
        return ["user", "collective", "joined_at"] if obj else ["joined_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["role"])
            return
        member, _ = collective_member_add(collective=obj.collective, user=obj.user, role=obj.role)
        obj.pk = member.pk

    def delete_model(self, request, obj):
        collective_leave(collective=obj.collective, user=obj.user)

    def delete_queryset(self, request, queryset):
        for member in queryset.select_related("collective", "user"):
            collective_leave(collective=member.collective, user=member.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Moderators and bans change through the API, which writes the audit log
    (docs/moderation.md); the admin only shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CollectiveModerator)
class CollectiveModeratorAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "collective", "appointed_by", "created_at"]
    search_fields = ["user__username", "collective__name"]
    raw_id_fields = ["user", "collective", "appointed_by"]
    list_select_related = ["user", "collective", "appointed_by"]


@admin.register(CollectiveBan)
class CollectiveBanAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "collective", "banned_by", "created_at"]
    search_fields = ["user__username", "collective__name"]
    raw_id_fields = ["user", "collective", "banned_by"]
    list_select_related = ["user", "collective", "banned_by"]
