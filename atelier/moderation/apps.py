"""App configuration for moderation (docs/moderation.md)."""

from django.apps import AppConfig
from django.db.models.signals import post_save


class ModerationConfig(AppConfig):
    name = "atelier.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry

        from atelier.moderation.receivers import audit_admin_write

        # Writes made through the Django admin join the audit log (docs/moderation.md).
        post_save.connect(
            audit_admin_write, sender=LogEntry, dispatch_uid="moderation.audit_admin_write"
        )
