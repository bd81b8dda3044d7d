"""Users, fellow relations, blocks and feed preferences."""

import time

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Greatest, Least, Lower
from django.utils.crypto import salted_hmac

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
    # neither their fellow nor in a collective with them; a held member (reported by
    # enough members) is hidden like a suspended one from everyone but themselves, until
    # a decision, and may still sign in.
    suspended_at = models.DateTimeField(null=True, blank=True)
    limited_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    # Mixed into the session's auth hash: bumping it (a suspension does) ends every session
    # the member has, for good: lifting the suspension does not bring one back.
    session_generation = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # The profile (docs/api.md "Users"): plain text, "" for none. A blank display name
    # falls back to the username wherever a name is shown.
    display_name = models.CharField(max_length=50, blank=True, default="", db_default="")
    bio = models.TextField(blank=True, default="", db_default="")
    # The stored name of the member's square avatar (a variant the media app makes of one
    # of their pictures), "" for none. Kept on the user row so that every user object
    # carries its avatar URL without a join; who may fetch the file is media's rule.
    avatar_file = models.CharField(max_length=200, blank=True, default="", db_default="")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        indexes = [
            # The visibility rule reads the few suspended, held and limited members on every
            # post query (NOT IN subqueries): a scan of these (nearly always empty) partial
            # indexes, not of every user. A query for the suspended alone uses the first
            # (its condition implies the index's).
            models.Index(
                fields=["id"],
                name="user_hidden_idx",
                condition=models.Q(suspended_at__isnull=False) | models.Q(held_at__isnull=False),
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(limited_at__isnull=False),
                name="user_limited_idx",
            ),
        ]
        constraints = [
            # "Ana" cannot pose as "ana": the database decides, so no race can create both.
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def _get_session_auth_hash(self, secret=None):
        """Django's hash of the password, with the session generation mixed in once it is
        not 0: generation 0 gives exactly Django's hash, so the sessions that existed before
        the field did stay valid; SECRET_KEY_FALLBACKS keep working (Django's
        get_session_auth_fallback_hash calls this with each fallback secret)."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = f"{self.password}\x00{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


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
    # Show posts with a content warning unfolded and unblurred (the warning stays as a label).
    show_sensitive_content = models.BooleanField(default=False, db_default=False)
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


class VisibilityEpoch(models.Model):
    """One row (id 1): a counter every moderation change to what anyone may see moves on.

    Every ranked feed snapshot is named by it (atelier/feed/cache.py), so a removal, a
    restore, a suspension or a limit, and their reversals, retire every cached ranking at
    once: each viewer's next feed read rebuilds from the committed state. Bumped inside the
    moderation transaction (`core.versions.visibility_changed`), read by the feed with one
    primary-key lookup. Starts from the clock, as the users' versions do, so the snapshots
    of a replaced database never match.
    """

    value = models.BigIntegerField(default=clock_version)

    def __str__(self) -> str:
        return f"visibility epoch {self.value}"
