"""What analytics hears from the layers below it (connected in AnalyticsConfig.ready()).

The feed and posts know no dashboard: they send feed.signals.page_served and
post.signals.post_opened, and ask feed.experiment for a user's variant; analytics
records the exposures and openings and answers with its rollout.
"""

from atelier.analytics import exposures
from atelier.analytics.rollout import load_rollout
from atelier.feed import experiment
from atelier.feed import signals as feed_signals
from atelier.post import signals as post_signals


def _page_served(sender, *, request, page, start, explicit_ordering, **kwargs) -> None:
    exposures.page_served(request, page, start=start, explicit_ordering=explicit_ordering)


def _post_opened(sender, *, user_id, post_id, **kwargs) -> None:
    exposures.post_opened(user_id=user_id, post_id=post_id)


def _variant_for(user_id: int) -> str:
    return load_rollout().variant_for(user_id)


def connect() -> None:
    uid = "atelier.analytics.receivers"
    feed_signals.page_served.connect(_page_served, dispatch_uid=uid)
    post_signals.post_opened.connect(_post_opened, dispatch_uid=uid)
    experiment.register(_variant_for)
