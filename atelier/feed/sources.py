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
from django.db.models import Case, F, QuerySet, When
from django.db.models.expressions import RawSQL

from atelier.core.models import UserFellow
from atelier.feed.config import Ranking
from atelier.feed.features import fellows_of, memberships_of, pair_sql
from atelier.feed.models import AuthorAffinity
from atelier.post.models import Post

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


def _sql(qs: QuerySet) -> tuple[str, list]:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def fellow_ids_sql(viewer_id: int) -> tuple[str, list]:
    other = Case(When(user_id=viewer_id, then=F("fellow_user_id")), default=F("user_id"))
    return _sql(fellows_of(viewer_id).order_by().annotate(member=other).values("member"))


def collective_ids_sql(viewer_id: int) -> tuple[str, list]:
    return _sql(memberships_of(viewer_id).order_by().values("collective_id"))


def boost_since(r: Ranking, now: datetime) -> datetime:
    """Authors appreciated after this moment carry a recent boost."""
    return now - timedelta(days=r.recent_boost_days)


def author_ids_sql(viewer_id: int, since: datetime) -> tuple[str, list]:
    mine = AuthorAffinity.objects.filter(viewer_id=viewer_id, total__gt=0)
    top = mine.order_by("-total", "author_id").values("author_id")[:TOP_AUTHORS]
    recent = (mine.filter(last_at__gt=since).order_by("-last_at", "author_id").values("author_id"))[
        :TOP_AUTHORS
    ]
    top_sql, top_params = _sql(top)
    recent_sql, recent_params = _sql(recent)
    # Each side keeps its own ORDER BY ... LIMIT inside parentheses.
    sql = f"SELECT * FROM ({top_sql}) t UNION SELECT * FROM ({recent_sql}) r"
    return sql, top_params + recent_params


_NEWEST = "ORDER BY {t}.created_at DESC, {t}.id DESC"
# Inside a per-member or dense scan, newest by created_at alone: that order is what the
# (author, created_at), (collective, created_at) and created_at indexes give, so the scan
# stops after LIMIT rows instead of reading a member's every post to sort on (created_at, id).
_SCAN = "ORDER BY {t}.created_at DESC"
_POSTS = connection.ops.quote_name(Post._meta.db_table)


def _newest(limit: int) -> tuple[str, list]:
    return f"SELECT p.id FROM f p {_NEWEST.format(t='p')} LIMIT %s", [limit]


def _raw_newest(where: str, limit_param: str = "%s") -> str:
    """The newest rows of the post table matching `where`, with what a cheap visibility
    check needs: a plain index scan that stops after LIMIT rows, whatever the planner
    believes of the feed's filters (they are applied to these few rows only)."""
    return (
        f"(SELECT id, author_id, collective_id, created_at, is_deleted FROM {_POSTS} "
        f"WHERE {where} {_SCAN.format(t=_POSTS)} LIMIT {limit_param}) p"
    )


def _cheaply_visible(collectives: tuple[str, list]) -> tuple[str, list]:
    """Not deleted, public or in one of the viewer's collectives. Blocks, mutes and hidden
    posts are left to the hydration query, which applies the whole feed filter."""
    member_sql, member_params = collectives
    sql = f"NOT p.is_deleted AND (p.collective_id IS NULL OR p.collective_id IN ({member_sql}))"
    return sql, member_params


def _per_member(
    column: str, members: tuple[str, list], visible: tuple[str, list], per: int, limit: int
) -> tuple[str, list]:
    """The newest `limit` posts among the newest `per` of each member (PostgreSQL: LATERAL)."""
    member_sql, member_params = members
    if connection.vendor == "postgresql":
        visible_sql, visible_params = visible
        sql = (
            f"SELECT x.id FROM ({member_sql}) m(member) CROSS JOIN LATERAL ("
            f"SELECT p.id, p.created_at FROM {_raw_newest(f'{column} = m.member')} "
            f"WHERE {visible_sql}) x {_NEWEST.format(t='x')} LIMIT %s"
        )
        return sql, [*member_params, per, *visible_params, limit]
    # SQLite has no LATERAL; at the sizes it serves the plain newest-of-the-set is fine.
    sql = (
        f"SELECT p.id FROM f p WHERE p.{column} IN ({member_sql}) {_NEWEST.format(t='p')} LIMIT %s"
    )
    return sql, [*member_params, limit]


def _dense(
    member_test: tuple[str, list], visible: tuple[str, list], scan: int, limit: int
) -> tuple[str, list]:
    """The newest `limit` posts passing `member_test` among the newest `scan` posts."""
    test_sql, test_params = member_test
    visible_sql, visible_params = visible
    sql = (
        f"SELECT p.id FROM {_raw_newest('TRUE')} WHERE {test_sql} "
        f"AND {visible_sql} {_NEWEST.format(t='p')} LIMIT %s"
    )
    return sql, [scan, *test_params, *visible_params, limit]


def _by_a_fellow(viewer_id: int) -> tuple[str, list]:
    """Is p's author a fellow of the viewer: one probe of the pair index per row, so a
    celebrity's thousands of fellows are never read, let alone hashed."""
    fellows = connection.ops.quote_name(UserFellow._meta.db_table)
    # OFFSET 0 keeps the subquery a per-row probe: without it PostgreSQL may turn EXISTS
    # into a hash semi-join that reads every fellow row of the site.
    sql = (
        f"EXISTS (SELECT 1 FROM {fellows} uf WHERE uf.status = %s AND "
        f"{pair_sql('uf', '%s', 'p.author_id')} OFFSET 0)"
    )
    return sql, [UserFellow.Status.ACCEPTED.value, viewer_id, viewer_id]


def _in(column: str, members: tuple[str, list]) -> tuple[str, list]:
    return f"p.{column} IN ({members[0]})", list(members[1])


def candidate_ids(feed: QuerySet, p: Plan, viewer_id: int, since: datetime) -> RawSQL:
    """The union of the sources as one subquery of post ids, for `id__in=`.

    The feed (`f`) is written once, as a common table expression that is not materialized:
    each source's scan is planned against the post table and its indexes.
    """
    feed_sql, feed_params = _sql(
        feed.order_by().values("id", "author_id", "collective_id", "created_at")
    )
    fellows, collectives = fellow_ids_sql(viewer_id), collective_ids_sql(viewer_id)
    authors = author_ids_sql(viewer_id, since)
    visible = _cheaply_visible(collectives)
    side, per, scan = p.side_budget, p.per_member, p.scan_limit
    parts = [
        _newest(p.budget),
        _dense(_by_a_fellow(viewer_id), visible, scan, side)
        if p.fellows_dense
        else _per_member("author_id", fellows, visible, per, side),
        _per_member("author_id", authors, visible, per, side),
        _dense(_in("collective_id", collectives), visible, scan, side)
        if p.collectives_dense
        else _per_member("collective_id", collectives, visible, per, side),
    ]
    # Each part is wrapped so that its ORDER BY ... LIMIT stays its own inside the UNION.
    union = " UNION ".join(f"SELECT * FROM ({s}) s{i}" for i, (s, _) in enumerate(parts))
    sql = f"WITH f AS NOT MATERIALIZED ({feed_sql}) {union}"
    return RawSQL(sql, [*feed_params, *(v for _, ps in parts for v in ps)])
