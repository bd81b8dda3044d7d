"""Operations: `atelier serve`, health probes, request ids and request logs."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "atelier.ops"
    label = "ops"
    verbose_name = "Operations"
