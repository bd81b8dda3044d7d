"""Reads of posts: which posts a user may see, and lookups that 404 otherwise."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from atelier.collective.models import CollectiveMember
from atelier.collective.selectors import member_collective_ids
from atelier.core.api import is_storable_id
from atelier.core.selectors import blocked_ids_either_way, blocks_between, without_blocked
from atelier.post import attachments
from atelier.post.models import Appreciation, Comment, Critique, Post


def post_base_queryset() -> QuerySet[Post]:
    """The one queryset every post read starts from; it owns the select_related."""
    return Post.objects.select_related("author")


def visible_posts(user) -> QuerySet[Post]:
    """Return the posts `user` may see (API.md "Visible posts").

    Not deleted; public or in a collective the user belongs to; not by a user the viewer
    blocked or who blocked the viewer. Anonymous users see public posts only.
    """
    qs = post_base_queryset().filter(is_deleted=False)
    if user is None or not user.is_authenticated:
        return qs.filter(collective__isnull=True)
    collectives = member_collective_ids(user.id)
    qs = qs.filter(Q(collective__isnull=True) | Q(collective_id__in=collectives))
    blocked = blocked_ids_either_way(user.id)
    if blocked:
        qs = qs.exclude(author_id__in=blocked)
    return qs


def is_post_visible_to(post: Post, user) -> bool:
    """Return True if `user` may see `post` (the same rule as `visible_posts`)."""
    if post.is_deleted:
        return False
    if post.collective_id is not None:
        if not user.is_authenticated or post.collective_id not in member_collective_ids(user.id):
            return False
    if user.is_authenticated and post.author_id in blocked_ids_either_way(user.id):
        return False
    return True


def get_visible_post(user, post_id) -> Post:
    """Return the post if `user` may see it; raise Http404 otherwise (never leak existence).

    One query: the rule of `visible_posts` written as conditions on the one row (EXISTS
    subqueries for the membership and the blocks), so an interaction does not first load
    every collective and block of the viewer to look at a single post.
    """
    try:
        pk = int(post_id)
    except (ValueError, TypeError, OverflowError):
        raise Http404("No post matches the given query.") from None
    if not is_storable_id(pk):
        raise Http404("No post matches the given query.")
    qs = post_base_queryset().filter(pk=pk, is_deleted=False)
    if user is None or not user.is_authenticated:
        qs = qs.filter(collective__isnull=True)
    else:
        member = CollectiveMember.objects.filter(
            user_id=user.id, collective_id=OuterRef("collective_id")
        )
        blocked = blocks_between(user.id, OuterRef("author_id"))
        qs = qs.filter(Q(collective__isnull=True) | Exists(member)).exclude(Exists(blocked))
    post = qs.first()
    if post is None:
        raise Http404("No post matches the given query.")
    return post


def visible_remarks(*, model: type[Comment] | type[Critique], post: Post, viewer) -> QuerySet:
    """The live comments or critiques of `post`, oldest first, without blocked authors.

    A block hides both people's remarks from each other, as it hides their posts.
    """
    qs = model.objects.filter(post=post, is_deleted=False).select_related("author")
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    return without_blocked(qs, viewer_id, "author_id").order_by("created_at", "id")


def get_live_remark(*, model: type[Comment] | type[Critique], post: Post, remark_id: int):
    """Return the live comment or critique `remark_id` of `post`; Http404 otherwise."""
    if not is_storable_id(remark_id):
        raise Http404("Not found.")
    remark = model.objects.filter(pk=remark_id, post=post, is_deleted=False).first()
    if remark is None:
        raise Http404("Not found.")
    remark.post = post  # the same row: its writes need the post's author, not a reload
    return remark


def post_meta(viewer, ids: list[int]) -> dict[str, dict]:
    """Counts, media and the viewer's own appreciations of the visible posts among `ids`."""
    rows = list(
        visible_posts(viewer)
        .filter(id__in=ids)
        .select_related(None)
        .only(
            "id",
            "hearts_count",
            "praise_count",
            "trophy_count",
            "comment_count",
            "critique_count",
            "media_count",
        )
    )
    attachments.attach_lists(rows)
    mine: dict[int, set[str]] = {}
    given_rows = Appreciation.objects.filter(post_id__in=ids, user=viewer).values_list(
        "post_id", "kind"
    )
    for post_id, kind in given_rows:
        mine.setdefault(post_id, set()).add(kind)
    answer = {}
    for post in rows:
        given = mine.get(post.id, set())
        answer[str(post.id)] = {
            "hearts": post.hearts_count,
            "praise": post.praise_count,
            "trophies": post.trophy_count,
            "comments": post.comment_count,
            "critiques": post.critique_count,
            "hearted": "heart" in given,
            "praised": "praise" in given,
            "trophied": "trophy" in given,
            "media": attachments.media_of(post),
        }
    return answer
