"""Candidate sources: which posts get scored, each source bounded in the rows it reads.

- A `newest`: the newest `budget` posts of the viewer's feed (index on created_at);
- B `fellows`: the newest posts of the viewer's fellows;
- C `authors`: the newest posts of the authors the viewer appreciates most (up to
  TOP_AUTHORS) and of those they appreciated within the recent-boost window;
- D `collectives`: the newest posts of the viewer's collectives.

B, C and D read at most `per_member` posts of each fellow, author or collective (a backward
scan of the (author, created_at) or (collective, created_at) index, LIMIT per member, on
PostgreSQL), then keep the newest `side_budget`. A viewer with more than DENSE_FROM fellows
or collectives is served the other way round: the newest `scan_limit` posts of the feed,
kept if by a fellow (or in a collective) - for a celebrity-sized viewer most recent posts
qualify, and the work stays bounded by `scan_limit` rather than by their number of fellows.

Every source is one subquery whose text depends only on the mode, never on how many
fellows, authors or collectives the viewer has: those are read by subqueries keyed on the
viewer's id. What it can miss is bounded by `pipeline.score_bound`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection

from atelier.feed.config import Ranking
from atelier.feed.features import by_a_fellow

TOP_AUTHORS = 50
DENSE_FROM = 100  # fellows or collectives from which a source scans the newest posts instead
SCAN_FACTOR = 8  # a dense source reads at most SCAN_FACTOR x side_budget of the newest posts


@dataclass(frozen=True)
class Plan:
    """How this build reads its candidates (the bound needs to know what may be missing)."""

    budget: int
    side_budget: int
    per_member: int
    fellows_dense: bool
    collectives_dense: bool
    # Whether a per-member source that returned fewer rows than its limits proves it holds
    # every post of its members. Not on PostgreSQL, where each member's scan stops after
    # `per_member` rows of any visibility (hidden or blocked ones are dropped afterwards).
    members_exhaustive: bool

    @property
    def scan_limit(self) -> int:
        return SCAN_FACTOR * self.side_budget


def plan(r: Ranking, *, fellow_count: int, collective_count: int) -> Plan:
    side = max(1, r.candidate_budget // 4)
    return Plan(
        budget=r.candidate_budget,
        side_budget=side,
        per_member=max(1, min(side, 10)),
        fellows_dense=fellow_count > DENSE_FROM,
        collectives_dense=collective_count > DENSE_FROM,
        members_exhaustive=connection.vendor != "postgresql",
    )


def boost_since(r: Ranking, now: datetime) -> datetime:
    """Authors appreciated after this moment carry a recent boost."""
    return now - timedelta(days=r.recent_boost_days)


# Newest first, ties by id: the feed's order.
_NEWEST = "ORDER BY {t}.created_at DESC, {t}.id DESC"
# A per-member or dense scan orders by created_at alone: that is the order the (author,
# created_at), (collective, created_at) and created_at indexes give, so the scan stops after
# LIMIT rows instead of reading a member's every post to sort on (created_at, id).
_RAW = (
    "(SELECT id, author_id, collective_id, created_at, is_deleted FROM post_post "
    "WHERE {where} ORDER BY created_at DESC LIMIT {limit}) p"
)
# Blocks, mutes and hidden posts are left to the hydration, which reads every candidate
# through the whole feed filter `f`.
_CHEAPLY_VISIBLE = (
    "NOT p.is_deleted AND (p.collective_id IS NULL OR p.collective_id IN "
    "(SELECT collective_id FROM mine))"
)


def _fellow_ids() -> str:
    return (
        "SELECT CASE WHEN user_id = %(v)s THEN fellow_user_id ELSE user_id END "
        "FROM core_userfellow WHERE status = %(accepted)s "
        "AND (user_id = %(v)s OR fellow_user_id = %(v)s)"
    )


def _author_ids() -> str:
    """The authors the viewer appreciates most, and those appreciated since the boost."""
    mine = "SELECT author_id FROM feed_authoraffinity WHERE viewer_id = %(v)s AND total > 0"
    # Each side keeps its own ORDER BY ... LIMIT inside a subquery.
    return (
        f"SELECT * FROM ({mine} ORDER BY total DESC, author_id LIMIT {TOP_AUTHORS}) t UNION "
        f"SELECT * FROM ({mine} AND last_at > %(since)s ORDER BY last_at DESC, author_id "
        f"LIMIT {TOP_AUTHORS}) r"
    )


def _per_member(column: str, members: str, p: Plan) -> str:
    """The newest `side_budget` posts among the newest `per_member` of each member."""
    if connection.vendor == "postgresql":
        scan = _RAW.format(where=f"{column} = m.member", limit=p.per_member)
        return (
            f"SELECT x.id FROM ({members}) m(member) CROSS JOIN LATERAL ("
            f"SELECT p.id, p.created_at FROM {scan} WHERE {_CHEAPLY_VISIBLE}) x "
            f"{_NEWEST.format(t='x')} LIMIT {p.side_budget}"
        )
    # SQLite has no LATERAL; at the sizes it serves the newest of the whole set is fine.
    return (
        f"SELECT p.id FROM f p WHERE p.{column} IN ({members}) "
        f"{_NEWEST.format(t='p')} LIMIT {p.side_budget}"
    )


def _dense(member_test: str, p: Plan) -> str:
    """The newest `side_budget` posts passing `member_test` among the newest `scan_limit`."""
    scan = _RAW.format(where="TRUE", limit=p.scan_limit)
    return (
        f"SELECT p.id FROM {scan} WHERE {member_test} AND {_CHEAPLY_VISIBLE} "
        f"{_NEWEST.format(t='p')} LIMIT {p.side_budget}"
    )


def candidates_sql(p: Plan) -> str:
    """The union of the sources: one SELECT of post ids over the common table expressions
    `f` (the viewer's feed) and `mine` (their collectives), with named parameters `v`
    (the viewer), `since` (the boost moment) and `accepted`."""
    parts = [
        f"SELECT p.id FROM f p {_NEWEST.format(t='p')} LIMIT {p.budget}",
        _dense(by_a_fellow("p.author_id"), p)
        if p.fellows_dense
        else _per_member("author_id", _fellow_ids(), p),
        _per_member("author_id", _author_ids(), p),
        _dense("p.collective_id IN (SELECT collective_id FROM mine)", p)
        if p.collectives_dense
        else _per_member("collective_id", "SELECT collective_id FROM mine", p),
    ]
    # Each part is wrapped so that its ORDER BY ... LIMIT stays its own inside the UNION.
    return " UNION ".join(f"SELECT * FROM ({part}) s{i}" for i, part in enumerate(parts))
