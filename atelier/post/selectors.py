"""Reads of posts: which posts a user may see, and lookups that 404 otherwise."""

from django.db.models import QuerySet
from django.http import Http404

from atelier.core.api import is_storable_id
from atelier.post import attachments
from atelier.post.models import Appreciation, Comment, Critique, PinnedPost, Post
from atelier.post.visibility import remarks_visible_to, visible_to


def post_base_queryset() -> QuerySet[Post]:
    """The one queryset every post read starts from; it owns the select_related."""
    return Post.objects.select_related("author")


def visible_posts(user) -> QuerySet[Post]:
    """Return the posts `user` may see (docs/api.md "Visible posts"): the first tier of the
    one visibility rule (atelier/post/visibility.py). A visitor sees public posts only."""
    return post_base_queryset().filter(visible_to(user))


def is_post_visible_to(post: Post, user) -> bool:
    """Return True if `user` may see `post`: the rule asked of that one row (one query), so
    it cannot drift from `visible_posts`."""
    return Post.objects.filter(pk=post.pk).filter(visible_to(user)).exists()


def get_visible_post(user, post_id) -> Post:
    """Return the post if `user` may see it; raise Http404 otherwise (never leak existence).

    One query: the rule's conditions on the one row (subqueries for the membership and the
    blocks), so an interaction does not first load every collective and block of the viewer.
    """
    try:
        pk = int(post_id)
    except (ValueError, TypeError, OverflowError):
        raise Http404("No post matches the given query.") from None
    if not is_storable_id(pk):
        raise Http404("No post matches the given query.")
    post = post_base_queryset().filter(visible_to(user), pk=pk).first()
    if post is None:
        raise Http404("No post matches the given query.")
    return post


def visible_remarks(*, model: type[Comment] | type[Critique], post: Post, viewer) -> QuerySet:
    """The comments or critiques of `post` that `viewer` may read, oldest first: the one
    remark rule (atelier/post/visibility.py), which the API and the post page both call.

    A block hides both people's remarks from each other, as it hides their posts.
    """
    return (
        model.objects.filter(remarks_visible_to(viewer), post=post)
        .select_related("author")
        .order_by("created_at", "id")
    )


def answerable_comment(*, viewer, post: Post, comment_id: int) -> Comment | None:
    """The comment `comment_id` of `post` that `viewer` may answer, or None: one they may
    read (the one remark rule), so a deleted, removed or blocked-either-way comment is as
    unknown as a missing one or one on another post."""
    if not is_storable_id(comment_id):
        return None
    return (
        Comment.objects.filter(remarks_visible_to(viewer), pk=comment_id, post=post)
        .only("id", "author_id", "reply_to_id")
        .first()
    )


def get_live_remark(*, model: type[Comment] | type[Critique], post: Post, remark_id: int):
    """Return the live comment or critique `remark_id` of `post`; Http404 otherwise."""
    if not is_storable_id(remark_id):
        raise Http404("Not found.")
    remark = model.objects.filter(pk=remark_id, post=post, is_deleted=False).first()
    if remark is None:
        raise Http404("Not found.")
    remark.post = post  # the same row: its writes need the post's author, not a reload
    return remark


def posts_remarked_by(author_id: int) -> list[int]:
    """The ids of the posts `author_id` has commented on or critiqued (any state)."""
    comments = Comment.objects.filter(author_id=author_id).values_list("post_id", flat=True)
    critiques = Critique.objects.filter(author_id=author_id).values_list("post_id", flat=True)
    return sorted(set(comments) | set(critiques))


def appreciation_kinds_given(*, user, post: Post) -> set[str]:
    """The kinds of appreciation ("heart", "praise", "trophy") `user` has given `post`."""
    if user is None or not user.is_authenticated:
        return set()
    return set(Appreciation.objects.filter(post=post, user=user).values_list("kind", flat=True))


def posts_by_author(viewer, author_id: int) -> QuerySet[Post]:
    """The posts of `author_id` that `viewer` may see, newest first (a profile's grid)."""
    return visible_posts(viewer).filter(author_id=author_id).order_by("-created_at", "-id")


def posts_in_collective(viewer, collective_id: int) -> QuerySet[Post]:
    """The posts of a collective that `viewer` may see, newest first, with their channel."""
    return (
        visible_posts(viewer)
        .filter(collective_id=collective_id)
        .select_related("channel")
        .order_by("-created_at", "-id")
    )


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


def pinned_posts(viewer, author_id: int) -> list[Post]:
    """The posts `author_id` pinned (at most MAX_PINS), in their order, that `viewer` may
    see: the pins go through the one visibility rule like the grid does."""
    order = dict(PinnedPost.objects.filter(user_id=author_id).values_list("post_id", "position"))
    if not order:
        return []
    posts = visible_posts(viewer).filter(author_id=author_id, id__in=list(order))
    return sorted(posts, key=lambda post: order[post.id])


def pinned_post_ids(user_id: int) -> list[int]:
    """The ids `user_id` pinned, in order (whatever their state now)."""
    return list(
        PinnedPost.objects.filter(user_id=user_id)
        .order_by("position")
        .values_list("post_id", flat=True)
    )
