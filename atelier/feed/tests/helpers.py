"""Helpers the feed's HTTP tests share: reading pages, walking `next`, making a community."""

import math
from datetime import datetime, timedelta

import numpy as np
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from atelier.collective.models import Collective
from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.feed.features import Candidates
from atelier.post.tests.factories import PostFactory

FEED = "/api/posts/"


def get_feed(client, **params) -> dict:
    """GET the feed with `params` and return its JSON, asserting a 200."""
    response = client.get(
        FEED, {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
    )
    assert response.status_code == 200, response.content
    return response.json()


def get_url(client, url: str) -> dict:
    """GET an absolute link the feed gave (`next`, `previous`), asserting a 200."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def ids(page: dict) -> list[int]:
    return [post["id"] for post in page["results"]]


def walk(client, **params) -> list[dict]:
    """Every page of one feed, from page 1 by following `next` until it is null."""
    pages = [get_feed(client, **params)]
    while pages[-1]["next"]:
        pages.append(get_url(client, pages[-1]["next"]))
        assert len(pages) < 200, "the feed never ends"
    return pages


def ago(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)


def post(author, hours: float, **fields):
    """A post by `author`, `hours` old (PostFactory: `channel=` makes it a collective post)."""
    return PostFactory(author=author, created_at=ago(hours), **fields)


def channel_of(visibility: str, *members, name: str | None = None, admin=None):
    """A channel of a new collective of `visibility` whose members are `members` (and
    `admin`, as its admin), with its members counter kept right."""
    extra = {"collective__name": name} if name else {}
    channel = ChannelFactory(collective__visibility=visibility, **extra)
    for user in members:
        MemberFactory(collective=channel.collective, user=user)
    if admin is not None:
        MemberFactory(collective=channel.collective, user=admin, role="admin")
    count = len(members) + (admin is not None)
    Collective.objects.filter(pk=channel.collective_id).update(members_count=count)
    return channel


def server_now(result: dict) -> datetime:
    """The moment the server ranked at, recovered from a post's `recency` points.

    recency = 100 * exp(-hours_old / 24), so hours_old = -24 * ln(recency / 100); this is
    exact to well under a microsecond, so the reference can be evaluated at the same "now".
    """
    created = parse_datetime(result["created_at"])
    hours = -24.0 * math.log(result["score_breakdown"]["recency"] / 100.0)
    return created + timedelta(hours=hours)


def assert_same_candidates(a: Candidates, b: Candidates, *, skip: tuple[str, ...] = ()) -> None:
    """Every feature of the same posts equal (floats to 1e-12), whatever their order."""
    order_a, order_b = np.argsort(a.post_id), np.argsort(b.post_id)
    for name in Candidates.__dataclass_fields__:
        if name in skip:
            continue
        x, y = getattr(a, name)[order_a], getattr(b, name)[order_b]
        if x.dtype == np.float64:
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-9, err_msg=name)
        else:
            assert list(x) == list(y), name
