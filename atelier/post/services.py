"""Writes on posts: create, soft delete, appreciations, remarks, seen and hidden marks."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from atelier.collective.models import Channel
from atelier.collective.selectors import membership
from atelier.core.exceptions import NotAllowed
from atelier.feed import affinity
from atelier.feed.invalidation import ranking_inputs_changed
from atelier.media.services import media_attach
from atelier.notification.services import notification_create
from atelier.post.models import Appreciation, Comment, Critique, HiddenPost, Post, SeenPost

# The counter column each appreciation kind and remark model keeps on Post.
APPRECIATION_COUNTER = {
    Appreciation.Kind.HEART: "hearts_count",
    Appreciation.Kind.PRAISE: "praise_count",
    Appreciation.Kind.TROPHY: "trophy_count",
}
REMARK_MODELS = {"comment": Comment, "critique": Critique}
REMARK_COUNTER = {"comment": "comment_count", "critique": "critique_count"}


class NotAMember(NotAllowed):
    """The author is not a member of the channel's collective: 403."""

    default_message = "You are not a member of this channel's collective."


@transaction.atomic
def post_create(
    *,
    author,
    title: str,
    post_type: str,
    body: str = "",
    channel: Channel | None = None,
    media_ids: list[int] | tuple[int, ...] = (),
) -> Post:
    """Create a post with its media, in order; a channel post requires membership of the
    channel's collective. Raises media.services.MediaNotAttachable (and creates nothing)
    when a media id is not the author's unattached upload."""
    if channel is not None and membership(author.id, channel.collective_id) is None:
        raise NotAMember
    post = Post.objects.create(
        author=author,
        title=title,
        post_type=post_type,
        body=body,
        channel=channel,
        collective_id=channel.collective_id if channel else None,
        created_at=timezone.now(),
        media_count=len(media_ids),
    )
    media_attach(post=post, owner=author, media_ids=media_ids)
    # The author's own new post appears in their own feed at once.
    ranking_inputs_changed(author.id)
    return post


@transaction.atomic
def post_soft_delete(*, post: Post) -> None:
    """Mark the post deleted; cached feeds filter it out on read."""
    Post.objects.filter(pk=post.pk, is_deleted=False).update(
        is_deleted=True, deleted_at=timezone.now()
    )
    ranking_inputs_changed(post.author_id)


@transaction.atomic
def appreciation_add(*, user, post: Post, kind: str) -> bool:
    """Record that `user` gave `kind` to `post`; return True if it is new.

    The unique constraint decides races: of two concurrent requests one inserts, the other
    finds the row, and the counter moves exactly once (F() in the same transaction).
    """
    at = timezone.now()
    try:
        with transaction.atomic():
            Appreciation.objects.create(
                user=user,
                post=post,
                post_author_id=post.author_id,
                post_type=post.post_type,
                kind=kind,
                created_at=at,
            )
    except IntegrityError:
        return False
    counter = APPRECIATION_COUNTER[kind]
    Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
    affinity.appreciation_given(
        viewer_id=user.id, author_id=post.author_id, post_type=post.post_type, kind=kind, at=at
    )
    notification_create(recipient_id=post.author_id, actor_id=user.id, kind=kind, post_id=post.pk)
    ranking_inputs_changed(user.id)
    return True


@transaction.atomic
def appreciation_remove(*, user, post: Post, kind: str) -> bool:
    """Withdraw `user`'s `kind` on `post`; return True if there was one."""
    deleted, _ = Appreciation.objects.filter(user=user, post=post, kind=kind).delete()
    if not deleted:
        return False
    counter = APPRECIATION_COUNTER[kind]
    Post.objects.filter(pk=post.pk, **{f"{counter}__gt": 0}).update(**{counter: F(counter) - 1})
    affinity.appreciation_taken_back(
        viewer_id=user.id, author_id=post.author_id, post_type=post.post_type, kind=kind
    )
    ranking_inputs_changed(user.id)
    return True


@transaction.atomic
def remark_create(*, kind: str, author, post: Post, text: str) -> Comment | Critique:
    """Add a comment or critique to `post` and count it."""
    remark = REMARK_MODELS[kind].objects.create(
        author=author, post=post, text=text, created_at=timezone.now()
    )
    counter = REMARK_COUNTER[kind]
    Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
    if kind == "comment":
        affinity.comment_written(viewer_id=author.id, author_id=post.author_id)
    notification_create(recipient_id=post.author_id, actor_id=author.id, kind=kind, post_id=post.pk)
    return remark


@transaction.atomic
def remark_soft_delete(*, kind: str, remark: Comment | Critique) -> None:
    """Soft-delete a comment or critique and uncount it (once, even under races)."""
    updated = (
        REMARK_MODELS[kind].objects.filter(pk=remark.pk, is_deleted=False).update(is_deleted=True)
    )
    if updated:
        counter = REMARK_COUNTER[kind]
        Post.objects.filter(pk=remark.post_id, **{f"{counter}__gt": 0}).update(
            **{counter: F(counter) - 1}
        )
        if kind == "comment":
            author_id = Post.objects.filter(pk=remark.post_id).values_list("author_id").get()[0]
            affinity.comment_deleted(viewer_id=remark.author_id, author_id=author_id)


@transaction.atomic
def posts_mark_seen(*, user, post_ids: list[int]) -> int:
    """Mark the given (already visibility-checked) posts seen; return how many were new."""
    if not post_ids:
        return 0
    already = set(
        SeenPost.objects.filter(user=user, post_id__in=post_ids).values_list("post_id", flat=True)
    )
    now = timezone.now()
    new = [SeenPost(user=user, post_id=pid, seen_at=now) for pid in post_ids if pid not in already]
    SeenPost.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        ranking_inputs_changed(user.id)
    return len(new)


@transaction.atomic
def post_hide(*, user, post: Post) -> None:
    """ "Not interested": keep `post` out of `user`'s feed."""
    HiddenPost.objects.get_or_create(user=user, post=post)
    ranking_inputs_changed(user.id)


@transaction.atomic
def post_unhide(*, user, post_id: int) -> None:
    """Undo a hide."""
    HiddenPost.objects.filter(user=user, post_id=post_id).delete()
    ranking_inputs_changed(user.id)
