"""Factories for posts and what hangs on them."""

import factory
from django.utils import timezone

from atelier.core.tests.factories import UserFactory
from atelier.post.models import Appreciation, Comment, Critique, Post


class PostFactory(factory.django.DjangoModelFactory):
    """A public post; pass `channel=` for a collective post (its collective follows)."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    post_type = "image"
    title = factory.Sequence(lambda n: f"Post {n}")
    body = ""
    channel = None
    collective = factory.LazyAttribute(lambda o: o.channel.collective if o.channel else None)
    created_at = factory.LazyFunction(timezone.now)


class AppreciationFactory(factory.django.DjangoModelFactory):
    """An appreciation row; it touches neither the post's counters nor the feed's affinity
    tables (atelier/feed/tests/factories.py has one that keeps those)."""

    class Meta:
        model = Appreciation

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)
    post_author = factory.LazyAttribute(lambda o: o.post.author)
    post_type = factory.LazyAttribute(lambda o: o.post.post_type)
    kind = Appreciation.Kind.HEART
    created_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = "Lovely"
    created_at = factory.LazyFunction(timezone.now)


class CritiqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Critique

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = "The composition leans left"
    created_at = factory.LazyFunction(timezone.now)
