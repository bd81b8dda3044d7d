"""Factories for notifications."""

import factory

from atelier.core.tests.factories import UserFactory
from atelier.notification.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread heart notification without a post unless told otherwise."""

    class Meta:
        model = Notification

    notified_to = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(UserFactory)
    kind = Notification.Kind.HEART
    post = None
