"""Engagement's points per reaction are configuration, and every path follows them.

Ana follows no one and belongs to nothing; two strangers' posts, made at the same moment,
differ only in their reactions: one has 2 praise, the other 5 hearts. Under docs/api.md's
points (a praise is worth 2) the hearted post leads (5 > 4); once staff make a praise
worth 4 the praised one does (8 > 5). The served feed (the ranking statement and the
scorer), the reference, the evaluation's rankers and its tuning all see the same change,
in the order and in the contribution `weight x points`.
"""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from atelier.core.tests.factories import UserFactory
from atelier.feed.components import CHRONOLOGICAL_REASON, NAMES
from atelier.feed.config import load_ranking, save_ranking
from atelier.feed.evaluation.community import load_community
from atelier.feed.evaluation.protocol import Case
from atelier.feed.evaluation.rankers import Ranker
from atelier.feed.evaluation.tune import prepare
from atelier.feed.models import RankingConfig
from atelier.feed.pipeline import build_for
from atelier.feed.scorer import score
from atelier.feed.tests.helpers import get_feed, ids, post, server_now
from atelier.feed.tests.reference import reference_feed
from atelier.post.models import SeenPost
from atelier.post.services import appreciation_add
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

ENGAGEMENT = NAMES.index("engagement")


@pytest.fixture
def reacted():
    """Two strangers' posts of the same moment: 2 praise on one, 5 hearts on the other."""
    at = timezone.now() - timedelta(hours=3)
    praised = PostFactory(author=UserFactory(), created_at=at)
    hearted = PostFactory(author=UserFactory(), created_at=at)
    for _ in range(2):
        appreciation_add(user=UserFactory(), post=praised, kind="praise")
    for _ in range(5):
        appreciation_add(user=UserFactory(), post=hearted, kind="heart")
    return praised, hearted


def praise_worth(points: float, committed) -> None:
    row, _ = RankingConfig.objects.get_or_create(pk=1)
    row.engagement_per_praise = points
    with committed():
        save_ranking(row)


def contribution(page: dict, post_id: int) -> float:
    result = next(r for r in page["results"] if r["id"] == post_id)
    return result["score_contributions"]["engagement"]


def evaluation_order(viewer_id: int, posts: list[int], at: float) -> tuple[list[int], list]:
    """The evaluation's ranker of the live configuration, on its own as-of hydration."""
    community = load_community()
    c = community.hydrate(viewer_id, community.index_of(posts), at)
    v = community.viewer(viewer_id, at)
    order = Ranker("served", load_ranking()).order(c, v, at)
    engagement = score(c, v, load_ranking(), at).points[:, ENGAGEMENT]
    by_post = dict(zip(c.post_id.tolist(), engagement.tolist(), strict=True))
    return [int(c.post_id[i]) for i in order], by_post


def test_a_praise_worth_more_reorders_every_path_alike(ana, ana_client, reacted, committed):
    praised, hearted = reacted
    before = get_feed(ana_client, explain=True)
    assert ids(before) == [hearted.id, praised.id]
    assert contribution(before, hearted.id) == pytest.approx(0.15 * 5)
    assert contribution(before, praised.id) == pytest.approx(0.15 * 2 * 2)

    praise_worth(4.0, committed)
    after = get_feed(ana_client, explain=True)

    # A new configuration version: nothing ranked under the old points is served again.
    assert after["ranking"]["config_version"] == before["ranking"]["config_version"] + 1
    assert after["ranking"]["cached"] is False
    assert ids(after) == [praised.id, hearted.id]
    assert contribution(after, praised.id) == pytest.approx(0.15 * 2 * 4)
    assert contribution(after, hearted.id) == pytest.approx(0.15 * 5)

    now = server_now(after["results"][0])
    # The scorer, on the ranking statement's candidates.
    snapshot = build_for(ana.id, load_ranking(), now)
    assert [s.id for s in snapshot.ranked] == ids(after)
    assert [s.contributions["engagement"] for s in snapshot.ranked] == pytest.approx(
        [contribution(after, i) for i in ids(after)]
    )
    # The reference, told the configured points.
    expected = reference_feed(ana.id, now, engagement={"praise": 4.0})
    assert [e["id"] for e in expected] == ids(after)
    assert expected[0]["engagement"] == 8.0
    # The evaluation's ranker, a second after the reactions (it reads rows before `at`).
    at = timezone.now().timestamp() + 1.0
    order, engagement = evaluation_order(ana.id, ids(after), at)
    assert order == ids(after)
    assert engagement == {praised.id: 8.0, hearted.id: 5.0}


def test_tuning_starts_from_the_configured_points(ana, reacted, committed):
    """`--tune` scores its candidates with the scorer under the served configuration."""
    praised, hearted = reacted
    praise_worth(4.0, committed)
    community = load_community()
    posts = community.index_of([praised.id, hearted.id])
    at = timezone.now().timestamp() + 1.0

    case = Case(
        at=at,
        viewer=ana.id,
        posts=posts,
        relevant=np.array([True, False]),
        prior=np.zeros(2, dtype=bool),
    )
    (prepared,) = prepare(community, [case], load_ranking())

    assert prepared.points[:, ENGAGEMENT].tolist() == [8.0, 5.0]


def test_contributions_with_seen_and_diversity_make_the_score(ana, ana_client, reacted):
    author = reacted[0].author
    for hours in (1, 2, 4):  # more by one author: diversity < 1 for some
        post(author, hours)
    SeenPost.objects.create(user=ana, post=post(UserFactory(), 5), seen_at=timezone.now())
    r = load_ranking()

    page = get_feed(ana_client, explain=True, page_size=100)

    assert len(page["results"]) == 6
    for result in page["results"]:
        breakdown, contributions = result["score_breakdown"], result["score_contributions"]
        assert set(contributions) == set(breakdown) - {"seen", "diversity"}
        seen_factor = r.seen_factor if breakdown["seen"] else 1.0
        total = sum(contributions.values()) * seen_factor * breakdown["diversity"]
        assert total == pytest.approx(result["score"], rel=1e-12)
    assert min(r["score_breakdown"]["diversity"] for r in page["results"]) < 1
    assert any(r["score_breakdown"]["seen"] for r in page["results"])


def test_posts_without_a_score_have_no_contributions(ana_client, anon_client, reacted):
    newest = get_feed(ana_client, explain=True, ordering="chronological")["results"]
    anonymous = get_feed(anon_client, explain=True)["results"]

    assert [r["score_contributions"] for r in newest + anonymous] == [None] * 4
    assert {r["reason"] for r in newest + anonymous} == {CHRONOLOGICAL_REASON}
