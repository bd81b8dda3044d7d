"""Feed reads: the feed's base queryset, the ranked snapshot and the page served from it."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from atelier.feed import candidates
from atelier.feed.config import Ranking
from atelier.feed.inputs import FeedInputs
from atelier.feed.scoring import COMPONENTS, Scored, annotate_scores, apply_diversity
from atelier.post.models import HiddenPost, Post, SeenPost

EXACT_COUNT_LIMIT = 10_000


def feed_queryset(
    inputs: FeedInputs | None, *, unseen: bool = False, as_of: datetime | None = None
) -> QuerySet[Post]:
    """The posts a feed may show: visible, not hidden, not in a muted collective.

    `inputs` None means an anonymous visitor: public posts only. `as_of` (a snapshot's build
    time) keeps the posts deleted, hidden or seen after that moment: offsets into a
    snapshot's newest-first tail then stay where they were while the user pages through it
    (posts_by_id drops those posts when a page is read).
    """
    if as_of is None:
        qs = Post.objects.filter(is_deleted=False)
    else:
        qs = Post.objects.filter(Q(is_deleted=False) | Q(deleted_at__gt=as_of))
    if inputs is None:
        return qs.filter(collective__isnull=True)
    qs = qs.filter(
        Q(collective__isnull=True) | Q(collective_id__in_ids=sorted(inputs.collective_ids))
    )
    if inputs.muted_collective_ids:
        qs = qs.exclude(collective_id__in_ids=sorted(inputs.muted_collective_ids))
    if inputs.blocked_ids:
        qs = qs.exclude(author_id__in_ids=sorted(inputs.blocked_ids))
    hidden = HiddenPost.objects.filter(user_id=inputs.user_id, post_id=OuterRef("pk"))
    if as_of is not None:
        hidden = hidden.filter(created_at__lte=as_of)
    qs = qs.exclude(Exists(hidden))
    if unseen:
        seen = SeenPost.objects.filter(user_id=inputs.user_id, post_id=OuterRef("pk"))
        if as_of is not None:
            seen = seen.filter(seen_at__lte=as_of)
        qs = qs.exclude(Exists(seen))
    return qs


def count_feed(qs: QuerySet[Post]) -> tuple[int, bool]:
    """Return (count, exact): exact up to EXACT_COUNT_LIMIT, a planner estimate beyond."""
    capped = qs.order_by().values("id")[: EXACT_COUNT_LIMIT + 1].count()
    if capped <= EXACT_COUNT_LIMIT:
        return capped, True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [Post._meta.db_table],
            )
            row = cursor.fetchone()
        return max(EXACT_COUNT_LIMIT + 1, int(row[0] or 0)), False
    return qs.order_by().count(), True


@dataclass
class Snapshot:
    """A ranked feed: the candidates in final order, and where the newest-first tail starts."""

    ranked: list[Scored]
    count: int
    count_exact: bool
    # (created_at, id) of the oldest post of source A; None when the whole feed was ranked.
    tail_after: tuple[datetime, int] | None
    # Candidates at or past tail_after, which the tail must skip.
    tail_skip: list[int] = field(default_factory=list)
    score_bound: float | None = None
    exact_top: int = 0
    # With a tail: the inputs and the moment it was built, which fix the tail's offsets.
    inputs: FeedInputs | None = None
    built_at: datetime | None = None
    # The configuration it was ranked under (reasons of its pages are explained with it).
    ranking: Ranking | None = None


def build_snapshot(
    r: Ranking, inputs: FeedInputs, now: datetime, *, unseen: bool = False
) -> Snapshot:
    """Rank the candidate set in SQL, apply author diversity, and measure what is exact."""
    feed = feed_queryset(inputs, unseen=unseen)
    p = candidates.plan(r, inputs, now)
    scored_qs = annotate_scores(candidates.candidate_queryset(feed, p, inputs), r, inputs, now)
    rows = scored_qs.values(
        "id",
        "author_id",
        "collective_id",
        "created_at",
        "base_score",
        "seen",
        *[f"c_{name}" for name in COMPONENTS],
    )
    fellow_rows = author_rows = collective_rows = 0
    items: list[Scored] = []
    for row in rows:
        fellow_rows += row["author_id"] in inputs.fellow_ids
        author_rows += row["author_id"] in p.interaction_authors
        collective_rows += row["collective_id"] in inputs.collective_ids
        items.append(
            Scored(
                id=row["id"],
                author_id=row["author_id"],
                created_at=row["created_at"],
                base_score=row["base_score"],
                seen=row["seen"],
                points={name: row[f"c_{name}"] for name in COMPONENTS},
            )
        )
    ranked = apply_diversity(items, r)
    if len(items) < p.budget:
        # Source A held the whole feed: everything is ranked, nothing is left out.
        return Snapshot(ranked, len(items), True, None, [], None, len(ranked), ranking=r)

    newest = sorted(items, key=lambda s: (s.created_at, s.id), reverse=True)
    oldest_a = newest[p.budget - 1]
    tail_after = (oldest_a.created_at, oldest_a.id)
    tail_skip = [s.id for s in newest[p.budget :]]
    bound = candidates.score_bound(
        r,
        inputs,
        p,
        now,
        oldest_of_a=oldest_a.created_at,
        fellow_rows=fellow_rows,
        author_rows=author_rows,
        collective_rows=collective_rows,
    )
    exact_top = 0
    for item in ranked:
        if item.score <= bound:
            break
        exact_top += 1
    count, count_exact = count_feed(feed)
    return Snapshot(
        ranked, count, count_exact, tail_after, tail_skip, bound, exact_top, inputs, now, r
    )


def tail_page(
    inputs: FeedInputs, snapshot: Snapshot, *, offset: int, limit: int, unseen: bool
) -> list[int]:
    """Ids of the feed after the ranked candidates, newest first.

    Offsets count in the feed as the snapshot saw it (its inputs, as of its build time), so
    a post hidden, deleted, seen or blocked while the user pages does not shift the later
    pages (no post skipped); the page read drops it (posts_by_id, with the current inputs).
    """
    if snapshot.tail_after is None or limit <= 0:
        return []
    at, pk = snapshot.tail_after
    qs = feed_queryset(snapshot.inputs or inputs, unseen=unseen, as_of=snapshot.built_at).filter(
        Q(created_at__lt=at) | Q(created_at=at, id__lt=pk)
    )
    if snapshot.tail_skip:
        qs = qs.exclude(id__in_ids=snapshot.tail_skip)
    return list(
        qs.order_by("-created_at", "-id").values_list("id", flat=True)[offset : offset + limit]
    )


def chronological_page(
    inputs: FeedInputs | None, *, offset: int, limit: int, unseen: bool = False
) -> tuple[list[Post], int, bool]:
    """A newest-first page of the feed and the feed's count."""
    qs = feed_queryset(inputs, unseen=unseen)
    count, exact = count_feed(qs)
    page = list(
        qs.select_related("author", "collective").order_by("-created_at", "-id")[
            offset : offset + limit
        ]
    )
    return page, count, exact


def posts_by_id(ids: list[int], inputs: FeedInputs | None = None) -> dict[int, Post]:
    """Fetch posts for a page in one query, re-checking they may still be served.

    A snapshot may be minutes old: a post deleted, hidden or no longer visible since then
    is dropped here (smart filtering on read) instead of invalidating the snapshot.
    """
    if not ids:
        return {}
    qs = feed_queryset(inputs) if inputs is not None else Post.objects.filter(is_deleted=False)
    return {p.id: p for p in qs.select_related("author", "collective").filter(id__in_ids=ids)}
