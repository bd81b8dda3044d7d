"""Notifications addressed to one user."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    class Kind(models.TextChoices):
        HEART = "heart"
        PRAISE = "praise"
        TROPHY = "trophy"
        COMMENT = "comment"
        CRITIQUE = "critique"
        REPLY = "reply"  # an answer to my comment (post: the post it is on)
        FELLOW_REQUEST = "fellow_request"
        FELLOW_ACCEPT = "fellow_accept"
        # Moderation (docs/moderation.md): the target is named by target_type/target_id.
        REPORT_DECIDED = "report_decided"
        DECISION = "decision"
        APPEAL_DECIDED = "appeal_decided"

    notified_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Who caused it; null for a moderation notice (the moderators act as one, and no staff
    # member or collective moderator is named to the member: docs/moderation.md).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    post = models.ForeignKey(
        "post.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What a moderation notice is about (a post, comment, critique, user or collective).
    target_type = models.CharField(max_length=20, blank=True, default="", db_default="")
    target_id = models.BigIntegerField(null=True, blank=True)
    is_read = models.BooleanField(default=False)
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One unread notification per (recipient, actor, kind, post): toggling praise
            # 200 times refreshes it instead of sending 100 (issue 10). Fellow kinds have
            # no post (NULLs are distinct here); the service dedups those itself.
            models.UniqueConstraint(
                fields=["notified_to", "actor", "kind", "post"],
                condition=models.Q(is_read=False),
                name="notif_one_unread_per_subject",
            ),
        ]
        indexes = [
            models.Index(
                fields=["notified_to", "is_read", "notified_at"], name="notif_to_read_at_idx"
            ),
            models.Index(fields=["notified_to", "notified_at"], name="notif_to_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.notified_to_id}"
