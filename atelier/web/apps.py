"""App configuration for the web pages."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "atelier.web"
    label = "web"
    verbose_name = "Web pages"
