"""App configuration for analytics: flushes the exposure buffer after responses and at exit."""

import atexit

from django.apps import AppConfig
from django.core.signals import request_finished


class AnalyticsConfig(AppConfig):
    name = "atelier.analytics"
    label = "analytics"
    verbose_name = "Feed analytics"

    def ready(self) -> None:
        from atelier.analytics import exposures, receivers

        # After the response has been sent (WSGI servers close it then), never before: the
        # request being served pays nothing for its exposure being written.
        request_finished.connect(exposures.flush_if_due, dispatch_uid="analytics-exposures")
        atexit.register(exposures.flush_at_exit)
        # The feed and the post detail say what they served; the experiment assigns variants.
        receivers.connect()
