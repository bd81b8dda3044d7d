"""App configuration for moderation (docs/moderation.md)."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "atelier.moderation"
    label = "moderation"
    verbose_name = "Moderation"
