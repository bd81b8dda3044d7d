"""Screen engagement and recency variants of API.md's formula on the evaluation protocol.

Run on a database the reddit-college dump was imported into (docs/evaluation.md):

    DATABASE_URL=sqlite:////tmp/eval.sqlite3 .venv/bin/atelier shell \
        -c "exec(open('benchmarks/evaluation/screen_engagement.py').read())"

Prints mean NDCG@50 per variant on the train (before 2021-07-01) and test moments, all
relevant posts and `new_only`. It scores the weighted sum before author diversity: a
screening of which levers matter, not a ranker to ship (those go through `atelier evaluate`).
"""

import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime

import numpy as np

from atelier.feed.config import default_ranking
from atelier.feed.evaluation.community import load_community
from atelier.feed.evaluation.metrics import metrics_of
from atelier.feed.evaluation.protocol import cases_at, moments
from atelier.feed.scorer import score

started = time.time()
community = load_community()
test_from = datetime(2021, 7, 1, tzinfo=UTC)
cases = []
for moment in moments(date(2021, 1, 8), date(2021, 9, 29)):
    at = moment.timestamp()
    for case in cases_at(community, at):
        c = community.hydrate(case.viewer, case.posts, at)
        v = community.viewer(case.viewer, at)
        cases.append((moment >= test_from, c, v, at, case.relevant, case.prior))
print(f"{len(cases)} viewer-moments in {time.time() - started:.0f} s", file=sys.stderr)
default = default_ranking()


def engagement(c):
    return c.hearts + 2.0 * c.praise + 5.0 * c.trophies + 0.5 * c.comments


def weighted(r):
    return lambda c, v, at: score(c, v, r, at).base


def plus(term, lam, r=default):
    return lambda c, v, at: score(c, v, r, at).base + lam * term(c, at)


def hot(gravity):
    return lambda c, at: np.log1p(10 * engagement(c) / ((at - c.created_at) / 3600 + 2) ** gravity)


def ndcg(name, fn):
    out = {"train": [], "test": [], "train new_only": [], "test new_only": []}
    for is_test, c, v, at, relevant, prior in cases:
        part = "test" if is_test else "train"
        s = fn(c, v, at)
        out[part].append(metrics_of(relevant[np.lexsort((-c.post_id, -s))])[1])
        keep = ~prior
        if relevant[keep].any():
            order = np.lexsort((-c.post_id[keep], -s[keep]))
            out[f"{part} new_only"].append(metrics_of(relevant[keep][order])[1])
    cells = "  ".join(f"{k} {np.mean(v):.3f}" for k, v in out.items())
    print(f"{name:<44} {cells}", flush=True)


ndcg("default", weighted(default))
ndcg(
    "fellow_fresh 0.25 instead of social",
    weighted(replace(default, weight_social=0.0, weight_fellow_fresh=0.25)),
)
for gravity in (1.0, 1.8):
    for lam in (0.25, 0.5, 1.0, 2.0):
        ndcg(f"+ {lam} x log(1 + 10 hot), gravity {gravity}", plus(hot(gravity), lam))
for lam in (0.25, 0.5, 1.0):
    ndcg(f"+ {lam} x log(1 + engagement)", plus(lambda c, at: np.log1p(engagement(c)), lam))
for cap in (25, 100):
    ndcg(f"engagement cap {cap}", weighted(replace(default, engagement_cap=cap)))
for hours in (12, 48):
    ndcg(f"recency decay {hours} h", weighted(replace(default, recency_decay_hours=hours)))
