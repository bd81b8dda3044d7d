"""Uploaded media: what was stored for one upload, and the post it is attached to."""

from django.conf import settings
from django.db import models


class Media(models.Model):
    """One upload. Images are stored only as re-encoded WebP variants (never the original,
    so no EXIF survives); audio and video as uploaded. File names are random and never
    reused (see `atelier.media.storage`)."""

    class Kind(models.TextChoices):
        IMAGE = "image"
        AUDIO = "audio"
        VIDEO = "video"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media"
    )
    # Null until a post is created with it; a post's media keep the order they were given.
    post = models.ForeignKey(
        "post.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What `url` serves: the 1600 px WebP of an image, the uploaded audio or video file.
    file = models.CharField(max_length=200, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    # The 480 px WebP of the image, or of the cover of audio and video ("" without one).
    thumbnail = models.CharField(max_length=200, blank=True, default="", db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    placeholder = models.CharField(max_length=40)
    # Describes the picture to who cannot see it: the `alt` of every <img> of it.
    alt_text = models.TextField(blank=True, default="", db_default="")
    # The 256 px square WebP made when the picture is chosen as an avatar ("" until then).
    square = models.CharField(max_length=200, blank=True, default="", db_default="", db_index=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "media"
        indexes = [
            models.Index(fields=["post", "position"], name="media_post_position_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.file}"

    def stored_names(self) -> list[str]:
        """Every file in storage that belongs to this upload."""
        return [name for name in (self.file, self.thumbnail, self.square) if name]
