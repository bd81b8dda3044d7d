"""Posts with denormalised counters, appreciations, remarks, seen and hidden marks."""

from django.conf import settings
from django.db import models

from atelier.core.choices import PostType


class Post(models.Model):
    # No single-column index on author, channel or collective: the (column, created_at)
    # indexes below lead with them and serve every lookup by them, and each index is
    # paid for on every write and in every import.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    post_type = models.CharField(max_length=10, choices=PostType.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")
    channel = models.ForeignKey(
        "collective.Channel",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="posts",
        db_index=False,
    )
    # Denormalised from channel so visibility is one indexed column, no join.
    collective = models.ForeignKey(
        "collective.Collective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="posts",
        db_index=False,
    )
    created_at = models.DateTimeField(db_index=True)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Moderation (docs/moderation.md): removed by staff (invisible everywhere, kept for
    # appeal and audit), held after enough reports (seen by its author alone until a
    # decision), and the content warning (null: none).
    removed_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    content_warning = models.CharField(max_length=200, null=True, blank=True)
    # True while the warning is one staff set (`mark_sensitive`): the author may not change
    # or remove it until staff unmark it or an appeal reverses the decision.
    content_warning_by_staff = models.BooleanField(default=False, db_default=False)

    hearts_count = models.PositiveIntegerField(default=0)
    praise_count = models.PositiveIntegerField(default=0)
    trophy_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    critique_count = models.PositiveIntegerField(default=0)
    # How many media are attached: pages of posts without media skip the media query. A
    # database default too, so bulk writers that name their columns (the import's COPY)
    # need not know it.
    media_count = models.PositiveSmallIntegerField(default=0, db_default=0)

    class Meta:
        indexes = [
            models.Index(fields=["author", "created_at"], name="post_author_created_idx"),
            models.Index(fields=["channel", "created_at"], name="post_channel_created_idx"),
            models.Index(fields=["collective", "created_at"], name="post_collective_created_idx"),
            models.Index(fields=["post_type", "created_at"], name="post_type_created_idx"),
            models.Index(fields=["is_deleted", "created_at"], name="post_deleted_created_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class Appreciation(models.Model):
    """A heart, praise or trophy. One table so that per-author counts are one indexed scan."""

    class Kind(models.TextChoices):
        HEART = "heart"
        PRAISE = "praise"
        TROPHY = "trophy"

    # user and post: served by the composite indexes below that lead with them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appreciations",
        db_index=False,
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="appreciations", db_index=False
    )
    # Denormalised from post: "how often did I appreciate this author" without a join.
    post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Denormalised from post too: my per-type counts without joining every post.
    post_type = models.CharField(max_length=10, choices=PostType.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "post", "kind"], name="appreciation_once_per_kind"
            ),
        ]
        indexes = [
            # Covers the feed's interaction stats (an index-only scan per viewer).
            models.Index(
                fields=["user", "post_author", "post_type", "created_at"],
                name="appr_user_stats_idx",
            ),
            models.Index(fields=["post", "user"], name="appr_post_user_idx"),
            models.Index(fields=["user", "created_at"], name="appr_user_created_idx"),
            # The analytics summary attributes the hearts of a few hours (the edges of its
            # period) to exposures: without it, a scan of the whole table every time.
            models.Index(fields=["created_at"], name="appr_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.post_id}"


class Remark(models.Model):
    """What comments and critiques share: text on a post, soft-deletable."""

    # Served by the subclasses' (post, ...) and (author, created_at) indexes.
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+", db_index=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    text = models.TextField(max_length=10_000)
    created_at = models.DateTimeField()
    is_deleted = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)  # by moderation
    held_at = models.DateTimeField(null=True, blank=True)  # after reports, until a decision
    content_warning = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"#{self.pk} on {self.post_id}"


class Comment(Remark):
    # The top comment of the thread this one answers (docs/api.md "Comments"), or null for
    # a top comment: one level of threading, so it never names a reply (the service points a
    # reply to a reply at its thread's top). Comments are soft-deleted, so the rows stay;
    # only a hard delete (the account of the top comment's author deleted, which cascades)
    # removes one, and then its replies become top comments rather than blocking it.
    # The foreign key's index serves that SET NULL and nothing else.
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["post", "is_deleted", "created_at"], name="comment_post_created_idx"
            ),
            models.Index(fields=["author", "created_at"], name="comment_author_created_idx"),
        ]


class Critique(Remark):
    class Meta:
        indexes = [
            models.Index(
                fields=["post", "is_deleted", "created_at"], name="critique_post_created_idx"
            ),
            models.Index(fields=["author", "created_at"], name="critique_author_created_idx"),
        ]


class SeenPost(models.Model):
    # user: the (user, post) unique constraint's index serves it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="seen_once")]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.post_id}"


class HiddenPost(models.Model):
    """A "not interested" mark: the post never appears in this user's feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="hidden_once")]

    def __str__(self) -> str:
        return f"{self.user_id} hid {self.post_id}"


class PinnedPost(models.Model):
    """One of at most MAX_PINS of a member's own posts, shown first on their profile."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="pinned_once"),
            models.UniqueConstraint(fields=["user", "position"], name="pinned_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} pinned {self.post_id}"
