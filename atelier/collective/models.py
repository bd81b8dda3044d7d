"""Collectives, channels, memberships, and their moderators and bans."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class Collective(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public"
        PRIVATE = "private"

    name = models.CharField(max_length=100)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    members_count = models.PositiveIntegerField(default=0)
    removed_at = models.DateTimeField(null=True, blank=True)  # by moderation: as if missing
    # Held after enough reports: as if missing to all but its creator, until a decision.
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["visibility", "name"], name="collective_vis_name_idx")]

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            # "Studio" and "studio" would only confuse: unique regardless of case.
            models.UniqueConstraint("collective", Lower("name"), name="channel_unique_name_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.collective_id}/{self.name}"


class CollectiveMember(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin"
        MEMBER = "member"

    # Served by the (collective, user) constraint's and (user, collective) indexes.
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="members", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collective", "user"], name="member_unique_pair"),
        ]
        indexes = [models.Index(fields=["user", "collective"], name="member_user_collective_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.collective_id} ({self.role})"


class CollectiveModerator(models.Model):
    """A member the collective's owner named to moderate it: they may remove posts from its
    channels and ban members (docs/moderation.md, "Collective moderators and bans").

    A moderator is a member: leaving the collective, or being banned, ends the role
    (collective.services). The owner (an admin of the collective) moderates without a row.
    """

    # Served by the (collective, user) constraint's index.
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="moderators", db_index=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collective", "user"], name="moderator_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} moderates {self.collective_id}"


class CollectiveBan(models.Model):
    """A member banned from the collective: their membership ends, and while the ban holds
    they can neither join again nor be invited, nor post in its channels."""

    # Served by the (collective, user) constraint's index.
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="bans", db_index=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(max_length=2_000)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collective", "user"], name="ban_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} banned from {self.collective_id}"
