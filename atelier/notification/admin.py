"""Admin of notifications (a large table: raw id widgets, no per-row queries)."""

from django.contrib import admin

from atelier.notification.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "notified_to", "kind", "actor", "post", "is_read", "notified_at"]
    list_filter = ["kind", "is_read"]
    search_fields = ["notified_to__username", "actor__username"]
    raw_id_fields = ["notified_to", "actor", "post"]
    list_select_related = ["notified_to", "actor", "post"]
    date_hierarchy = "notified_at"
