"""Feature hydration: what the scorer needs about the viewer and each candidate, as arrays.

`hydrate` reads the features of a given set of posts in one query, either live (the
maintained counters and affinity tables) or `as_of` a past moment (the same features
recomputed from the rows timestamped before it: slower, for replays and evaluation). The
query's text does not depend on how many fellows, authors or collectives the viewer has:
their relations are joined for the candidates only.
"""

import re
from dataclasses import dataclass, fields
from datetime import datetime

import numpy as np
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, Least

from atelier.collective.models import CollectiveMember
from atelier.core.models import UserFellow, UserPreference
from atelier.feed.models import TypeAffinity
from atelier.post.models import Appreciation, Comment, Post, SeenPost


@dataclass(frozen=True)
class Viewer:
    """The viewer's own inputs (none per candidate): preferences and per-type appreciation."""

    user_id: int
    preferred_post_types: frozenset[str] = frozenset()
    preferred_artist_types: frozenset[str] = frozenset()
    type_appreciations: tuple[tuple[str, int], ...] = ()  # (post type, n), as a dict's items


@dataclass
class Candidates:
    """Hydrated candidates: row i of every array describes the same post."""

    post_id: np.ndarray  # int64
    author_id: np.ndarray  # int64
    collective_id: np.ndarray  # int64; 0 for a public post
    created_at: np.ndarray  # float64, epoch seconds
    post_type: np.ndarray  # str
    artist_type: np.ndarray  # str: the author's
    hearts: np.ndarray  # float64: the post's counters
    praise: np.ndarray
    trophies: np.ndarray
    comments: np.ndarray
    is_fellow: np.ndarray  # bool: the author is the viewer's fellow
    in_collective: np.ndarray  # bool: posted in a collective the viewer belongs to
    author_appreciations: np.ndarray  # float64: hearts+praise+trophies the viewer gave the author
    author_last: np.ndarray  # float64 epoch seconds of the latest of those; NaN: never
    seen: np.ndarray  # bool
    # How many of the viewer's fellows appreciated or commented on the post.
    fellows_engaged: np.ndarray  # float64
    author_comments: np.ndarray  # float64: comments the viewer wrote on the author's posts

    def __len__(self) -> int:
        return len(self.post_id)

    def take(self, index) -> "Candidates":
        return Candidates(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> "Candidates":
        """Build from rows in COLUMNS order (what `hydrate` selects); columns after those
        are left out (the ranking statement adds the feed's count)."""
        cols = list(zip(*rows, strict=True)) if rows else [()] * len(COLUMNS)
        get = dict(zip(COLUMNS, cols[: len(COLUMNS)], strict=True))

        def ints(name):
            return np.array([v or 0 for v in get[name]], dtype=np.int64)

        def floats(name):
            return np.array(get[name], dtype=np.float64)

        def times(name):  # epoch seconds from the database (see Epoch); NULL: NaN
            return np.array([np.nan if v is None else v for v in get[name]], dtype=np.float64)

        def bools(name):
            return np.array(get[name], dtype=bool)

        def strs(name):
            return np.array(get[name], dtype=object)

        return cls(
            post_id=ints("id"),
            author_id=ints("author_id"),
            collective_id=ints("collective_id"),
            created_at=times("created"),
            post_type=strs("post_type"),
            artist_type=strs("artist"),
            hearts=floats("hearts"),
            praise=floats("praise"),
            trophies=floats("trophies"),
            comments=floats("comments"),
            is_fellow=bools("is_fellow"),
            in_collective=bools("in_collective"),
            author_appreciations=floats("aff_total"),
            author_last=times("aff_last"),
            seen=bools("seen"),
            fellows_engaged=floats("fellows_engaged"),
            author_comments=floats("aff_comments"),
        )


def epoch_sql(expr: str, vendor: str | None = None) -> str:
    """SQL: the timestamp `expr` as float seconds since the epoch, to the microsecond."""
    if (vendor or connection.vendor) == "postgresql":
        return f"EXTRACT(EPOCH FROM {expr})::double precision"
    # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" on SQLite: whole seconds from
    # strftime('%s'), the fraction from the text itself (julianday() keeps only milliseconds).
    return (
        f"(CAST(strftime('%%s', substr({expr}, 1, 19)) AS REAL) + CAST(substr({expr}, 20) AS REAL))"
    )


class Epoch(Func):
    """A timestamp as float seconds since the epoch, computed by the database: thousands of
    floats cost the driver nothing, datetimes cost it parsing."""

    output_field = FloatField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        uses = 1 if connection.vendor == "postgresql" else 2  # SQLite reads it twice
        return epoch_sql(sql, connection.vendor), tuple(params) * uses


COLUMNS = (
    "id",
    "author_id",
    "collective_id",
    "created",
    "post_type",
    "artist",
    "hearts",
    "praise",
    "trophies",
    "comments",
    "is_fellow",
    "in_collective",
    "aff_total",
    "aff_last",
    "seen",
    "fellows_engaged",
    "aff_comments",
)


def fellows_of(viewer_id: int, as_of: datetime | None = None):
    """The viewer's accepted fellow relations (either direction), as a queryset."""
    rows = UserFellow.objects.filter(
        Q(user_id=viewer_id) | Q(fellow_user_id=viewer_id), status=UserFellow.Status.ACCEPTED
    )
    return rows if as_of is None else rows.filter(created_at__lt=as_of)


def memberships_of(viewer_id: int, as_of: datetime | None = None):
    rows = CollectiveMember.objects.filter(user_id=viewer_id)
    return rows if as_of is None else rows.filter(joined_at__lt=as_of)


def pair_sql(alias: str, one: str, other: str) -> str:
    """SQL: the fellow row `alias` joins members `one` and `other` (in either direction).

    Written against the pair's unique index on (least, greatest) of the two ids: one index
    probe, where an OR of both directions costs two.
    """
    lo, hi = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    return (
        f"{lo}({alias}.user_id, {alias}.fellow_user_id) = {lo}({one}, {other}) AND "
        f"{hi}({alias}.user_id, {alias}.fellow_user_id) = {hi}({one}, {other})"
    )


def by_a_fellow(author: str) -> str:
    """SQL: is `author` a fellow of the viewer (named parameters `v`, `accepted`)? One
    probe of the pair index, so a celebrity's thousands of fellows are never read."""
    # OFFSET 0 keeps the subquery a per-row probe: without it PostgreSQL may turn EXISTS
    # into a hash semi-join that reads every fellow row of the site.
    probe = " OFFSET 0" if connection.vendor == "postgresql" else ""
    return (
        "EXISTS (SELECT 1 FROM core_userfellow uf WHERE uf.status = %(accepted)s AND "
        f"{pair_sql('uf', '%(v)s', author)}{probe})"
    )


def live_features_sql(*, social_proof: bool, artist: bool, extra: str = "") -> str:
    """SQL: the live features of the candidates `c` in COLUMNS order, what `hydrate` reads
    with the ORM (a test holds the two equal), written for the ranking statement.

    Candidates are read through the feed `f`, so each passes the whole feed filter once;
    `mine` holds the viewer's collectives. `artist=False` leaves the author's artist type
    out (NULL) for a viewer who prefers none, `social_proof=False` the fellows' engagement (0).
    `extra` columns follow COLUMNS.
    """
    ids = (
        "= ANY(ARRAY(SELECT id FROM c))"
        if connection.vendor == "postgresql"
        else "IN (SELECT id FROM c)"
    )
    columns = [
        "p.id, p.author_id, p.collective_id",
        epoch_sql("p.created_at"),
        "p.post_type",
        "u.artist_type" if artist else "NULL",
        "p.hearts_count, p.praise_count, p.trophy_count, p.comment_count",
        by_a_fellow("p.author_id"),
        "EXISTS (SELECT 1 FROM mine m WHERE m.collective_id = p.collective_id)",
        "COALESCE(a.total, 0)",
        epoch_sql("a.last_at"),
        "EXISTS (SELECT 1 FROM post_seenpost s WHERE s.user_id = %(v)s AND s.post_id = p.id)",
        fellows_engaged_sql("p.id", as_of=False) if social_proof else "0",
        "COALESCE(a.comments, 0)",
        *([extra] if extra else []),
    ]
    author = "JOIN core_user u ON u.id = p.author_id " if artist else ""
    return (
        f"SELECT {', '.join(columns)} FROM f p {author}"
        "LEFT JOIN feed_authoraffinity a ON a.viewer_id = %(v)s AND a.author_id = p.author_id "
        f"WHERE p.id {ids}"
    )


def _is_fellow(viewer_id: int, as_of: datetime | None):
    pairs = (
        UserFellow.objects.annotate(
            low=Least("user_id", "fellow_user_id"), high=Greatest("user_id", "fellow_user_id")
        )
        .filter(
            low=Least(Value(viewer_id), OuterRef("author_id")),
            high=Greatest(Value(viewer_id), OuterRef("author_id")),
            status=UserFellow.Status.ACCEPTED,
        )
        .values("pk")
    )
    if as_of is not None:
        pairs = pairs.filter(created_at__lt=as_of)
    return Exists(pairs)


def fellows_engaged_sql(post: str, *, as_of: bool) -> str:
    """SQL: how many distinct fellows of the viewer appreciated or commented on `post`
    (an id expression), with named parameters `v`, `accepted` and, as of a moment, `at`.

    Each engaging member is checked with two probes of the fellow-pair index: the cost
    follows the candidates' engagement, never the viewer's number of fellows.
    """
    before = " AND {t}.created_at < %(at)s" if as_of else ""
    return (
        f"(SELECT COUNT(DISTINCT e.u) FROM ("
        f"SELECT a.user_id AS u FROM post_appreciation a WHERE a.post_id = {post}"
        f"{before.format(t='a')} UNION ALL SELECT c.author_id FROM post_comment c "
        f"WHERE c.post_id = {post} AND NOT c.is_deleted{before.format(t='c')}) e "
        f"WHERE EXISTS (SELECT 1 FROM core_userfellow uf WHERE uf.status = %(accepted)s"
        f"{before.format(t='uf')} AND {pair_sql('uf', '%(v)s', 'e.u')}))"
    )


def named(sql: str, values: dict) -> tuple[str, list]:
    """Turn `%(name)s` placeholders into positional ones (every backend takes those)."""
    params = []

    def take(match):
        params.append(values[match.group(1)])
        return "%s"

    return re.sub(r"%\((\w+)\)s", take, sql), params


def _fellows_engaged(viewer_id: int, as_of: datetime | None) -> RawSQL:
    q = connection.ops.quote_name
    sql, params = named(
        fellows_engaged_sql(f"{q(Post._meta.db_table)}.id", as_of=as_of is not None),
        {
            "v": viewer_id,
            "accepted": UserFellow.Status.ACCEPTED.value,
            # Adapted as Django stores it: SQLite compares datetimes as text, and the
            # driver's own "+00:00" form would sort after a value stored at that very second.
            "at": connection.ops.adapt_datetimefield_value(as_of) if as_of else None,
        },
    )
    return RawSQL(sql, params, output_field=IntegerField())


def count_rows(qs) -> Coalesce:
    return Coalesce(
        Subquery(qs.order_by().values(g=Value(1)).annotate(n=Count("*")).values("n")),
        0,
        output_field=IntegerField(),
    )


def hydrate(
    viewer_id: int, posts, *, as_of: datetime | None = None, social_proof: bool = True
) -> Candidates:
    """Features of `posts` (a Post queryset, or ids) for the viewer: live, or as of a moment."""
    rows = hydration_queryset(viewer_id, posts, as_of=as_of, social_proof=social_proof)
    return Candidates.from_rows(list(rows))


def hydration_queryset(
    viewer_id: int, posts, *, as_of: datetime | None = None, social_proof: bool = True
):
    """The one query behind `hydrate`: rows in COLUMNS order.

    `social_proof=False` leaves `fellows_engaged` at 0 without reading anything: the feed
    asks for it only when the configuration gives that component a weight.
    """
    qs = posts if hasattr(posts, "query") else Post.objects.filter(id__in=list(posts))
    in_collective = Exists(
        memberships_of(viewer_id, as_of).filter(collective_id=OuterRef("collective_id"))
    )
    seen = SeenPost.objects.filter(user_id=viewer_id, post_id=OuterRef("pk"))
    if as_of is None:
        qs = qs.annotate(
            aff=FilteredRelation(
                "author__affinity_received",
                condition=Q(author__affinity_received__viewer_id=viewer_id),
            ),
            hearts=F("hearts_count"),
            praise=F("praise_count"),
            trophies=F("trophy_count"),
            comments=F("comment_count"),
            aff_total=Coalesce(F("aff__total"), 0),
            aff_last=Epoch("aff__last_at"),
            aff_comments=Coalesce(F("aff__comments"), 0),
        )
    else:
        before = Q(created_at__lt=as_of)
        on_post = Appreciation.objects.filter(before, post_id=OuterRef("pk"))
        # Only what was given to posts that existed then (a replayed history is consistent;
        # this keeps generated ones so too).
        given = Appreciation.objects.filter(
            before,
            user_id=viewer_id,
            post_author_id=OuterRef("author_id"),
            post__created_at__lt=as_of,
        ).order_by()
        seen = seen.filter(seen_at__lt=as_of)
        qs = qs.annotate(
            hearts=count_rows(on_post.filter(kind="heart")),
            praise=count_rows(on_post.filter(kind="praise")),
            trophies=count_rows(on_post.filter(kind="trophy")),
            comments=count_rows(
                Comment.objects.filter(before, post_id=OuterRef("pk"), is_deleted=False)
            ),
            aff_total=count_rows(given),
            aff_comments=count_rows(
                Comment.objects.filter(
                    before,
                    author_id=viewer_id,
                    post__author_id=OuterRef("author_id"),
                    post__created_at__lt=as_of,
                    is_deleted=False,
                )
            ),
            aff_last=Epoch(
                Subquery(given.values(g=Value(1)).annotate(at=Max("created_at")).values("at"))
            ),
        )
    qs = qs.annotate(
        created=Epoch("created_at"),
        artist=F("author__artist_type"),
        is_fellow=_is_fellow(viewer_id, as_of),
        in_collective=in_collective,
        seen=Exists(seen),
        fellows_engaged=_fellows_engaged(viewer_id, as_of)
        if social_proof
        else Value(0, output_field=IntegerField()),
    )
    return qs.order_by().values_list(*COLUMNS)


def viewer_profile(
    viewer_id: int, *, as_of: datetime | None = None, preferences: tuple | None = None
) -> Viewer:
    """The viewer's preferences (given, or read) and appreciations per post type."""
    if as_of is None:
        types = TypeAffinity.objects.filter(viewer_id=viewer_id, total__gt=0).values_list(
            "post_type", "total"
        )
    else:
        types = (
            Appreciation.objects.filter(
                user_id=viewer_id, created_at__lt=as_of, post__created_at__lt=as_of
            )
            .order_by()
            .values_list("post_type")
            .annotate(n=Count("id"))
        )
    if preferences is None:
        preferences = read_preferences(viewer_id)
    post_types, artist_types = preferences
    return Viewer(
        user_id=viewer_id,
        preferred_post_types=frozenset(post_types),
        preferred_artist_types=frozenset(artist_types),
        type_appreciations=tuple(sorted(types)),
    )


def read_preferences(viewer_id: int) -> tuple[list[str], list[str]]:
    row = (
        UserPreference.objects.filter(user_id=viewer_id)
        .values_list("preferred_post_types", "preferred_artist_types")
        .first()
    )
    return (list(row[0]), list(row[1])) if row else ([], [])


def relation_counts(viewer_id: int) -> tuple[int, int]:
    """How many fellows and collectives the viewer has (one query): the sources' plan."""
    from atelier.core.models import User

    return (
        User.objects.filter(id=viewer_id)
        .values_list(count_rows(fellows_of(viewer_id)), count_rows(memberships_of(viewer_id)))
        .get()
    )
