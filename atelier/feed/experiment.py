"""Which variant a signed-in user is served when they ask for no ordering.

The experiment (its rollout, buckets and results) belongs to analytics, which sits above
the feed; it registers its assignment here in AnalyticsConfig.ready(). Without one,
everyone gets the personalized feed.
"""

from collections.abc import Callable

_assign: Callable[[int], str] | None = None


def register(assign: Callable[[int], str]) -> None:
    """Let `assign(user_id)` choose the variant ("personalized" or "chronological")."""
    global _assign
    _assign = assign


def variant_for(user_id: int) -> str:
    """The variant the experiment assigns this user."""
    if _assign is None:
        return "personalized"
    return _assign(user_id)
