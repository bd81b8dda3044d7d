"""Users, fellow relations, blocks and feed preferences."""

import time

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Greatest, Least, Lower

from atelier.core.choices import ArtistType


def clock_version() -> int:
    """A version that no earlier one can equal: the clock in microseconds.

    New users (and every user of an import) start here, so a cached feed of an earlier user
    with the same id, or of a replaced database, can never match their version.
    """
    return time.time_ns() // 1_000


class User(AbstractUser):
    artist_type = models.CharField(
        max_length=20, choices=ArtistType.choices, default=ArtistType.OTHER
    )
    # The feed's versions (atelier/feed/versions.py). Bumped in the same transaction as a
    # change to the user's ranking inputs and read with the request (they come with the
    # user row that authentication loads), so every process sees a bump as soon as it
    # commits, whatever the cache went through. `feed_version` names the ranked snapshot;
    # `relations_version` the building blocks (fellows, collectives, blocks, preferences),
    # which a heart leaves alone.
    feed_version = models.BigIntegerField(default=clock_version, editable=False)
    relations_version = models.BigIntegerField(default=clock_version, editable=False)
    # Moderation (docs/moderation.md): a suspended member's content is invisible everywhere
    # and they cannot sign in; a limited member's posts leave the feeds of everyone who is
    # neither their fellow nor in a collective with them.
    suspended_at = models.DateTimeField(null=True, blank=True)
    limited_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # "Ana" cannot pose as "ana": the database decides, so no race can create both.
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]
        indexes = [
            # The visibility rule reads the few suspended and limited members on every
            # post query (two NOT IN subqueries): without these, each scans every user.
            models.Index(
                fields=["id"],
                condition=models.Q(suspended_at__isnull=False),
                name="user_suspended_idx",
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(limited_at__isnull=False),
                name="user_limited_idx",
            ),
        ]


class UserFellow(models.Model):
    """A fellow request from `user` to `fellow_user`; accepted means the two are fellows.

    One row per unordered pair (a functional unique constraint), so a pair can never be
    fellows twice nor have two open requests.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        DECLINED = "declined"

    # Both served by the (user, ...) and (fellow_user, status) indexes below.
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="fellow_requests_sent", db_index=False
    )
    fellow_user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="fellow_requests_received", db_index=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Least("user", "fellow_user"),
                Greatest("user", "fellow_user"),
                name="userfellow_one_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("fellow_user")), name="userfellow_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "fellow_user", "status"], name="userfellow_lookup_idx"),
            models.Index(fields=["user", "status"], name="userfellow_user_status_idx"),
            models.Index(fields=["fellow_user", "status"], name="userfellow_fellow_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.fellow_user_id} ({self.status})"


class Block(models.Model):
    """`blocker` blocked `blocked`: neither sees the other's posts."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="block_reverse_idx")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class UserPreference(models.Model):
    """Explicit feed preferences; muted collectives and blocks live in their own tables."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preference")
    preferred_post_types = models.JSONField(default=list, blank=True)
    preferred_artist_types = models.JSONField(default=list, blank=True)
    muted_collectives = models.ManyToManyField(
        "collective.Collective", blank=True, related_name="muted_by"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class ThrottleFallbackEntry(models.Model):
    """A rate-limit count kept in the database while Redis is unreachable.

    The table of Django's database cache backend (its three columns, as `createcachetable`
    makes them), so `core.throttling` reads and writes it through `DatabaseCache`: every
    server process shares the counts during an outage, instead of each counting alone.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_throttle_fallback"

    def __str__(self) -> str:
        return self.cache_key
