"""Factories for posts and what hangs on them."""

import factory
from django.utils import timezone

from atelier.core.tests.factories import UserFactory
from atelier.feed import affinity
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
    """An appreciation row; it does not touch the post's counters, but it keeps the viewer's
    affinity tables (the feed's features) as the services would."""

    class Meta:
        model = Appreciation

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)
    post_author = factory.LazyAttribute(lambda o: o.post.author)
    post_type = factory.LazyAttribute(lambda o: o.post.post_type)
    kind = Appreciation.Kind.HEART
    created_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = super()._create(model_class, *args, **kwargs)
        affinity.appreciation_given(
            viewer_id=row.user_id,
            author_id=row.post_author_id,
            post_type=row.post_type,
            kind=row.kind,
            at=row.created_at,
        )
        return row


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
