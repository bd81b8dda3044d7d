"""App configuration for collectives."""

from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "atelier.collective"
    label = "collective"
    verbose_name = "Collectives"
