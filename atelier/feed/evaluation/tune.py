"""`--tune`: a bounded, deterministic coordinate search over the ranking's weights.

It starts from the served ranking and tries each weight on a grid (and the recency decay
and the author diversity decay), one at a time, on a fixed sample of the earlier train
viewer-moments (fit); the objective is mean NDCG@50, its all and new_only views averaged.
A value is kept only when it raises the objective on the fit sample and does not lower it
on a sample of the later train moments (validation: the last quarter of the train days),
an early stop against fitting one season. Two passes. The points of every component are
computed once per viewer-moment by the scorer (`scorer.points_of`); a candidate setting
only changes their weighted sum (`scorer.weighted_sum`, and the recency column, from the
recency component itself, when the decay moves), which goes through the scorer's own
`diversify`, so what is tuned is what `rank` serves.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from atelier.feed.components import BY_NAME, NAMES
from atelier.feed.config import Ranking
from atelier.feed.evaluation.community import Community
from atelier.feed.evaluation.metrics import metrics_of
from atelier.feed.evaluation.protocol import Case
from atelier.feed.features import Candidates, Viewer
from atelier.feed.scorer import diversify, points_of, weighted_sum

WEIGHT_GRID = (0.0, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8)
DECAY_HOURS_GRID = (6.0, 12.0, 24.0, 48.0, 96.0)
DIVERSITY_GRID = (0.25, 0.5, 0.75, 1.0)
RECENCY = NAMES.index("recency")


@dataclass
class Prepared:
    c: Candidates
    v: Viewer
    at: float
    points: np.ndarray
    relevant: np.ndarray
    keep: np.ndarray  # new_only's candidates
    c_new: Candidates | None


def prepare(community: Community, cases: list[Case], start: Ranking) -> list[Prepared]:
    out = []
    for case in cases:
        c = community.hydrate(case.viewer, case.posts, case.at)
        v = community.viewer(case.viewer, case.at)
        keep = ~case.prior
        new = case.relevant[keep].any()
        out.append(
            Prepared(
                c=c,
                v=v,
                at=case.at,
                points=points_of(c, v, start, case.at),
                relevant=case.relevant,
                keep=keep,
                c_new=c.take(keep) if new else None,
            )
        )
    return out


def objective(prepared: list[Prepared], r: Ranking) -> float:
    total_all, total_new, n_new = 0.0, 0.0, 0
    for p in prepared:
        # Only the recency decay among the searched fields changes points.
        points = p.points.copy()
        points[:, RECENCY] = BY_NAME["recency"].points(p.c, p.v, r, p.at)
        base = weighted_sum(points, p.c.seen, r)
        total_all += metrics_of(p.relevant[diversify(p.c, base, r).order])[1]
        if p.c_new is not None:
            relevant = p.relevant[p.keep]
            total_new += metrics_of(relevant[diversify(p.c_new, base[p.keep], r).order])[1]
            n_new += 1
    mean_all = total_all / max(len(prepared), 1)
    mean_new = total_new / max(n_new, 1)
    return (mean_all + mean_new) / 2


def tune(
    community: Community,
    cases: list[Case],
    validation: list[Case],
    start: Ranking,
    *,
    passes: int = 2,
    progress: Callable[[str], None] = lambda s: None,
) -> tuple[Ranking, dict]:
    """The best ranking found, and a record of the search (for the file's "about")."""
    prepared = prepare(community, cases, start)
    held = prepare(community, validation, start)
    best = start
    best_value = objective(prepared, best)
    best_held = objective(held, best)
    first_value, first_held = best_value, best_held
    progress(f"  tune: start fit {best_value:.4f}, validation {best_held:.4f}")
    coordinates = [(f"weight_{name}", WEIGHT_GRID) for name in NAMES]
    coordinates += [("recency_decay_hours", DECAY_HOURS_GRID), ("diversity_decay", DIVERSITY_GRID)]
    for p in range(passes):
        for name, grid in coordinates:
            for value in grid:
                trial = replace(best, **{name: value})
                if not any(trial.weight(n) > 0 for n in NAMES):
                    continue
                if name == "diversity_decay" and value < trial.diversity_floor:
                    trial = replace(trial, diversity_floor=value)
                got = objective(prepared, trial)
                if got > best_value + 1e-9:
                    got_held = objective(held, trial)
                    if got_held >= best_held - 1e-9:
                        best, best_value, best_held = trial, got, got_held
            progress(
                f"  tune pass {p + 1}: {name} = {getattr(best, name)} -> fit {best_value:.4f}, "
                f"validation {best_held:.4f}"
            )
    return best, {
        "objective": "mean NDCG@50 (all and new_only averaged)",
        "fit_sample": len(prepared),
        "validation_sample": len(held),
        "fit": [round(first_value, 5), round(best_value, 5)],
        "validation": [round(first_held, 5), round(best_held, 5)],
    }
