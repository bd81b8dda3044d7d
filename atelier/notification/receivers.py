"""Notifications' subscriptions to the writes of core and posts (NotificationConfig.ready()).

Each runs inside the write's transaction (the senders use `send`), so a notification is
written with the heart, remark or fellow request that causes it, or not at all.
"""

from atelier.core import signals as core_signals
from atelier.notification.models import Notification
from atelier.notification.services import notification_create
from atelier.post import signals as post_signals


def _appreciation_added(sender, *, user, post, kind, **kwargs) -> None:
    notification_create(recipient_id=post.author_id, actor_id=user.id, kind=kind, post_id=post.pk)


def _remark_created(sender, *, kind, post, author, answered=None, **kwargs) -> None:
    """The post's author hears of a new comment or critique; the author of the comment a
    reply answers hears of the reply. When those are one person, the reply says it all:
    one notification, not two."""
    if answered is not None:
        notification_create(
            recipient_id=answered.author_id,
            actor_id=author.id,
            kind=Notification.Kind.REPLY,
            post_id=post.pk,
        )
        if answered.author_id == post.author_id:
            return
    notification_create(recipient_id=post.author_id, actor_id=author.id, kind=kind, post_id=post.pk)


def _fellow_requested(sender, *, relation, **kwargs) -> None:
    notification_create(
        recipient_id=relation.fellow_user_id,
        actor_id=relation.user_id,
        kind=Notification.Kind.FELLOW_REQUEST,
    )


def _fellow_accepted(sender, *, relation, actor, **kwargs) -> None:
    notification_create(
        recipient_id=relation.user_id, actor_id=actor.id, kind=Notification.Kind.FELLOW_ACCEPT
    )


def _moderation_notice(sender, *, recipient_id, actor_id, kind, target_type, target_id, **kw):
    # No actor: the moderators act as one, so the notice names none of them (nor does
    # blocking a staff member hide a decision about you).
    Notification.objects.create(
        notified_to_id=recipient_id,
        actor_id=None,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
    )


def connect() -> None:
    uid = "atelier.notification.receivers"
    post_signals.appreciation_added.connect(_appreciation_added, dispatch_uid=uid)
    post_signals.remark_created.connect(_remark_created, dispatch_uid=uid)
    core_signals.fellow_requested.connect(_fellow_requested, dispatch_uid=uid)
    core_signals.fellow_accepted.connect(_fellow_accepted, dispatch_uid=uid)
    core_signals.moderation_notice.connect(_moderation_notice, dispatch_uid=uid)
