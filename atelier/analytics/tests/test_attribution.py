"""Engagement attribution: what the exposed user did to the exposed post within the window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from atelier.analytics.selectors import feed_summary
from atelier.analytics.tests.factories import expose_page, open_post
from atelier.feed.tests.factories import AppreciationFactory
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def exposure(ana, ben):
    """Ben's post, shown to ana (personalized) two days ago."""
    post = PostFactory(author=ben)
    served_at = timezone.now() - timedelta(days=2)
    expose_page(ana, [post], variant="personalized", served_at=served_at, scores=[1.0])
    return post, served_at


def _figures() -> dict:
    return feed_summary(days=7)["variants"]["personalized"]


def _act(kind: str, user, post, at):
    if kind in ("heart", "praise", "trophy"):
        AppreciationFactory(user=user, post=post, kind=kind, created_at=at)
    elif kind == "comment":
        CommentFactory(author=user, post=post, created_at=at)
    elif kind == "critique":
        CritiqueFactory(author=user, post=post, created_at=at)
    else:
        raise AssertionError(kind)


KINDS = ["heart", "praise", "trophy", "comment", "critique"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("after", [timedelta(0), HOUR, 24 * HOUR])
def test_engagement_within_the_window_counts(ana, exposure, kind, after):
    post, served_at = exposure
    _act(kind, ana, post, served_at + after)

    assert _figures()["engaged_posts"] == 1
    assert _figures()["engagement_rate"] == 1.0


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("offset", [-HOUR, -timedelta(seconds=1), 24 * HOUR + timedelta(seconds=1)])
def test_engagement_before_the_exposure_or_after_the_window_does_not(ana, exposure, kind, offset):
    post, served_at = exposure
    _act(kind, ana, post, served_at + offset)

    assert _figures()["engaged_posts"] == 0


@pytest.mark.parametrize("kind", KINDS)
def test_engagement_by_someone_else_or_on_another_post_does_not(ana, cleo, exposure, kind):
    post, served_at = exposure
    _act(kind, cleo, post, served_at + HOUR)
    _act(kind, ana, PostFactory(author=post.author), served_at + HOUR)

    assert _figures()["engaged_posts"] == 0


def test_several_actions_count_the_exposure_once(ana, exposure):
    post, served_at = exposure
    for kind in KINDS:
        _act(kind, ana, post, served_at + HOUR)

    assert _figures()["engaged_posts"] == 1


def test_each_exposure_of_the_same_post_is_attributed_on_its_own(ana, exposure):
    post, served_at = exposure
    expose_page(
        ana, [post], variant="chronological", served_at=served_at + 30 * HOUR, response_ms=1.0
    )
    _act("heart", ana, post, served_at + 31 * HOUR)  # 31 h after the first, 1 h after the second

    variants = feed_summary(days=7)["variants"]
    assert variants["personalized"]["engaged_posts"] == 0
    assert variants["chronological"]["engaged_posts"] == 1


def test_opens_within_the_window_are_click_through(ana, cleo, exposure):
    post, served_at = exposure
    open_post(ana, post, served_at + 2 * HOUR)
    open_post(ana, post, served_at + 3 * HOUR)  # a second open: still one exposed post
    open_post(cleo, post, served_at + HOUR)
    open_post(ana, post, served_at - HOUR)

    figures = _figures()
    assert figures["opened_posts"] == 1
    assert figures["click_through"] == 1.0
    assert figures["engaged_posts"] == 0  # opening is not engagement
