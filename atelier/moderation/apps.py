"""App configuration for moderation (docs/moderation.md)."""

from django.apps import AppConfig
from django.db.models.signals import post_save


class ModerationConfig(AppConfig):
    name = "atelier.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry

        from atelier.core import signals as core_signals
        from atelier.moderation.receivers import audit_admin_write
        from atelier.moderation.services import suspension_statement

        # Writes made through the Django admin join the audit log (docs/moderation.md).
        post_save.connect(
            audit_admin_write, sender=LogEntry, dispatch_uid="moderation.audit_admin_write"
        )
        # A suspended member's log-in with the right password is told why (core asks).
        core_signals.suspension_statement.connect(
            suspension_statement, dispatch_uid="moderation.suspension_statement"
        )
