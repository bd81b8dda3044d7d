"""Factories for users and their relations."""

import factory
from django.utils import timezone

from atelier.core.models import Block, User, UserFellow


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    artist_type = "other"
    password = factory.django.Password("pw")


class FellowFactory(factory.django.DjangoModelFactory):
    """An accepted fellow relation unless `status` says otherwise."""

    class Meta:
        model = UserFellow

    user = factory.SubFactory(UserFactory)
    fellow_user = factory.SubFactory(UserFactory)
    status = UserFellow.Status.ACCEPTED
    created_at = factory.LazyFunction(timezone.now)


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)
