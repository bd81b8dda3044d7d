"""App configuration for the core app."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "atelier.core"
    label = "core"
    verbose_name = "Users and relations"
