"""Attribution: which exposures were followed by an engagement or an opening in time.

Shared by the summary read from raw exposures (selectors.py) and the rollup (rollup.py),
below both, so that neither imports the other back.
"""

import functools
import operator
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from atelier.analytics.models import PostOpen
from atelier.post.models import Appreciation, Comment, Critique


def _acted_on(exposures: QuerySet, actions: QuerySet, *, actor: str, at: str, window) -> QuerySet:
    """Ids of the exposures whose user did one of `actions` (by `actor`, at `at`) on the
    exposed post within `window` after it was served."""
    matching = actions.filter(
        **{
            actor: OuterRef("user_id"),
            "post_id": OuterRef("post_id"),
            f"{at}__gte": OuterRef("served_at"),
            f"{at}__lte": OuterRef("served_at") + window,
        }
    )
    return exposures.filter(Exists(matching)).values("id")


def attribution_filters(
    exposures: QuerySet,
    *,
    start: datetime,
    end: datetime,
    window,
    spans: list[tuple[datetime, datetime]] | None = None,
):
    """(engaged, opened): conditions on exposures, for Count(filter=...). `exposures` are
    served within [start, end], or within the given spans of it."""

    def acted(actions, actor, at):
        # Constant bounds too: only actions that can match an exposure of the period (of
        # one of its spans) are read.
        bounds = functools.reduce(
            operator.or_,
            (Q(**{f"{at}__gte": a, f"{at}__lte": b + window}) for a, b in spans or [(start, end)]),
        )
        actions = actions.filter(bounds)
        return Q(id__in=_acted_on(exposures, actions, actor=actor, at=at, window=window))

    engaged = (
        acted(Appreciation.objects.all(), "user_id", "created_at")
        | acted(Comment.objects.all(), "author_id", "created_at")
        | acted(Critique.objects.all(), "author_id", "created_at")
    )
    opened = acted(PostOpen.objects.all(), "user_id", "opened_at")
    return engaged, opened
