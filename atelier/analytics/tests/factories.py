"""Factories for analytics rows: exposed posts (one page at a time), post opens, dwell."""

import uuid
from datetime import datetime

from atelier.analytics.models import ExposedPost, PostDwell, PostOpen
from atelier.feed.components import NAMES as COMPONENTS


def breakdown_for(points: dict[str, float]) -> dict:
    """A score breakdown as the feed gives it: every component (0 unless given), seen, diversity."""
    return {**dict.fromkeys(COMPONENTS, 0.0), **points, "seen": False, "diversity": 1.0}


def expose_page(
    user,
    posts: list,
    *,
    variant: str,
    served_at: datetime,
    scores: list[float] | None = None,
    breakdowns: list[dict] | None = None,
    response_ms: float | None = None,
    explicit_ordering: bool = False,
    first_position: int = 1,
) -> list[ExposedPost]:
    """One served page: a row per post, in order, sharing a page id, time and response time."""
    page_id = uuid.uuid4()
    rows = [
        ExposedPost(
            user_id=user.id,
            variant=variant,
            explicit_ordering=explicit_ordering,
            post_id=post.id,
            position=first_position + i,
            score=scores[i] if scores else None,
            breakdown=breakdowns[i] if breakdowns else None,
            post_type=post.post_type,
            author_id=post.author_id,
            page_id=page_id,
            served_at=served_at,
            response_ms=response_ms,
        )
        for i, post in enumerate(posts)
    ]
    return ExposedPost.objects.bulk_create(rows)


def open_post(user, post, at: datetime) -> PostOpen:
    return PostOpen.objects.create(user_id=user.id, post_id=post.id, opened_at=at)


def dwell(user, post, seconds: float, at: datetime) -> PostDwell:
    """A dwell report: `post` was on `user`'s screen for `seconds`, reported at `at`."""
    return PostDwell.objects.create(
        user_id=user.id, post_id=post.id, seconds=seconds, recorded_at=at
    )
