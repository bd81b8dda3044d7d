"""The blend of text relevance, freshness and engagement (search/ranking.py)."""

from datetime import UTC, datetime, timedelta

import pytest

from atelier.search import ranking
from atelier.search.ranking import Candidate

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_freshness_halves_every_half_life_and_never_exceeds_one():
    half = timedelta(hours=ranking.FRESHNESS_HALF_LIFE_HOURS)

    assert ranking.freshness(NOW, NOW) == 1.0
    assert ranking.freshness(NOW - half, NOW) == pytest.approx(0.5)
    assert ranking.freshness(NOW - 2 * half, NOW) == pytest.approx(0.25)
    assert ranking.freshness(NOW + half, NOW) == 1.0


def test_engagement_is_half_at_its_half_points_and_counts_each_reaction():
    assert ranking.engagement(0) == 0.0
    assert ranking.engagement(ranking.ENGAGEMENT_HALF_POINTS) == 0.5
    candidate = Candidate(1, NOW, 1.0, hearts=1, praise=1, trophies=1, comments=1, critiques=1)
    assert candidate.points == 1 + 2 + 3 + 1 + 1


def test_the_score_is_the_weighted_sum():
    candidate = Candidate(1, NOW, relevance=0.5, hearts=ranking.ENGAGEMENT_HALF_POINTS)

    score = ranking.score(candidate, best_relevance=1.0, now=NOW)

    expected = (
        ranking.TEXT_WEIGHT * 0.5 + ranking.FRESHNESS_WEIGHT * 1.0 + ranking.ENGAGEMENT_WEIGHT * 0.5
    )
    assert score == pytest.approx(expected)
    assert ranking.TEXT_WEIGHT + ranking.FRESHNESS_WEIGHT + ranking.ENGAGEMENT_WEIGHT == 1.0


def test_relevance_is_relative_to_the_best_candidate():
    """Only the ratio matters, so PostgreSQL's and SQLite's scales rank alike."""
    small = [Candidate(1, NOW, 0.02), Candidate(2, NOW, 0.01)]
    large = [Candidate(1, NOW, 20.0), Candidate(2, NOW, 10.0)]

    assert ranking.rank(small, NOW) == ranking.rank(large, NOW) == [1, 2]


def test_text_outweighs_a_month_of_age_and_ties_go_to_the_newer_post():
    month_old_exact = Candidate(1, NOW - timedelta(days=30), relevance=1.0)
    fresh_weak = Candidate(2, NOW, relevance=0.3)
    twin = Candidate(3, NOW - timedelta(days=30), relevance=1.0)

    assert ranking.rank([fresh_weak, month_old_exact, twin], NOW) == [3, 1, 2]


def test_no_relevance_at_all_still_ranks():
    assert ranking.rank([Candidate(1, NOW - timedelta(days=1), 0.0), Candidate(2, NOW, 0.0)],
                        NOW) == [2, 1]  # fmt: skip
