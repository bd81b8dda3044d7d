"""The feed's subscriptions to the writes of posts (connected in FeedConfig.ready()).

Each runs inside the write's transaction (post sends with `send`), so the viewer's
affinity counters change with the appreciation or comment itself, or not at all.
"""

from atelier.feed import affinity
from atelier.post import signals as post_signals


def _appreciation_added(sender, *, user, post, kind, at, **kwargs) -> None:
    affinity.appreciation_given(
        viewer_id=user.id, author_id=post.author_id, post_type=post.post_type, kind=kind, at=at
    )


def _appreciation_removed(sender, *, user, post, kind, **kwargs) -> None:
    affinity.appreciation_taken_back(
        viewer_id=user.id, author_id=post.author_id, post_type=post.post_type, kind=kind
    )


def _remark_created(sender, *, kind, post, author, **kwargs) -> None:
    # The commenter's affinity to the author moved (the ranking's `conversation`).
    if kind == "comment":
        affinity.comment_written(viewer_id=author.id, author_id=post.author_id)


def _remark_deleted(sender, *, kind, remark, post_author_id, **kwargs) -> None:
    if kind == "comment":
        affinity.comment_deleted(viewer_id=remark.author_id, author_id=post_author_id)


def connect() -> None:
    uid = "atelier.feed.receivers"
    post_signals.appreciation_added.connect(_appreciation_added, dispatch_uid=uid)
    post_signals.appreciation_removed.connect(_appreciation_removed, dispatch_uid=uid)
    post_signals.remark_created.connect(_remark_created, dispatch_uid=uid)
    post_signals.remark_deleted.connect(_remark_deleted, dispatch_uid=uid)
