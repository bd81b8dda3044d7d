"""The evaluation: every ranker on every kept viewer-moment, then means with intervals."""

import sys
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from atelier.feed.evaluation.community import Community
from atelier.feed.evaluation.metrics import METRICS, bootstrap_means, interval, metrics_of
from atelier.feed.evaluation.protocol import Counts, cases_at
from atelier.feed.evaluation.rankers import Ranker


@dataclass
class Run:
    """Per viewer-moment metrics: `all[i, r, m]` for viewer-moment i, ranker r, metric m;
    `new_only` the same with NaN where the viewer-moment has no new relevant post."""

    rankers: list[str]
    counts: Counts
    test: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    all: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 3)))
    new_only: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 3)))
    seconds: float = 0.0


def run(
    community: Community,
    when: list[datetime],
    rankers: list[Ranker],
    *,
    test_from: datetime | None = None,
    progress: Callable[[str], None] = lambda s: None,
) -> Run:
    started = clock.monotonic()
    counts = Counts(moments=len(when))
    rows_all, rows_new, is_test = [], [], []
    nan = np.full((len(rankers), 3), np.nan)
    for k, moment in enumerate(when):
        at = moment.timestamp()
        cases = cases_at(community, at, counts)
        for case in cases:
            c = community.hydrate(case.viewer, case.posts, at)
            v = community.viewer(case.viewer, at)
            rows_all.append([metrics_of(case.relevant[r.order(c, v, at)]) for r in rankers])
            keep = ~case.prior
            relevant = case.relevant[keep]
            if relevant.any():
                c_new = c.take(keep)
                rows_new.append([metrics_of(relevant[r.order(c_new, v, at)]) for r in rankers])
            else:
                rows_new.append(nan)
            is_test.append(test_from is not None and moment >= test_from)
        if (k + 1) % 10 == 0 or k + 1 == len(when):
            progress(
                f"  {k + 1}/{len(when)} moments ({moment:%Y-%m-%d}), "
                f"{counts.viewer_moments:,} viewer-moments, "
                f"{clock.monotonic() - started:.0f} s"
            )
    shape = (0, len(rankers), 3)
    return Run(
        rankers=[r.name for r in rankers],
        counts=counts,
        test=np.array(is_test, dtype=bool),
        all=np.array(rows_all, dtype=np.float64).reshape(-1, len(rankers), 3)
        if rows_all
        else np.zeros(shape),
        new_only=np.array(rows_new, dtype=np.float64).reshape(-1, len(rankers), 3)
        if rows_new
        else np.zeros(shape),
        seconds=clock.monotonic() - started,
    )


def subsets(result: Run, split: bool) -> dict[str, np.ndarray]:
    """The viewer-moments of each reported subset: name -> (n, rankers, 3) metrics."""
    has_new = ~np.isnan(result.new_only[:, 0, 0]) if len(result.new_only) else np.zeros(0, bool)
    out = {"all": result.all, "new_only": result.new_only[has_new]}
    if split:
        train, test = ~result.test, result.test
        out["train"] = result.all[train]
        out["train_new_only"] = result.new_only[train & has_new]
        out["test"] = result.all[test]
        out["test_new_only"] = result.new_only[test & has_new]
    return out


def summarize(result: Run, *, baseline: str, boot: int, seed: int, split: bool) -> dict:
    """The JSON report: counts, means with 95% intervals, differences against `baseline`."""
    names = result.rankers
    b = names.index(baseline)
    report = {
        "counts": result.counts.as_dict(),
        "rankers": {name: {} for name in names},
        "differences": {"baseline": baseline, "rankers": {name: {} for name in names}},
        "bootstrap": {"resamples": boot, "seed": seed, "unit": "viewer-moment"},
    }
    for s, (subset, values) in enumerate(subsets(result, split).items()):
        n = len(values)
        report["counts"][f"{subset}_viewer_moments"] = n
        flat = values.reshape(n, len(names) * 3)
        means, resampled = bootstrap_means(flat, boot=boot, seed=seed + s)
        means = means.reshape(len(names), 3)
        resampled = resampled.reshape(-1, len(names), 3)
        for r, name in enumerate(names):
            report["rankers"][name][subset] = {
                metric: interval(means[r, m], resampled[:, r, m])
                for m, metric in enumerate(METRICS)
            }
            report["differences"]["rankers"][name][subset] = {
                metric: interval(means[r, m] - means[b, m], resampled[:, r, m] - resampled[:, b, m])
                for m, metric in enumerate(METRICS)
            }
    return report


def _cell(values: list[float]) -> str:
    mean, lo, hi = values
    if np.isnan(mean):
        return "–"
    return f"{mean:.3f} [{lo:.3f}, {hi:.3f}]"


def _signed(values: list[float]) -> str:
    mean, lo, hi = values
    if np.isnan(mean):
        return "–"
    return f"{mean:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def table(report: dict) -> str:
    """The report as a markdown table: one row per subset and ranker."""
    baseline = report["differences"]["baseline"]
    lines = [
        f"| subset | ranker | HR@10 | NDCG@50 | MRR | NDCG@50 − {baseline} |",
        "|---|---|---:|---:|---:|---:|",
    ]
    first = next(iter(report["rankers"].values()))
    for subset in first:
        n = report["counts"].get(f"{subset}_viewer_moments", 0)
        for name, results in report["rankers"].items():
            m = results[subset]
            diff = report["differences"]["rankers"][name][subset]["ndcg@50"]
            lines.append(
                f"| {subset} (n={n:,}) | {name} | {_cell(m['hr@10'])} | {_cell(m['ndcg@50'])} "
                f"| {_cell(m['mrr'])} | {'' if name == baseline else _signed(diff)} |"
            )
    return "\n".join(lines)


def plot(report: dict, path: str, title: str) -> None:
    """A PNG: NDCG@50 and HR@10 per subset, a bar per ranker with its 95% interval."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(report["rankers"])
    subsets_ = list(report["rankers"][names[0]])
    fig, axes = plt.subplots(1, 3, figsize=(15, 5.0), sharey=False)
    width = 0.8 / len(names)
    for ax, metric in zip(axes, METRICS, strict=True):
        for r, name in enumerate(names):
            values = np.array([report["rankers"][name][s][metric] for s in subsets_])
            xs = np.arange(len(subsets_)) + (r - (len(names) - 1) / 2) * width
            err = np.vstack([values[:, 0] - values[:, 1], values[:, 2] - values[:, 0]])
            ax.bar(xs, values[:, 0], width, yerr=err, capsize=2, label=name)
        ax.set_xticks(np.arange(len(subsets_)), subsets_, rotation=20, fontsize=8)
        ax.set_title(metric.upper())
        ax.grid(axis="y", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(names), fontsize=9)
    fig.suptitle(title + " (bars: means; whiskers: 95% bootstrap intervals)", fontsize=10)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
