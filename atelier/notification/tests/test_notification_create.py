"""notification_create: what the other apps call to notify someone."""

from atelier.notification.models import Notification
from atelier.notification.services import notification_create
from atelier.post.tests.factories import PostFactory


def test_creates_an_unread_notification(ana, ben):
    post = PostFactory(author=ana)

    notification_create(recipient_id=ana.id, actor_id=ben.id, kind="heart", post_id=post.id)

    notification = Notification.objects.get()
    assert (notification.notified_to, notification.actor, notification.post) == (ana, ben, post)
    assert notification.kind == "heart"
    assert not notification.is_read


def test_acting_on_your_own_things_notifies_nobody(ana):
    notification_create(recipient_id=ana.id, actor_id=ana.id, kind="heart")

    assert not Notification.objects.exists()
