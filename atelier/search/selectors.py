"""Search reads: posts, people, collectives and tags matching a query, a page at a time.

The API (search/apis.py) and the page (/search/) both call these, so both show the same
results under the same rules. Posts are the feed-eligible tier of the one visibility
rule (atelier/post/visibility.py): what the viewer may see, minus muted collectives, the
posts they marked "not interested" and limited authors (as in the feed); people leave out
suspended and inactive members and anyone blocked either way; collectives leave out the
removed ones and private ones the viewer is not in (collective/selectors.py).

Posts: candidates capped. The CANDIDATES newest matching posts the viewer may see are
ranked by the blend of search/ranking.py; a query matching more continues past them
newest first (without repeating a post), as the feed's tail does. `count` is exact up to
EXACT_COUNT_LIMIT and PostgreSQL's planner estimate beyond (`count_exact` false), like the
feed's; for posts the estimate is taken already when the planner expects more than
COUNT_WHEN_EXPECTED matches (and at least CANDIDATES were found), since counting
thousands of rows would cost more than the search. On PostgreSQL, when the planner
expects many matches, the candidates are looked for among the newest posts first (a
window of the time span that should hold WINDOW_MARGIN times as many matches, widened to
everything if it does not): the same candidates, without reading every match.
docs/search.md says more.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, Max, Min, QuerySet, Window
from django.utils import timezone

from atelier.collective.models import Collective
from atelier.collective.selectors import collective_base_queryset, collective_visible_to
from atelier.core.models import User
from atelier.post.models import Post
from atelier.post.selectors import post_base_queryset
from atelier.post.visibility import feed_eligible_to, hidden_members, not_blocked, viewer_ref
from atelier.search import ranking
from atelier.search.backends import backend, name_words
from atelier.search.query import SearchText

TYPES = ("posts", "people", "collectives", "tags")
CANDIDATES = 200
EXACT_COUNT_LIMIT = 10_000
# Posts: when the planner expects more matches than this, its estimate is the count.
COUNT_WHEN_EXPECTED = 2_000
WINDOW_MARGIN = 3


@dataclass
class SearchPage:
    """One page of results, and how many there are in all."""

    results: list = field(default_factory=list)
    count: int = 0
    count_exact: bool = True

    def is_past_the_end(self, offset: int) -> bool:
        """True if a page starting at `offset` (not the first) lies past the results:
        beyond an exact count, or empty under an estimated one (as the feed answers)."""
        return offset >= self.count or (not self.count_exact and not self.results)


def _count(qs: QuerySet, estimate: int | None = None) -> tuple[int, bool]:
    """(count, exact), as the feed counts: exact up to EXACT_COUNT_LIMIT, the planner's
    estimate beyond on PostgreSQL (exact on SQLite, which has none).

    `estimate` (the planner's guess of the matches, when already known) above
    COUNT_WHEN_EXPECTED is taken as the count without counting: an exact count reads
    every matching row, and thousands of them cost more than the rest of the search."""
    if estimate is not None and estimate > COUNT_WHEN_EXPECTED:
        return estimate, False
    if connection.vendor == "sqlite":
        return qs.order_by().count(), True
    capped = qs.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1].count()
    if capped <= EXACT_COUNT_LIMIT:
        return capped, True
    if estimate is None:
        estimate = backend().planner_rows(*qs.order_by().values("pk").query.sql_with_params())
    return max(EXACT_COUNT_LIMIT + 1, estimate or 0), False


# --- Posts -----------------------------------------------------------------------------------

_CANDIDATE_FIELDS = (
    "id",
    "created_at",
    "hearts_count",
    "praise_count",
    "trophy_count",
    "comment_count",
    "critique_count",
)


def _window_start(estimate: int | None) -> datetime | None:
    """Where to start looking for the newest CANDIDATES matches, when the planner expects
    so many that the newest part of the time span should hold them (WINDOW_MARGIN times
    over, were they spread evenly); None to look everywhere."""
    if estimate is None or estimate < 2 * WINDOW_MARGIN * CANDIDATES:
        return None
    span = Post.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return None
    share = WINDOW_MARGIN * CANDIDATES / estimate
    return span["last"] - (span["last"] - span["first"]) * share


def _newest_candidates(
    matching: QuerySet[Post], estimate: int | None
) -> tuple[list[dict], int | None]:
    """The CANDIDATES newest matching posts, newest first, with what the blend reads, and
    the number of matches when the same scan counted them (None otherwise).

    A window holding CANDIDATES matches holds the newest ones (everything outside it is
    older), so it answers alone; otherwise the search runs again without it. Without a
    window every match is read to find the newest anyway, so a window function counts
    them in the same scan."""
    newest = matching.order_by("-created_at", "-id")
    start = _window_start(estimate)
    if start is not None:
        rows = list(newest.filter(created_at__gte=start).values(*_CANDIDATE_FIELDS)[:CANDIDATES])
        if len(rows) == CANDIDATES:
            return rows, None
    counted = newest.annotate(matches=Window(Count("id"))).values(*_CANDIDATE_FIELDS, "matches")
    rows = list(counted[:CANDIDATES])
    return rows, rows[0]["matches"] if rows else 0


def _ranked(rows: list[dict], text: SearchText, now: datetime) -> list[int]:
    relevance = backend().relevance(text, [row["id"] for row in rows])
    candidates = [
        ranking.Candidate(
            id=row["id"],
            created_at=row["created_at"],
            relevance=relevance.get(row["id"], 0.0),
            hearts=row["hearts_count"],
            praise=row["praise_count"],
            trophies=row["trophy_count"],
            comments=row["comment_count"],
            critiques=row["critique_count"],
        )
        for row in rows
    ]
    return ranking.rank(candidates, now)


def matching_posts(viewer, text: SearchText) -> QuerySet[Post]:
    """The posts matching `text` that `viewer` may find: the feed-eligible tier."""
    return Post.objects.filter(feed_eligible_to(viewer)).filter(backend().matches(text))


def search_posts(
    viewer, text: SearchText, *, offset: int, limit: int, now: datetime | None = None
) -> SearchPage:
    """A page of the posts matching `text` for `viewer` (a user, or None for a visitor):
    the ranked candidates first, then the rest newest first."""
    if text.is_empty:
        return SearchPage()
    now = now or timezone.now()
    matching = matching_posts(viewer, text)
    estimate = backend().estimate(text)
    ids: list[int] = []
    counted = None
    if offset < CANDIDATES:
        rows, counted = _newest_candidates(matching, estimate)
        ids = _ranked(rows, text, now)[offset : offset + limit]
    count = (counted, True) if counted is not None else _count(matching, estimate)
    start = max(offset, CANDIDATES)
    if len(ids) < limit and start < min(offset + limit, count[0]):
        tail = matching.order_by("-created_at", "-id").values_list("id", flat=True)
        ids += list(tail[start : offset + limit])
    posts = post_base_queryset().in_bulk(ids)
    return SearchPage([posts[i] for i in ids if i in posts], *count)


# --- People and collectives ------------------------------------------------------------------


def _page_of_names(ordered: QuerySet, *, offset: int, limit: int) -> SearchPage:
    """A page of people or collectives, and their count: a page that is not full ends the
    results, so it counts them; otherwise as the posts are counted (the planner's estimate
    when it expects more than COUNT_WHEN_EXPECTED)."""
    page = list(ordered[offset : offset + limit])
    if page and len(page) < limit or not page and offset == 0:
        return SearchPage(page, offset + len(page), True)
    matching = ordered.order_by()
    estimate = backend().planner_rows(*matching.values("pk").query.sql_with_params())
    return SearchPage(page, *_count(matching, estimate))


def search_people(viewer, text: SearchText, *, offset: int, limit: int) -> SearchPage:
    """A page of the members whose username matches `text`: active, neither suspended nor
    held after reports (unless the viewer is that member), not blocked either way by
    `viewer`; exact matches first, then prefixes, then the closest."""
    words = name_words(text)
    if not words:
        return SearchPage()
    names = backend().names(User, "username", words)
    people = (
        User.objects.filter(is_active=True)
        .exclude(id__in=hidden_members(viewer_ref(viewer)))
        .filter(not_blocked(viewer_ref(viewer), "id"))
        .filter(names.filter)
    )
    return _page_of_names(people.order_by(*names.order, "id"), offset=offset, limit=limit)


def search_collectives(viewer, text: SearchText, *, offset: int, limit: int) -> SearchPage:
    """A page of the collectives whose name matches `text` that `viewer` may see (public
    or theirs, not removed), with the viewer's role, as the collective API serves them."""
    words = name_words(text)
    if not words:
        return SearchPage()
    names = backend().names(Collective, "name", words)
    collectives = (
        collective_base_queryset(viewer)
        .filter(collective_visible_to(viewer.id))
        .filter(names.filter)
    )
    return _page_of_names(collectives.order_by(*names.order, "id"), offset=offset, limit=limit)


def search_tags(viewer, text: SearchText, *, offset: int, limit: int) -> SearchPage:
    """Tags do not exist yet: always an empty page (docs/search.md)."""
    return SearchPage()


def search(kind: str, viewer, text: SearchText, *, offset: int, limit: int) -> SearchPage:
    """A page of results of `kind` (one of TYPES): what the API and the page both call."""
    searches = {
        "posts": search_posts,
        "people": search_people,
        "collectives": search_collectives,
        "tags": search_tags,
    }
    return searches[kind](viewer, text, offset=offset, limit=limit)
