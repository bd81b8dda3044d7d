"""The replay protocol: moments, viewers, candidates and the posts that count as relevant.

At each moment T (12:00 UTC of every day from start to end):

- viewers: the users who hearted, praised, gave a trophy to or commented on a post
  created in [T - 7 days, T), during [T, T + 24 h);
- candidates: every post created in [T - 7 days, T), not deleted, that the viewer may see:
  a post in no collective or in a public collective may be seen by anyone, a post in a
  private collective by its members as of T (blocks, mutes and hidden posts are not
  replayed: a dump does not say when they were made);
- relevant: the candidates the viewer engaged with (hearts, praise, trophies, comments
  that are not deleted) in [T, T + 24 h), except their own posts; a viewer-moment with no
  relevant post is left out and counted apart;
- new_only: the candidates the viewer had engaged with before T are dropped from the
  candidates and from the relevant posts (and viewer-moments left with no relevant post are
  left out too, counted apart).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from atelier.feed.evaluation.community import Community

DAY = 86400.0
WEEK = 7 * DAY


def moments(start: date, end: date) -> list[datetime]:
    """12:00 UTC of every day from `start` to `end`, both included."""
    days = (end - start).days
    return [datetime.combine(start + timedelta(d), time(12), UTC) for d in range(days + 1)]


@dataclass
class Case:
    """One viewer at one moment: candidate post indices and what is known about them."""

    at: float  # T, epoch seconds
    viewer: int
    posts: np.ndarray  # candidate post indices, ascending
    relevant: np.ndarray  # bool per candidate
    prior: np.ndarray  # bool per candidate: engaged with before T

    @property
    def new_relevant(self) -> np.ndarray:
        return self.relevant & ~self.prior


@dataclass
class Counts:
    moments: int = 0
    viewers: int = 0  # viewer-moments before anything is left out
    viewer_moments: int = 0
    left_out_no_relevant: int = 0
    new_only_viewer_moments: int = 0
    new_only_left_out: int = 0
    candidates: int = 0  # summed over the kept viewer-moments
    relevant: int = 0
    per_moment: list = field(default_factory=list)

    def as_dict(self) -> dict:
        kept = max(self.viewer_moments, 1)
        return {
            "moments": self.moments,
            "viewer_moments": self.viewer_moments,
            "viewers_seen": self.viewers,
            "left_out_no_relevant": self.left_out_no_relevant,
            "new_only_viewer_moments": self.new_only_viewer_moments,
            "new_only_left_out": self.new_only_left_out,
            "mean_candidates": round(self.candidates / kept, 2),
            "mean_relevant": round(self.relevant / kept, 3),
        }


def cases_at(community: Community, at: float, counts: Counts | None = None) -> list[Case]:
    """Every kept viewer-moment at `at` (epoch seconds of T), viewers in id order."""
    cm = community
    created = cm.post_created
    in_window = (created >= at - WEEK) & (created < at)
    candidates = np.flatnonzero(in_window & ~cm.post_deleted)
    public = cm.post_public[candidates]
    a0, a1 = np.searchsorted(cm.a_time, [at, at + DAY], side="left")
    c0, c1 = np.searchsorted(cm.c_time, [at, at + DAY], side="left")
    users = np.r_[cm.a_user[a0:a1], cm.c_user[c0:c1]]
    posts = np.r_[cm.a_post[a0:a1], cm.c_post[c0:c1]]
    on_window = in_window[posts]
    users, posts = users[on_window], posts[on_window]
    by_user = np.lexsort((posts, users))
    users, posts = users[by_user], posts[by_user]
    viewers, starts = np.unique(users, return_index=True)
    ends = np.r_[starts[1:], len(users)] if len(starts) else starts
    cases = []
    for viewer, lo, hi in zip(viewers.tolist(), starts, ends, strict=True):
        visible = public | np.isin(cm.post_collective[candidates], cm.collectives(viewer, at))
        mine = candidates[visible]
        relevant = np.isin(mine, posts[lo:hi]) & (cm.post_author[mine] != viewer)
        if counts is not None:
            counts.viewers += 1
        if not relevant.any():
            if counts is not None:
                counts.left_out_no_relevant += 1
            continue
        prior = np.isin(mine, cm.engaged_before(viewer, at))
        case = Case(at=at, viewer=viewer, posts=mine, relevant=relevant, prior=prior)
        if counts is not None:
            counts.viewer_moments += 1
            counts.candidates += len(mine)
            counts.relevant += int(relevant.sum())
            if case.new_relevant.any():
                counts.new_only_viewer_moments += 1
            else:
                counts.new_only_left_out += 1
        cases.append(case)
    return cases
