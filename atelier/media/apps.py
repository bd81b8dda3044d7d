"""App configuration for uploaded media (images, audio, video)."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "atelier.media"
    label = "media"
    verbose_name = "Media"
