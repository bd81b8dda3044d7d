"""Admin for collectives, channels and memberships."""

from django.contrib import admin

from atelier.collective.models import Channel, Collective, CollectiveMember
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


@admin.register(CollectiveMember)
class CollectiveMemberAdmin(EachWriteLogged, admin.ModelAdmin):
    """Adding and removing go through the services, so members_count and feeds stay right."""

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
