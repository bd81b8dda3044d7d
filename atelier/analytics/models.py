"""The feed rollout (one staff-editable row), feed exposures, post opens, daily rollups."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from atelier.core.choices import PostType


class Variant(models.TextChoices):
    PERSONALIZED = "personalized"
    CHRONOLOGICAL = "chronological"


class FeedRollout(models.Model):
    """Who gets the personalized feed, and how exposures are attributed and kept.

    There is one row (pk=1). A user is in the personalized group when personalized ranking
    is enabled and int(sha256("<salt>:<user id>"), 16) % 100 < percentage: the same user
    gets the same variant on every request and in every process, and only a change of the
    salt or the percentage moves anyone (raising the percentage only adds users).
    """

    personalized_enabled = models.BooleanField(
        default=True, help_text="Off: every user without an explicit ordering gets chronological."
    )
    percentage = models.PositiveSmallIntegerField(
        default=100,
        validators=[MaxValueValidator(100)],
        help_text="Share of users (0-100) who get the personalized feed.",
    )
    salt = models.CharField(
        max_length=100,
        default="feed-rollout-1",
        help_text="Changing it reshuffles who is in which group.",
    )
    attribution_window_hours = models.PositiveIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text="Engagement this long after an exposure counts for the exposure's variant.",
    )
    retention_days = models.PositiveIntegerField(
        default=30,
        validators=[MinValueValidator(1)],
        help_text="Exposures and post opens older than this are pruned.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "feed rollout"
        verbose_name_plural = "feed rollout"

    def __str__(self) -> str:
        state = f"{self.percentage}%" if self.personalized_enabled else "off"
        return f"Personalized feed: {state} (salt {self.salt})"


def _untied_fk(to, **extra):
    # Exposures are a log: rows are written after the response, in batches, and must not
    # fail (or block a delete) because a post or user went away meanwhile. No constraint,
    # no cascade; no single-column index either (the composite indexes below serve reads).
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        **extra,
    )


class ExposedPost(models.Model):
    """One post shown on one served feed page (at most the first 50 of a page)."""

    user = _untied_fk(settings.AUTH_USER_MODEL)
    variant = models.CharField(max_length=16, choices=Variant.choices)
    # True when the client asked for an ordering; False when the rollout chose the variant.
    explicit_ordering = models.BooleanField(default=False)
    post = _untied_fk("post.Post")
    position = models.PositiveIntegerField(help_text="1-based position in the whole feed.")
    score = models.FloatField(null=True, blank=True)
    breakdown = models.JSONField(null=True, blank=True)
    post_type = models.CharField(max_length=10, choices=PostType.choices)
    author = _untied_fk(settings.AUTH_USER_MODEL)
    page_id = models.UUIDField(help_text="The served page this row belongs to.")
    served_at = models.DateTimeField()
    response_ms = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            # Idempotent writes: a batch written twice (a task retried after its worker died
            # past the commit) adds nothing the second time. A page id is drawn once per
            # served page, and a position occurs once on a page.
            models.UniqueConstraint(
                fields=["page_id", "position"], name="exposed_page_position_uniq"
            )
        ]
        indexes = [
            models.Index(fields=["served_at"], name="exposed_served_idx"),
            # Attribution: did this user act on this post within the window after served_at?
            models.Index(fields=["user", "post", "served_at"], name="exposed_user_post_served_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.post_id} at #{self.position} ({self.variant})"


class PostOpen(models.Model):
    """A post detail opened by a signed-in user (GET /api/posts/{id}/): click-through."""

    user = _untied_fk(settings.AUTH_USER_MODEL)
    post = _untied_fk("post.Post")
    opened_at = models.DateTimeField()
    # Drawn when the open is recorded: a batch written twice adds each open once. Rows
    # written before it existed have none.
    open_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["opened_at"], name="postopen_opened_idx"),
            models.Index(fields=["user", "post", "opened_at"], name="postopen_user_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} opened {self.post_id}"


class RollupBucket(models.Model):
    """An hour or a UTC day whose exposures are rolled up (ExposureRollup, PageRollup,
    DwellRollup).

    Hours are rolled up from the raw rows, days from their 24 hours. The summary reads
    whole days from day buckets, the hours at the edges of its period from hour buckets,
    and only the partial hours (and any not rolled up yet) raw. Engagement is attributed
    within the window after each exposure, so a bucket's engagement goes on changing until
    window_hours after its end: the scheduled rollup computes a bucket again until it has
    been computed after that (settled). A bucket computed under another attribution window
    than the one in force is not read. Rolling a bucket up again replaces all its rows.
    """

    start = models.DateTimeField()
    hours = models.PositiveSmallIntegerField(help_text="1 (an hour) or 24 (a UTC day).")
    window_hours = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hours", "start"], name="rollup_bucket_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.hours} h from {self.start:%Y-%m-%d %H:%M}, at {self.computed_at:%H:%M}"


class ExposureRollup(models.Model):
    """Additive figures of a bucket's exposed posts of one variant, source and post type."""

    start = models.DateTimeField()
    hours = models.PositiveSmallIntegerField()
    variant = models.CharField(max_length=16, choices=Variant.choices)
    explicit_ordering = models.BooleanField()
    post_type = models.CharField(max_length=10, choices=PostType.choices)
    exposed = models.PositiveIntegerField()
    engaged = models.PositiveIntegerField()
    opened = models.PositiveIntegerField()
    # Over the scored exposures: their number, the sum of their scores, and per ranking
    # component [sum of its points, number of exposures that have it].
    scored = models.PositiveIntegerField()
    score_sum = models.FloatField()
    components = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hours", "start", "variant", "explicit_ordering", "post_type"],
                name="exposure_rollup_cell_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.start} {self.variant} {self.post_type}: {self.exposed} exposed"


class PageRollup(models.Model):
    """A bucket's served pages of one variant and source: count, diversity sums, timings."""

    start = models.DateTimeField()
    hours = models.PositiveSmallIntegerField()
    variant = models.CharField(max_length=16, choices=Variant.choices)
    explicit_ordering = models.BooleanField()
    pages = models.PositiveIntegerField()
    authors_sum = models.PositiveIntegerField(help_text="Distinct authors, summed over pages.")
    types_sum = models.PositiveIntegerField(help_text="Distinct post types, summed over pages.")
    # Every timed page's response time, as float64 bytes (numpy's native order): the
    # percentiles over any set of buckets are exact (a histogram would round them), and a
    # month of them - 50,000 at a million exposures - loads in microseconds, where a JSON
    # list took tens of milliseconds to parse. A site a hundred times busier would want a
    # histogram here.
    response_ms = models.BinaryField(default=bytes)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hours", "start", "variant", "explicit_ordering"],
                name="page_rollup_cell_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.start} {self.variant}: {self.pages} pages"


class PostDwell(models.Model):
    """Seconds a post's card stayed on screen (at least half of it) in a member's feed.

    One row per post per report: the feed page sends what it accumulated every few seconds
    and when it is left, so a long look is several rows. Rows carry no variant: a report
    counts for the variant of the latest page that showed the post to that user before it
    (atelier/analytics/dwell.py), as engagement counts for its exposure's variant.
    """

    user = _untied_fk(settings.AUTH_USER_MODEL)
    post = _untied_fk("post.Post")
    seconds = models.FloatField()
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["recorded_at"], name="postdwell_recorded_idx"),
            # Attribution from the exposure's side: the reports of this user on this post
            # within the window after a page (the rollup, the summary's partial hours).
            models.Index(fields=["user", "post", "recorded_at"], name="postdwell_user_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} looked at {self.post_id} for {self.seconds:.1f} s"


class DwellCredit(models.Model):
    """Seconds credited so far to one post from one served page: the running total that
    caps time on screen (atelier/analytics/dwell.py).

    A report credits each post to the page that last showed it to the member; the total of
    a (page, post) never exceeds the wall-clock time since the page was served. The unique
    (page, post) row is locked while a report adds to it, so two reports at once cannot
    both pass the cap.
    """

    page_id = models.UUIDField()
    post = _untied_fk("post.Post")
    user = _untied_fk(settings.AUTH_USER_MODEL)
    served_at = models.DateTimeField()
    seconds = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page_id", "post"], name="dwell_credit_page_post_uniq"),
        ]
        indexes = [models.Index(fields=["served_at"], name="dwell_credit_served_idx")]

    def __str__(self) -> str:
        return f"page {self.page_id} post {self.post_id}: {self.seconds:.1f} s"


class DwellRollup(models.Model):
    """Time on screen of a bucket (RollupBucket), for one source and variant.

    A report counts for the latest exposure of that post to that member (among the
    source's pages) at most the attribution window before it, and in the bucket of that
    exposure: `seconds` of the reports, `viewed` the exposures looked at. A report no
    exposure claims has variant "" and counts in the bucket of its own time; `viewed` is
    then the number of such reports. Every figure adds up across buckets
    (atelier/analytics/dwell.py).
    """

    UNATTRIBUTED = ""

    start = models.DateTimeField()
    hours = models.PositiveSmallIntegerField()
    # "all", "assigned" or "explicit" (the summary's source): a report's latest exposure
    # depends on which pages count, so each source is attributed on its own.
    source = models.CharField(max_length=8)
    variant = models.CharField(max_length=16, blank=True)
    seconds = models.FloatField()
    viewed = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hours", "start", "source", "variant"], name="dwell_rollup_cell_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start} {self.source} {self.variant or 'unattributed'}: {self.seconds} s"
