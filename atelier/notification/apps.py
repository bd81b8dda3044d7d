"""App configuration for notifications."""

from django.apps import AppConfig


class NotificationConfig(AppConfig):
    name = "atelier.notification"
    label = "notification"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from atelier.notification import receivers

        # Hearts, remarks and fellow requests notify inside their own transaction.
        receivers.connect()
