"""The vocabularies of docs/api.md: post types and artist types."""

from django.db import models


class PostType(models.TextChoices):
    IMAGE = "image"
    VIDEO = "video"
    NOVEL = "novel"
    POEM = "poem"
    MUSIC = "music"
    COMIC = "comic"


class ArtistType(models.TextChoices):
    VISUAL_ARTIST = "visual_artist"
    WRITER = "writer"
    MUSICIAN = "musician"
    FILMMAKER = "filmmaker"
    PHOTOGRAPHER = "photographer"
    OTHER = "other"
