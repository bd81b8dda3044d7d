"""App configuration for the feed."""

from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "atelier.feed"
    label = "feed"
    verbose_name = "Feed ranking"
