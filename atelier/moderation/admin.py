"""Admin of moderation: read-only. Staff act through /api/moderation/ (docs/moderation.md),
where every action writes its decision and audit entry; the admin only shows them, so no
audit entry can be edited here. What staff change elsewhere in the admin (members, posts,
remarks, collectives...) is audited too: see `receivers.audit_admin_write`."""

from django.contrib import admin

from atelier.core.admin import EachWriteLogged
from atelier.moderation.models import Appeal, AuditEntry, Decision, Report


class ReadOnlyAdmin(EachWriteLogged, admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "target_type", "target_id", "category", "status", "created_at"]
    list_filter = ["status", "category", "target_type"]
    raw_id_fields = ["reporter", "target_user", "decision"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["id", "target_type", "target_id", "action", "category", "created_at"]
    list_filter = ["action", "target_type"]
    raw_id_fields = ["actor", "affected_user"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["id", "decision", "outcome", "created_at", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["decision"]
    raw_id_fields = ["decision", "appellant", "decided_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "actor_name", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "target_name"]
    raw_id_fields = ["actor"]
    date_hierarchy = "created_at"
