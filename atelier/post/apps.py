"""App configuration for posts."""

from django.apps import AppConfig


class PostConfig(AppConfig):
    name = "atelier.post"
    label = "post"
    verbose_name = "Posts"
