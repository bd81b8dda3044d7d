"""App configuration for the feed."""

from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "atelier.feed"
    label = "feed"
    verbose_name = "Feed ranking"

    def ready(self) -> None:
        from atelier.feed import (
            lookups,  # noqa: F401  (registers field__in_ids)
            receivers,
        )

        # Hearts and comments move the viewer's affinity counters in their own transaction.
        receivers.connect()
