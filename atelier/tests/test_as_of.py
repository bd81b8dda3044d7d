"""Features and ranking "as of" a past moment equal the live ones on a database cut there."""

import random
from datetime import timedelta

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from atelier.collective.models import CollectiveMember
from atelier.core.models import UserFellow
from atelier.dump.importer import _recount_posts
from atelier.feed import affinity
from atelier.feed.config import default_ranking
from atelier.feed.features import hydrate, viewer_profile
from atelier.feed.scorer import rank
from atelier.feed.tests.helpers import assert_same_candidates
from atelier.feed.tests.test_ranking_reference import NOW, build, community
from atelier.post.models import Appreciation, Comment, Post, SeenPost

CUT = NOW - timedelta(hours=60)


def _spread_relations_in_time(seed: int) -> None:
    """build() makes fellows and members at NOW; spread them over the past weeks."""
    rng = random.Random(seed)
    for fellow in UserFellow.objects.all():
        fellow.created_at = NOW - timedelta(hours=rng.uniform(0, 200))
        fellow.save(update_fields=["created_at"])
    for member in CollectiveMember.objects.all():
        member.joined_at = NOW - timedelta(hours=rng.uniform(0, 200))
        member.save(update_fields=["joined_at"])
    for post in Post.objects.all()[:5]:
        Comment.objects.create(
            post=post, author_id=post.author_id, text="x",
            created_at=NOW - timedelta(hours=rng.uniform(0, 300)),
        )  # fmt: skip
    for seen in SeenPost.objects.all():
        seen.seen_at = NOW - timedelta(hours=rng.uniform(0, 200))
        seen.save(update_fields=["seen_at"])


def _cut_database_at(moment) -> None:
    """Delete everything timestamped at or after `moment`; recount what is derived."""
    Post.objects.filter(created_at__gte=moment).delete()
    Appreciation.objects.filter(created_at__gte=moment).delete()
    Comment.objects.filter(created_at__gte=moment).delete()
    UserFellow.objects.filter(created_at__gte=moment).delete()
    CollectiveMember.objects.filter(joined_at__gte=moment).delete()
    SeenPost.objects.filter(seen_at__gte=moment).delete()
    _recount_posts()
    affinity.rebuild()


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=community)
def test_as_of_equals_live_on_a_database_cut_at_that_moment(c):
    with transaction.atomic():
        viewer = build(c)
        _spread_relations_in_time(len(c["posts"]))
        r = default_ranking()
        before = list(Post.objects.filter(created_at__lt=CUT).values_list("id", flat=True))
        then = hydrate(viewer.id, before, as_of=CUT)
        then_viewer = viewer_profile(viewer.id, as_of=CUT)

        _cut_database_at(CUT)
        live = hydrate(viewer.id, before)
        live_viewer = viewer_profile(viewer.id)

        assert then_viewer == live_viewer
        assert_same_candidates(then, live)
        _, ranked_then = rank(then, then_viewer, r, CUT.timestamp())
        _, ranked_live = rank(live, live_viewer, r, CUT.timestamp())
        assert list(then.post_id[ranked_then.order]) == list(live.post_id[ranked_live.order])
        np.testing.assert_allclose(ranked_then.score, ranked_live.score, rtol=1e-12)
        transaction.set_rollback(True)
