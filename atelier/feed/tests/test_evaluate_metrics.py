"""HR@10, NDCG@50 and MRR on hand-computed lists; the paired bootstrap."""

import math

import numpy as np
import pytest

from atelier.feed.evaluation.metrics import bootstrap_means, interval, metrics_of


def ranked(*positions: int, length: int = 100) -> np.ndarray:
    """A list of `length` posts with the relevant ones at the given ranks (1-based)."""
    out = np.zeros(length, dtype=bool)
    out[np.array(positions) - 1] = True
    return out


def test_first_post_relevant_is_perfect():
    assert metrics_of(ranked(1)) == (1.0, 1.0, 1.0)


def test_one_relevant_post_at_rank_three():
    hr, ndcg, mrr = metrics_of(ranked(3))
    assert hr == 1.0
    assert ndcg == pytest.approx(1 / math.log2(4))  # 0.5: ideal DCG is 1
    assert mrr == pytest.approx(1 / 3)


def test_two_relevant_posts():
    hr, ndcg, mrr = metrics_of(ranked(2, 5))
    dcg = 1 / math.log2(3) + 1 / math.log2(6)
    ideal = 1 + 1 / math.log2(3)
    assert (hr, mrr) == (1.0, 0.5)
    assert ndcg == pytest.approx(dcg / ideal)


def test_hit_rate_counts_the_top_ten_only():
    assert metrics_of(ranked(10))[0] == 1.0
    hr, ndcg, mrr = metrics_of(ranked(11))
    assert hr == 0.0
    assert ndcg == pytest.approx(1 / math.log2(12))
    assert mrr == pytest.approx(1 / 11)


def test_ndcg_ignores_ranks_beyond_fifty_but_mrr_does_not():
    hr, ndcg, mrr = metrics_of(ranked(51))
    assert (hr, ndcg) == (0.0, 0.0)
    assert mrr == pytest.approx(1 / 51)
    # 60 relevant posts, all on top: the ideal list is cut at 50 too.
    assert metrics_of(ranked(*range(1, 61)))[1] == pytest.approx(1.0)
    # Ranks 2..51: DCG over ranks 2..50, ideal over ranks 1..50.
    dcg = sum(1 / math.log2(r + 1) for r in range(2, 51))
    ideal = sum(1 / math.log2(r + 1) for r in range(1, 51))
    assert metrics_of(ranked(*range(2, 52)))[1] == pytest.approx(dcg / ideal)


def test_no_relevant_post_scores_zero():
    assert metrics_of(np.zeros(5, dtype=bool)) == (0.0, 0.0, 0.0)


def test_bootstrap_is_seeded_and_paired():
    rng = np.random.default_rng(7)
    a = rng.random(200)
    values = np.column_stack([a, a + 0.1, rng.random(200)])
    means, resampled = bootstrap_means(values, boot=300, seed=5)
    again = bootstrap_means(values, boot=300, seed=5)[1]
    np.testing.assert_array_equal(resampled, again)
    assert resampled.shape == (300, 3)
    np.testing.assert_allclose(means, values.mean(axis=0))
    # Paired: the same rows for every column, so a constant difference has no spread.
    np.testing.assert_allclose(resampled[:, 1] - resampled[:, 0], 0.1)
    mean, lo, hi = interval(means[2], resampled[:, 2])
    assert lo < mean < hi
    # A different seed resamples differently.
    assert not np.array_equal(bootstrap_means(values, boot=300, seed=6)[1], resampled)


def test_bootstrap_of_nothing():
    means, resampled = bootstrap_means(np.zeros((0, 2)), boot=10, seed=0)
    assert np.isnan(means).all() and resampled.shape == (0, 2)
    assert interval(0.5, resampled[:, 0]) == [0.5, 0.5, 0.5]
