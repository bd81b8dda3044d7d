"""Factories for collectives, channels and memberships."""

import factory
from django.utils import timezone

from atelier.collective.models import Channel, Collective, CollectiveMember
from atelier.core.tests.factories import UserFactory


class CollectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collective

    name = factory.Sequence(lambda n: f"Collective {n}")
    visibility = Collective.Visibility.PUBLIC
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    collective = factory.SubFactory(CollectiveFactory)
    name = factory.Sequence(lambda n: f"channel-{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveMember

    collective = factory.SubFactory(CollectiveFactory)
    user = factory.SubFactory(UserFactory)
    role = CollectiveMember.Role.MEMBER
    joined_at = factory.LazyFunction(timezone.now)
