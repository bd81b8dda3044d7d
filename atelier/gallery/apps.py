"""App configuration for galleries."""

from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "atelier.gallery"
    label = "gallery"
    verbose_name = "Galleries"
