"""App configuration for the feed."""

from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "atelier.feed"
    label = "feed"
    verbose_name = "Feed ranking"

    def ready(self) -> None:
        # Importing lookups registers field__in_ids.
        from atelier.feed import lookups, receivers  # noqa: F401

        # Hearts and comments move the viewer's affinity counters in their own transaction.
        receivers.connect()
