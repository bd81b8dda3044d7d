"""Writes on posts: create, soft delete, appreciations, remarks, seen and hidden marks."""

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from atelier.collective.models import Channel
from atelier.collective.selectors import membership
from atelier.collective.services import refuse_banned
from atelier.core.exceptions import InvalidInput, NotAllowed
from atelier.core.throttling import new_account_limit
from atelier.core.versions import ranking_inputs_changed
from atelier.post import attachments, signals
from atelier.post.models import (
    Appreciation,
    Comment,
    Critique,
    HiddenPost,
    PinnedPost,
    Post,
    SeenPost,
)
from atelier.post.selectors import answerable_comment, visible_posts
from atelier.post.visibility import counted_remark

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


class UnknownReplyTarget(InvalidInput):
    """`reply_to` names no comment of this post that the author may read: 400. Missing,
    deleted, removed, on another post or hidden by a block all read the same."""

    default_message = "No such comment on this post."

    def __init__(self):
        super().__init__(field="reply_to")


class RepliesAreForComments(InvalidInput):
    """Only comments are threaded; a critique answers the post: 400."""

    default_message = "Only comments can answer a comment."

    def __init__(self):
        super().__init__(field="reply_to")


@transaction.atomic
def post_create(
    *,
    author,
    title: str,
    post_type: str,
    body: str = "",
    channel: Channel | None = None,
    media_ids: list[int] | tuple[int, ...] = (),
    content_warning: str | None = None,
) -> Post:
    """Create a post with its media, in order; a channel post requires membership of the
    channel's collective. Raises attachments.MediaNotAttachable (and creates nothing)
    when a media id is not the author's unattached upload, NewAccountLimited when a new
    account has reached its limit."""
    if channel is not None and membership(author.id, channel.collective_id) is None:
        # Say why when a ban is the reason (a banned member is no member); asked only then,
        # so a member's post costs no extra query.
        refuse_banned(user_id=author.id, collective_id=channel.collective_id)
        raise NotAMember
    # A new account's limit holds on every door (API, pages): raises NewAccountLimited.
    with new_account_limit(author, "post"):
        post = Post.objects.create(
            author=author,
            title=title,
            post_type=post_type,
            body=body,
            channel=channel,
            collective_id=channel.collective_id if channel else None,
            created_at=timezone.now(),
            media_count=len(media_ids),
            content_warning=content_warning,
        )
        attachments.attach(post=post, owner=author, media_ids=media_ids)
        # The author's own new post appears in their own feed at once.
        ranking_inputs_changed(author.id)
    return post


class NotTheAuthor(NotAllowed):
    """Only a post's author may edit it: 403 (a post the editor cannot see is a 404 first)."""

    default_message = "Only the author can edit a post."


class WarningSetByStaff(NotAllowed):
    """The author tried to change or remove a content warning staff set: 403."""

    default_message = (
        "Staff marked this post sensitive: its content warning stays until staff lift it "
        "or an appeal against the decision is granted."
    )


# "Leave this field as it is" for post_update (None is a value: no content warning).
UNCHANGED = object()


@transaction.atomic
def post_update(*, post: Post, editor, content_warning=UNCHANGED) -> Post:
    """The author's edit of `post`: each field given replaces the stored one, a field left
    UNCHANGED keeps it. Returns the post as stored after the edit.

    Today only `content_warning` (text, or None for none; the caller has validated it);
    issue 19 adds the title, body, tags and media order here, each one more keyword.

    A warning staff set (`content_warning_by_staff`) is the staff's: the author may not
    change or remove it (WarningSetByStaff) until staff unmark the post or an appeal
    reverses the decision. The row is locked first, so an edit and a staff action on the
    same post are serialised and the check reads the flag as it is.

    No version is bumped: no cache holds a post's fields. The feed's snapshots hold post
    ids only, and every page read loads the rows again (`feed.selectors.posts_by_id`), so
    the edit shows at the next request on every path.
    """
    if post.author_id != editor.id:
        raise NotTheAuthor
    current = Post.objects.select_for_update().get(pk=post.pk)
    changes = {}
    if content_warning is not UNCHANGED and content_warning != current.content_warning:
        if current.content_warning_by_staff:
            raise WarningSetByStaff
        changes["content_warning"] = content_warning
    if changes:
        Post.objects.filter(pk=post.pk).update(**changes)
        for name, value in changes.items():
            setattr(post, name, value)
    post.content_warning_by_staff = current.content_warning_by_staff
    return post


@transaction.atomic
def post_soft_delete(*, post: Post) -> None:
    """Mark the post deleted; cached feeds filter it out on read."""
    removed = Post.objects.filter(pk=post.pk, is_deleted=False).update(
        is_deleted=True, deleted_at=timezone.now()
    )
    if removed:
        signals.post_removed.send(Post, post=post)
    ranking_inputs_changed(post.author_id)


@transaction.atomic
def appreciation_add(*, user, post: Post, kind: str) -> bool:
    """Record that `user` gave `kind` to `post`; return True if it is new.

    When it is new, `post`'s hearts, praise and trophy counters are set to the values this
    transaction wrote, so the caller need not load the row again. The unique constraint
    decides races: INSERT ... ON CONFLICT DO NOTHING inserts for one of two concurrent
    requests, and only an inserted row moves the counter (in the same statement on
    PostgreSQL), so it moves exactly once.
    """
    at = timezone.now()
    counts = _insert_appreciation(user_id=user.id, post=post, kind=kind, at=at)
    if counts is None:
        return False
    post.hearts_count, post.praise_count, post.trophy_count = counts
    # The feed's affinity counters and the author's notification, in this transaction.
    signals.appreciation_added.send(Appreciation, user=user, post=post, kind=kind, at=at)
    ranking_inputs_changed(user.id)
    return True


@transaction.atomic
def appreciation_remove(*, user, post: Post, kind: str) -> bool:
    """Withdraw `user`'s `kind` on `post`; return True if there was one."""
    if not _delete_appreciation(user_id=user.id, post_id=post.pk, kind=kind):
        return False
    signals.appreciation_removed.send(Appreciation, user=user, post=post, kind=kind)
    ranking_inputs_changed(user.id)
    return True


_COUNTS_RETURNED = "RETURNING hearts_count, praise_count, trophy_count"


def _insert_appreciation(*, user_id: int, post: Post, kind: str, at) -> tuple | None:
    """Insert the appreciation and count it; return the post's three appreciation counters
    after the change, or None if the user had already given it (nothing is written then).

    One statement on PostgreSQL (the UPDATE reads the INSERT's RETURNING through a
    data-modifying WITH, so it runs only for an inserted row); two on SQLite, which has no
    data-modifying WITH.
    """
    q = connection.ops.quote_name
    appreciations, posts = q(Appreciation._meta.db_table), q(Post._meta.db_table)
    counter = APPRECIATION_COUNTER[kind]
    insert = (
        f"INSERT INTO {appreciations} "
        "(user_id, post_id, post_author_id, post_type, kind, created_at) "
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (user_id, post_id, kind) DO NOTHING"
    )
    values = [
        user_id,
        post.pk,
        post.author_id,
        str(post.post_type),
        str(kind),  # the value, also for a TextChoices member
        connection.ops.adapt_datetimefield_value(at),
    ]
    count = f"UPDATE {posts} SET {counter} = {counter} + 1"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH given AS ({insert} RETURNING post_id) "
                f"{count} WHERE id IN (SELECT post_id FROM given) {_COUNTS_RETURNED}",
                values,
            )
            return cursor.fetchone()
        cursor.execute(f"{insert} RETURNING id", values)
        if cursor.fetchone() is None:
            return None
        cursor.execute(f"{count} WHERE id = %s {_COUNTS_RETURNED}", [post.pk])
        return cursor.fetchone()


def _delete_appreciation(*, user_id: int, post_id: int, kind: str) -> bool:
    """Delete the appreciation and uncount it; return False if there was none.

    One statement on PostgreSQL (a data-modifying WITH), two on SQLite.
    """
    counter = APPRECIATION_COUNTER[kind]
    if connection.vendor != "postgresql":
        given = Appreciation.objects.filter(user_id=user_id, post_id=post_id, kind=kind)
        deleted, _ = given.delete()
        if deleted:
            Post.objects.filter(pk=post_id, **{f"{counter}__gt": 0}).update(
                **{counter: F(counter) - 1}
            )
        return bool(deleted)
    q = connection.ops.quote_name
    appreciations, posts = q(Appreciation._meta.db_table), q(Post._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH taken AS (DELETE FROM {appreciations} "
            "WHERE user_id = %s AND post_id = %s AND kind = %s RETURNING post_id), "
            f"uncounted AS (UPDATE {posts} SET {counter} = {counter} - 1 "
            f"WHERE id IN (SELECT post_id FROM taken) AND {counter} > 0) "
            "SELECT count(*) FROM taken",
            [user_id, post_id, str(kind)],
        )
        return cursor.fetchone()[0] > 0


@transaction.atomic
def remark_create(
    *, kind: str, author, post: Post, text: str, reply_to: int | None = None
) -> Comment | Critique:
    """Add a comment or critique to `post` and count it. Raises NewAccountLimited when a new
    account has reached its limit (comments and critiques count together).

    `reply_to` (comments only) names the comment answered; the new comment points at the
    top comment of that one's thread (one level of threading). Raises UnknownReplyTarget
    when `author` may not read such a comment of `post`, RepliesAreForComments for a
    critique.
    """
    answered = None
    fields = {}
    if reply_to is not None:
        if kind != "comment":
            raise RepliesAreForComments
        answered = answerable_comment(viewer=author, post=post, comment_id=reply_to)
        if answered is None:
            raise UnknownReplyTarget
        fields["reply_to_id"] = answered.reply_to_id or answered.id
    with new_account_limit(author, "comment"):
        remark = REMARK_MODELS[kind].objects.create(
            author=author, post=post, text=text, created_at=timezone.now(), **fields
        )
        counter = REMARK_COUNTER[kind]
        Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
        # The feed's affinity counters (a comment is the ranking's `conversation`) and the
        # notifications of the post's author and of the answered comment's, in this
        # transaction.
        signals.remark_created.send(
            REMARK_MODELS[kind],
            kind=kind,
            remark=remark,
            post=post,
            author=author,
            answered=answered,
        )
        if kind == "comment":
            ranking_inputs_changed(author.id)
    return remark


@transaction.atomic
def remark_soft_delete(*, kind: str, remark: Comment | Critique) -> None:
    """Soft-delete a comment or critique and uncount it (once, even under races).

    The post's author comes from `remark.post`: no query when the caller loaded the remark
    with its post (as `selectors.get_live_remark` does).
    """
    updated = (
        REMARK_MODELS[kind].objects.filter(pk=remark.pk, is_deleted=False).update(is_deleted=True)
    )
    if updated:
        # Counted again rather than decremented: a remark moderation removed was no longer
        # counted, and its author may still delete it.
        recount_remarks([remark.post_id])
        signals.remark_deleted.send(
            REMARK_MODELS[kind], kind=kind, remark=remark, post_author_id=remark.post.author_id
        )
        if kind == "comment":
            ranking_inputs_changed(remark.author_id)


def _counted_per_post(model) -> Coalesce:
    rows = (
        model.objects.filter(counted_remark(), post_id=OuterRef("pk"))
        .order_by()
        .values("post_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def recount_remarks(post_ids) -> None:
    """Set the posts' `comment_count` and `critique_count` from their counted remarks
    (`visibility.counted_remark`: not deleted, not removed, author not suspended).

    Called in the transaction of every change that makes remarks count or stop counting
    other than a new one (which adds 1): a deletion, moderation's removal or restore of a
    remark, a member's suspension or its end. The posts are locked first, in id order, so
    the counts are read after any concurrent remark on them has committed (a new remark
    adds its 1 under the same lock) and two recounts cannot deadlock.
    """
    ids = sorted(set(post_ids))
    if not ids:
        return
    # No savepoint: inside the caller's transaction it costs two queries, not four.
    with transaction.atomic(savepoint=False):
        locked = Post.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        list(locked.values_list("pk"))
        Post.objects.filter(pk__in=ids).update(
            comment_count=_counted_per_post(Comment), critique_count=_counted_per_post(Critique)
        )


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


# At most this many posts pinned on a profile (docs/api.md "Users").
MAX_PINS = 3


@transaction.atomic
def pins_replace(*, user, post_ids: list[int]) -> list[int]:
    """Pin exactly `post_ids` (in order) on `user`'s profile: each one of their own posts
    that they can see (not deleted nor removed). InvalidInput on `pinned_posts` otherwise."""
    ids = list(dict.fromkeys(post_ids))
    if len(ids) > MAX_PINS:
        raise InvalidInput(f"At most {MAX_PINS} posts can be pinned.", field="pinned_posts")
    mine = set(
        visible_posts(user).filter(author_id=user.id, id__in=ids).values_list("id", flat=True)
    )
    missing = [post_id for post_id in ids if post_id not in mine]
    if missing:
        raise InvalidInput(f"Post {missing[0]} is not one of your posts.", field="pinned_posts")
    PinnedPost.objects.filter(user_id=user.id).delete()
    PinnedPost.objects.bulk_create(
        PinnedPost(user_id=user.id, post_id=post_id, position=position)
        for position, post_id in enumerate(ids)
    )
    return ids
