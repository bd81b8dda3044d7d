"""Ranking metrics per viewer-moment, and paired bootstrap intervals of their means."""

import numpy as np

METRICS = ("hr@10", "ndcg@50", "mrr")


def metrics_of(relevant_in_order: np.ndarray) -> tuple[float, float, float]:
    """HR@10, NDCG@50 (binary gains) and MRR of one ranked list.

    `relevant_in_order[i]` tells whether the post at rank i + 1 is relevant. HR@10 is 1 when
    a relevant post is in the top 10; NDCG@50 is sum(1 / log2(rank + 1)) over the relevant
    posts in the top 50, divided by the same sum for an ideal list (every relevant post
    first, at most 50); MRR is 1 / the rank of the first relevant post, in the whole list.
    """
    ranks = np.flatnonzero(relevant_in_order) + 1
    if not len(ranks):
        return 0.0, 0.0, 0.0
    hr = 1.0 if ranks[0] <= 10 else 0.0
    top = ranks[ranks <= 50]
    dcg = float(np.sum(1.0 / np.log2(top + 1.0)))
    ideal = float(np.sum(1.0 / np.log2(np.arange(1, min(len(ranks), 50) + 1) + 1.0)))
    return hr, dcg / ideal, 1.0 / float(ranks[0])


def bootstrap_means(
    values: np.ndarray, *, boot: int, seed: int, chunk: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """The means of `values` (shape (n, k): n viewer-moments, k columns), and `boot` means of
    resamples of its rows (shape (boot, k)).

    Every column is resampled with the same rows, so a difference of two columns (two
    rankers on the same viewer-moments) has its own interval: the percentiles of the
    differences of their resampled means.
    """
    n, k = values.shape
    means = values.mean(axis=0) if n else np.full(k, np.nan)
    if n == 0 or boot <= 0:
        return means, np.empty((0, k))
    rng = np.random.default_rng(seed)
    out = np.empty((boot, k), dtype=np.float64)
    for lo in range(0, boot, chunk):
        rows = min(chunk, boot - lo)
        picks = rng.integers(0, n, size=(rows, n))
        offsets = (np.arange(rows) * n)[:, None]
        counts = np.bincount((picks + offsets).ravel(), minlength=rows * n).reshape(rows, n)
        out[lo : lo + rows] = counts @ values / n
    return means, out


def interval(mean: float, resampled: np.ndarray) -> list[float]:
    """[mean, 2.5th percentile, 97.5th percentile] (the 95% percentile interval)."""
    if not len(resampled):
        return [float(mean), float(mean), float(mean)]
    lo, hi = np.percentile(resampled, [2.5, 97.5])
    return [float(mean), float(lo), float(hi)]
