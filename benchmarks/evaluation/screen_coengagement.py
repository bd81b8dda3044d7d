"""Screen CO-ENGAGEMENT ("people who engage with what you engage with engaged with this post")
on the evaluation protocol, before building it as a component.

Run on a database the reddit-college dump was imported into (docs/evaluation.md):

    export DATABASE_URL=sqlite:////tmp/coeng-eval.sqlite3
    .venv/bin/atelier migrate && .venv/bin/atelier import_community \
        ../shared/data/reddit-college-2021-q1q3.jsonl.gz
    nice -n 15 .venv/bin/atelier shell \
        -c "exec(open('benchmarks/evaluation/screen_coengagement.py').read())"

(`SCREEN_CACHE=/tmp/coeng-screen.npz` keeps the hydrated cases between runs; `SCREEN_BOOT`
sets the bootstrap resamples, default 1000.)

The signal, as of a moment T, from engagements (hearts, praise, trophies, comments that
are not deleted) strictly before T:

- the viewer's history H(v): the posts v engaged with in [T - N days, T);
- a neighbour u of v: another member who engaged with a post of H(v) in that window, with
  weight w(u) = the sum over the shared posts p of 1 (`count`), 1 / log2(1 + n(p))
  (`idf`, n(p): members who engaged with p in the window) or the shared count divided by
  sqrt(|H(u)| |H(v)|) (`cosine`); only the K heaviest neighbours are kept;
- a candidate's co-engagement: the sum of w(u) over the kept neighbours who engaged with it
  before T (`sum`), or how many of them did (`n`);
- points: cap x (1 - exp(-s / (scale x the viewer's largest s over their candidates)))
  with s the co-engagement (`rel`), the co-engagement per square root of the post's
  engagers (`lift`: who engaged, not how many) or per hour of the post's age plus 2
  (`rate`, like `hot`); or min(cap, scale x co-engagement) (`abs`); cap 50, added with a
  weight to the weighted sum of a base ranking.

Every variant goes through the live scorer's author diversity (`scorer.diversify`) and the
seen factor, like `atelier evaluate`'s rankers. Variants are picked on the TRAIN moments
(before 2021-07-01) only: the objective is the mean of train and train `new_only` NDCG@50
(the tuner's) on the first three quarters of the train days; the last quarter's is printed
as a check. Then the picks are
reported on the test moments, with paired bootstrap intervals (viewer-moments resampled)
against `default`, `rec+eng+coll` and `signals` (docs/ranking-signals.json).
Stage 1 tries every signal (K 20 or all) in three forms at weights 0.05 and 0.15; stage 2
the three best at more scales and weights 0.02 to 0.3; stage 3 the widest-reaching signals
at weights 0.005 to 0.02. About 20 minutes on this machine (a minute to hydrate the 25,309
viewer-moments, the rest scoring 288 variants); the output of the run docs/evaluation.md quotes is
benchmarks/evaluation/screen_coengagement.txt.
"""

import os
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import numpy as np

from atelier.feed.components import NAMES
from atelier.feed.config import default_ranking
from atelier.feed.evaluation.community import load_community
from atelier.feed.evaluation.metrics import bootstrap_means, interval, metrics_of
from atelier.feed.evaluation.protocol import DAY, WEEK, cases_at, moments
from atelier.feed.evaluation.rankers import ranking_from_file
from atelier.feed.scorer import diversify, score

TEST_FROM = datetime(2021, 7, 1, tzinfo=UTC)
VALIDATE_FROM = datetime(2021, 5, 17, tzinfo=UTC)  # the last quarter of the train days
WINDOWS = (14, 30, 60)  # N, days of history
WEIGHTINGS = ("count", "idf", "cosine")
TOPS = (20, 100, 0)  # K; 0: every neighbour
CACHE = os.environ.get("SCREEN_CACHE", "")
BOOT = int(os.environ.get("SCREEN_BOOT", "1000"))

default = default_ranking()
kept = ("recency", "engagement", "collective")
BASES = {
    "default": default,
    "rec+eng+coll": replace(default, **{f"weight_{n}": 0.0 for n in NAMES if n not in kept}),
    "signals": ranking_from_file("docs/ranking-signals.json"),
}


def signal_names() -> list[str]:
    return [
        f"N{n}-{w}-K{k}-{agg}"
        for n in WINDOWS
        for w in WEIGHTINGS
        for k in TOPS
        for agg in ("sum", "n")
        if not (agg == "n" and w != "count")  # `n` ignores the weighting
    ]


@dataclass
class Window:
    """The distinct (post, member) engagements of [T - N days, T), indexed both ways."""

    post: np.ndarray  # post index per pair
    member: np.ndarray  # dense member index per pair
    pop: np.ndarray  # engagers per post index (the window's)
    degree: np.ndarray  # posts per dense member
    by_member: np.ndarray  # pair indices sorted by member
    member_start: np.ndarray  # (members + 1,) offsets into by_member
    by_post: np.ndarray
    post_start: np.ndarray

    @classmethod
    def at(cls, cm, members: np.ndarray, at: float, days: int) -> "Window":
        since = at - days * DAY
        a0, a1 = np.searchsorted(cm.a_time, [since, at], side="left")
        c0, c1 = np.searchsorted(cm.c_time, [since, at], side="left")
        posts = np.r_[cm.a_post[a0:a1], cm.c_post[c0:c1]].astype(np.int64)
        users = np.searchsorted(members, np.r_[cm.a_user[a0:a1], cm.c_user[c0:c1]])
        key = np.unique(posts * 2**32 + users)
        post, member = key // 2**32, key % 2**32
        n_posts, n_members = len(cm), len(members)
        by_member = np.argsort(member, kind="stable")
        by_post = np.argsort(post, kind="stable")
        member_start = np.r_[0, np.cumsum(np.bincount(member, minlength=n_members))]
        post_start = np.r_[0, np.cumsum(np.bincount(post, minlength=n_posts))]
        return cls(
            post=post,
            member=member,
            pop=np.bincount(post, minlength=n_posts).astype(np.float64),
            degree=np.bincount(member, minlength=n_members).astype(np.float64),
            by_member=by_member,
            member_start=member_start,
            by_post=by_post,
            post_start=post_start,
        )

    def neighbours(self, m: int, weighting: str) -> np.ndarray:
        """w(u) for every dense member u (0 for non-neighbours and for m itself)."""
        weights = np.zeros(len(self.degree), dtype=np.float64)
        mine = self.post[self.by_member[self.member_start[m] : self.member_start[m + 1]]]
        if not len(mine):
            return weights
        starts, ends = self.post_start[mine], self.post_start[mine + 1]
        lengths = ends - starts
        idx = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(
            lengths.sum()
        )
        pairs = self.by_post[idx]
        if weighting == "idf":
            w = 1.0 / np.log2(1.0 + self.pop[self.post[pairs]])
        else:
            w = np.ones(len(pairs))
        weights += np.bincount(self.member[pairs], weights=w, minlength=len(weights))
        if weighting == "cosine":
            weights /= np.sqrt(np.maximum(self.degree, 1.0) * len(mine))
        weights[m] = 0.0
        return weights


def coengagement(win: Window, m: int, posts: np.ndarray, cand_pairs: np.ndarray) -> dict:
    """Every screened signal of one viewer (dense member m, or -1) over candidate `posts`."""
    out = {}
    local = np.searchsorted(posts, win.post[cand_pairs])
    ok = (local < len(posts)) & (posts[np.minimum(local, len(posts) - 1)] == win.post[cand_pairs])
    local, members = local[ok], win.member[cand_pairs[ok]]
    for weighting in WEIGHTINGS:
        w = win.neighbours(m, weighting) if m >= 0 else np.zeros(len(win.degree))
        for k in TOPS:
            nonzero = w[w > 0]
            if k and len(nonzero) > k:
                cut = np.partition(nonzero, len(nonzero) - k)[len(nonzero) - k]
                wk = np.where(w >= cut, w, 0.0)
            else:
                wk = w
            s = np.bincount(local, weights=wk[members], minlength=len(posts))
            out[(weighting, k, "sum")] = s
            if weighting == "count":
                out[(weighting, k, "n")] = np.bincount(
                    local, weights=(wk[members] > 0).astype(np.float64), minlength=len(posts)
                )
    return out


def build_cases():
    """Hydrate every viewer-moment once: the bases' weighted sums and the signals."""
    started = time.time()
    cm = load_community()
    members = np.unique(np.r_[cm.a_user, cm.c_user])
    rows = {
        k: []
        for k in ("post_id", "created_at", "author_id", "seen", "relevant", "prior", "pop", *BASES)
    }
    sig = {name: [] for name in signal_names()}
    cases = []  # (at, is_test, start, end)
    total = 0
    end = date.fromisoformat(os.environ.get("SCREEN_END", "2021-09-29"))
    for moment in moments(date(2021, 1, 8), end):
        at = moment.timestamp()
        found = cases_at(cm, at)
        if not found:
            continue
        wins = {n: Window.at(cm, members, at, n) for n in WINDOWS}
        fresh = {n: np.flatnonzero(cm.post_created[w.post] >= at - WEEK) for n, w in wins.items()}
        for case in found:
            c = cm.hydrate(case.viewer, case.posts, at)
            v = cm.viewer(case.viewer, at)
            rows["post_id"].append(c.post_id)
            rows["created_at"].append(c.created_at)
            rows["author_id"].append(c.author_id)
            rows["seen"].append(c.seen)
            rows["relevant"].append(case.relevant)
            rows["prior"].append(case.prior)
            # Members who engaged with the post before T (all of them: it is < 7 days old).
            rows["pop"].append(wins[WINDOWS[0]].pop[case.posts])
            for name, r in BASES.items():
                s = score(replace(c, seen=np.zeros(len(c), dtype=bool)), v, r, at)
                rows[name].append(s.base)
            j = np.searchsorted(members, case.viewer)
            m = int(j) if j < len(members) and members[j] == case.viewer else -1
            for n, win in wins.items():
                for (w, k, agg), s in coengagement(win, m, case.posts, fresh[n]).items():
                    sig[f"N{n}-{w}-K{k}-{agg}"].append(s.astype(np.float32))
            cases.append((at, moment >= TEST_FROM, moment >= VALIDATE_FROM, total, total + len(c)))
            total += len(c)
        if moment.day == 1:
            print(f"{moment:%Y-%m-%d} {len(cases)} cases", file=sys.stderr, flush=True)
    data = {k: np.concatenate(v) for k, v in rows.items()}
    data.update({k: np.concatenate(v) for k, v in sig.items()})
    data["cases"] = np.array(cases, dtype=np.float64)
    print(f"{len(cases)} viewer-moments in {time.time() - started:.0f} s", file=sys.stderr)
    return data


def engagers(data) -> np.ndarray:
    """Members who engaged with each candidate before T, per row (for a cache built
    before it was kept; cases_at gives the same cases in the same order)."""
    cm = load_community()
    members = np.unique(np.r_[cm.a_user, cm.c_user])
    parts = []
    for at in dict.fromkeys(data["cases"][:, 0].tolist()):
        win = Window.at(cm, members, at, WINDOWS[0])
        parts += [win.pop[case.posts] for case in cases_at(cm, at)]
    out = np.concatenate(parts)
    assert len(out) == len(data["post_id"])
    return out


if CACHE and os.path.exists(CACHE):
    D = dict(np.load(CACHE))
    if "pop" not in D:
        D["pop"] = engagers(D)
        np.savez(CACHE, **D)
else:
    D = build_cases()
    if CACHE:
        np.savez(CACHE, **D)
CASES = [(at, bool(t), bool(val), int(a), int(b)) for at, t, val, a, b in D["cases"]]
D["at"] = np.repeat(D["cases"][:, 0], np.diff(D["cases"][:, 3:5], axis=1)[:, 0].astype(int))


class _C:
    """What `diversify` reads of the candidates."""

    def __init__(self, post_id, created_at, author_id):
        self.post_id, self.created_at, self.author_id = post_id, created_at, author_id

    def __len__(self):
        return len(self.post_id)


def points(signal: str, form: str, scale: float, cap: float = 50.0) -> np.ndarray:
    """The component's points per row: `rel` saturating on the viewer-relative value, or
    `abs` min(cap, each x raw)."""
    s = D[signal].astype(np.float64)
    if form == "abs":
        return np.minimum(cap, scale * s)
    if form == "lift":  # per engager of the post: who, not how many
        s = s / np.sqrt(np.maximum(D["pop"], 1.0))
    elif form == "rate":  # per hour of the post's age, like `hot`
        s = s / ((D["at"] - D["created_at"]) / 3600.0 + 2.0)
    out = np.zeros_like(s)
    for _, _, _, a, b in CASES:
        top = s[a:b].max() if b > a else 0.0
        if top > 0:
            out[a:b] = cap * (1.0 - np.exp(-(s[a:b] / top) / scale))
    return out


def evaluate(
    base: str, extra: np.ndarray | None = None, weight: float = 0.0, only=None
) -> np.ndarray:
    """NDCG@50 per viewer-moment: (cases, 2) for all and new_only (NaN: none relevant, or
    not in `only`, a mask of the cases to score)."""
    r = BASES[base]
    total = D[base] if extra is None else D[base] + weight * extra
    total = np.where(D["seen"], total * r.seen_factor, total)
    out = np.full((len(CASES), 2), np.nan)
    for i, (_, _, _, a, b) in enumerate(CASES):
        if only is not None and not only[i]:
            continue
        c = _C(D["post_id"][a:b], D["created_at"][a:b], D["author_id"][a:b])
        rel, prior, s = D["relevant"][a:b], D["prior"][a:b], total[a:b]
        out[i, 0] = metrics_of(rel[diversify(c, s, r).order])[1]
        keep = ~prior
        if rel[keep].any():
            sub = _C(c.post_id[keep], c.created_at[keep], c.author_id[keep])
            out[i, 1] = metrics_of(rel[keep][diversify(sub, s[keep], r).order])[1]
    return out


IS_TEST = np.array([t for _, t, _, _, _ in CASES])
IS_VAL = np.array([v and not t for _, t, v, _, _ in CASES])
IS_FIT = ~IS_TEST & ~IS_VAL


def summary(x: np.ndarray) -> dict:
    def m(mask, col):
        v = x[mask, col]
        return float(np.nanmean(v)) if (~np.isnan(v)).any() else float("nan")

    return {
        "train": m(~IS_TEST, 0),
        "train_new": m(~IS_TEST, 1),
        "fit_obj": (m(IS_FIT, 0) + m(IS_FIT, 1)) / 2,
        "val_obj": (m(IS_VAL, 0) + m(IS_VAL, 1)) / 2,
        "test": m(IS_TEST, 0),
        "test_new": m(IS_TEST, 1),
    }


def line(name: str, s: dict) -> None:
    print(
        f"{name:<52} train {s['train']:.4f} train_new {s['train_new']:.4f} "
        f"fit {s['fit_obj']:.4f} val {s['val_obj']:.4f} | test {s['test']:.4f} "
        f"test_new {s['test_new']:.4f}",
        flush=True,
    )


def paired(x: np.ndarray, y: np.ndarray, mask: np.ndarray, col: int, seed: int) -> list[float]:
    keep = mask & ~np.isnan(x[:, col]) & ~np.isnan(y[:, col])
    values = np.c_[x[keep, col], y[keep, col]]
    means, res = bootstrap_means(values, boot=BOOT, seed=seed)
    return interval(means[0] - means[1], res[:, 0] - res[:, 1])


started = time.time()
results = {base: evaluate(base) for base in BASES}
for base, x in results.items():
    line(base, summary(x))

# Stage 1: the signals (K 20 or every neighbour), three forms, two weights, on top of
# `signals` (the best ranking so far), scored on the train moments only.
STAGE1 = [n for n in signal_names() if "-K100-" not in n]
screened = []
for signal in STAGE1:
    for form, scale in (("rel", 0.5), ("lift", 0.5), ("rate", 0.5)):
        extra = points(signal, form, scale)
        for weight in (0.05, 0.15):
            x = evaluate("signals", extra, weight, only=~IS_TEST)
            s = summary(x)
            screened.append((s["fit_obj"], signal, form, scale, weight, s))
            line(f"signals + {weight} x {signal} {form} {scale}", s)
screened.sort(key=lambda t: -t[0])
for fit, signal, form, scale, weight, _ in screened[:10]:
    print(f"  best: {fit:.4f} {weight} x {signal} {form} {scale}")
print(f"stage 1: {time.time() - started:.0f} s", file=sys.stderr)

# Stage 2: the three best signals (by the fit objective), forms and scales.
best_signals = []
for _, signal, *_ in screened:
    if signal not in best_signals:
        best_signals.append(signal)
    if len(best_signals) == 3:
        break
stage2 = []
for signal in best_signals:
    for form, scale in (
        ("rel", 0.25),
        ("rel", 1.0),
        ("lift", 0.25),
        ("lift", 1.0),
        ("rate", 0.25),
        ("rate", 1.0),
        ("abs", 2.0),
        ("abs", 10.0),
    ):
        extra = points(signal, form, scale)
        for weight in (0.02, 0.05, 0.1, 0.3):
            x = evaluate("signals", extra, weight, only=~IS_TEST)
            s = summary(x)
            stage2.append((s["fit_obj"], signal, form, scale, weight, s))
            line(f"signals + {weight} x {signal} {form} {scale}", s)
# Stage 3: the signals that reach the most posts (every neighbour, or the 20 heaviest by
# count or idf), at small weights: stage 1's smallest weight may already be too much.
stage3 = []
for signal in ("N14-count-K0-n", "N60-count-K0-n", "N14-idf-K20-sum", "N60-idf-K20-sum"):
    for form, scale in (("rel", 0.5), ("lift", 0.5), ("rate", 0.5), ("abs", 2.0)):
        extra = points(signal, form, scale)
        for weight in (0.005, 0.01, 0.02):
            x = evaluate("signals", extra, weight, only=~IS_TEST)
            s = summary(x)
            stage3.append((s["fit_obj"], signal, form, scale, weight, s))
            line(f"signals + {weight} x {signal} {form} {scale}", s)
candidates = sorted(screened + stage2 + stage3, key=lambda t: -t[0])
pick = candidates[0]
_, signal, form, scale, weight, s = pick
base_fit = summary(results["signals"])
print(
    f"\nPICK (best fit objective on Jan 8 - May 16): signals + {weight} x {signal} {form} {scale}"
    f" fit {s['fit_obj']:.4f} (signals {base_fit['fit_obj']:.4f}), validation "
    f"{s['val_obj']:.4f} (signals {base_fit['val_obj']:.4f})"
)
extra = points(signal, form, scale)
final = {
    "signals+coeng": evaluate("signals", extra, weight),
    "default+coeng": evaluate("default", extra, weight),
    "rec+eng+coll+coeng": evaluate("rec+eng+coll", extra, weight),
}
final.update(results)
print("\n| ranker | train | train new_only | test | test new_only |\n|---|---:|---:|---:|---:|")
for name, x in final.items():
    cells = []
    for mask, col, seed in ((~IS_TEST, 0, 1), (~IS_TEST, 1, 2), (IS_TEST, 0, 3), (IS_TEST, 1, 4)):
        keep = mask & ~np.isnan(x[:, col])
        means, res = bootstrap_means(x[keep, col][:, None], boot=BOOT, seed=seed)
        mean, lo, hi = interval(means[0], res[:, 0])
        cells.append(f"{mean:.3f} [{lo:.3f}, {hi:.3f}]")
    print(f"| {name} | " + " | ".join(cells) + " |")
print("\n| difference | train | train new_only | test | test new_only |\n|---|---:|---:|---:|---:|")
for new, old in (
    ("signals+coeng", "signals"),
    ("signals+coeng", "default"),
    ("signals+coeng", "rec+eng+coll"),
    ("default+coeng", "default"),
    ("rec+eng+coll+coeng", "rec+eng+coll"),
):
    cells = []
    for mask, col, seed in ((~IS_TEST, 0, 1), (~IS_TEST, 1, 2), (IS_TEST, 0, 3), (IS_TEST, 1, 4)):
        mean, lo, hi = paired(final[new], final[old], mask, col, seed)
        cells.append(f"{mean:+.3f} [{lo:+.3f}, {hi:+.3f}]")
    print(f"| {new} − {old} | " + " | ".join(cells) + " |")
print(f"\n{time.time() - started:.0f} s of scoring", file=sys.stderr)

# How many posts the signal reaches: new relevant posts and other new candidates with any
# co-engagement (every neighbour, K 0; or the pick's signal).
new = ~D["prior"]
for name in ("N14-count-K0-n", "N60-count-K0-n", signal):
    s_ = D[name]
    print(
        f"{name}: new relevant posts with co-engagement {np.mean(s_[D['relevant'] & new] > 0):.3f},"
        f" other new candidates {np.mean(s_[~D['relevant'] & new] > 0):.3f}"
    )
