"""Factories for galleries."""

import factory

from atelier.core.tests.factories import UserFactory
from atelier.gallery.models import Gallery, GalleryItem


class GalleryFactory(factory.django.DjangoModelFactory):
    """A draft gallery without items; pass `status="published"` to publish it."""

    class Meta:
        model = Gallery

    creator = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Gallery {n}")
    status = Gallery.Status.DRAFT


class GalleryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GalleryItem

    gallery = factory.SubFactory(GalleryFactory)
    post = factory.SubFactory("atelier.post.tests.factories.PostFactory")
    position = factory.Sequence(lambda n: n)
