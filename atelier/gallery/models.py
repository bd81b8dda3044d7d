"""Galleries and their ordered items."""

from django.conf import settings
from django.db import models


class Gallery(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"

    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="galleries"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5_000, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_deleted = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "galleries"
        indexes = [
            models.Index(
                fields=["creator", "status", "created_at"], name="gallery_creator_status_idx"
            ),
            models.Index(
                fields=["creator", "is_deleted", "created_at"], name="gallery_creator_deleted_idx"
            ),
            models.Index(fields=["status", "created_at"], name="gallery_status_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class GalleryItem(models.Model):
    gallery = models.ForeignKey(Gallery, on_delete=models.CASCADE, related_name="items")
    post = models.ForeignKey("post.Post", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["gallery", "post"], name="gallery_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} at {self.position} in {self.gallery_id}"
