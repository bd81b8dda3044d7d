"""App configuration for notifications."""

from django.apps import AppConfig


class NotificationConfig(AppConfig):
    name = "atelier.notification"
    label = "notification"
    verbose_name = "Notifications"
