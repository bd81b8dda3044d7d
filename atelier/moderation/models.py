"""Reports, decisions, appeals and the audit log (docs/moderation.md)."""

from django.conf import settings
from django.db import models


class TargetType(models.TextChoices):
    POST = "post"
    COMMENT = "comment"
    CRITIQUE = "critique"
    USER = "user"
    COLLECTIVE = "collective"


class Category(models.TextChoices):
    """The rule a report says was broken, in the words the pages show."""

    SPAM = "spam", "Spam"
    HARASSMENT = "harassment", "Harassment or bullying"
    HATE = "hate", "Hate"
    VIOLENCE = "violence", "Violence or threats"
    SEXUAL_CONTENT = "sexual_content", "Sexual content without a warning"
    SELF_HARM = "self_harm", "Self-harm"
    INTELLECTUAL_PROPERTY = "intellectual_property", "Intellectual property"
    ILLEGAL = "illegal", "Illegal content"
    OTHER = "other", "Other"


class Action(models.TextChoices):
    REMOVE = "remove", "Remove"
    RESTORE = "restore", "Restore"
    MARK_SENSITIVE = "mark_sensitive", "Mark sensitive"
    UNMARK_SENSITIVE = "unmark_sensitive", "Unmark sensitive"
    WARN = "warn", "Warn"
    LIMIT = "limit", "Limit"
    UNLIMIT = "unlimit", "Lift the limit"
    SUSPEND = "suspend", "Suspend"
    UNSUSPEND = "unsuspend", "Lift the suspension"
    DISMISS = "dismiss", "Dismiss"


class AuditOnlyAction(models.TextChoices):
    """What the audit log records besides the actions (Action): appeals decided, writes
    through the Django admin, a collective's moderators named and members banned, and a
    target held after reports (no actor: docs/moderation.md, "Holds")."""

    APPEAL_UPHOLD = "appeal_uphold"
    APPEAL_REVERSE = "appeal_reverse"
    ADMIN_ADD = "admin_add"
    ADMIN_CHANGE = "admin_change"
    ADMIN_DELETE = "admin_delete"
    MODERATOR_ADD = "moderator_add"
    MODERATOR_REMOVE = "moderator_remove"
    BAN = "ban"
    UNBAN = "unban"
    HOLD = "hold"


# Every action an audit entry can carry (the log's `action` filter takes these only).
AUDIT_ACTIONS = [*Action.values, *AuditOnlyAction.values]


class Decision(models.Model):
    """One action on a target, by staff or a collective's moderators, with its statement of
    reasons (DSA Art. 17)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.BigIntegerField()
    # The member the decision is about (the author, the user, the collective's creator).
    affected_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    category = models.CharField(max_length=30, choices=Category.choices)
    reason = models.TextField(blank=True, default="")
    # Set when a collective's moderators decided (a post removed from its channels), null
    # for staff. Its moderators may undo only their own collective's decisions.
    collective = models.ForeignKey(
        "collective.Collective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the action replaced (for a reversal): e.g. the previous content warning.
    previous = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["affected_user", "created_at"], name="decision_affected_idx"),
            models.Index(fields=["target_type", "target_id"], name="decision_target_idx"),
            # The time to a decision on /metrics reads the last 30 days of decisions.
            models.Index(fields=["created_at"], name="decision_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type} {self.target_id}"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        RESOLVED = "resolved"
        DISMISSED = "dismissed"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.BigIntegerField()
    # The member responsible for the target (author, user, collective creator), if any.
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    category = models.CharField(max_length=30, choices=Category.choices)
    text = models.TextField(blank=True, default="")
    snapshot = models.JSONField(default=dict)  # the content as reported
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=models.Q(status="open"),
                name="report_one_open_per_target",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_status_created_idx"),
            models.Index(fields=["target_type", "target_id"], name="report_target_idx"),
            models.Index(fields=["target_user", "created_at"], name="report_target_user_idx"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} on {self.target_type} {self.target_id}"


class Appeal(models.Model):
    class Outcome(models.TextChoices):
        UPHOLD = "uphold"
        REVERSE = "reverse"

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(max_length=5_000)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The open appeals (counted on /metrics and the dashboard).
            models.Index(
                fields=["created_at"], condition=models.Q(outcome=""), name="appeal_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"appeal of decision {self.decision_id}"


class AuditLogImmutable(Exception):
    """An audit entry cannot be changed or deleted by the application."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("The audit log cannot be changed.")

    def delete(self):
        raise AuditLogImmutable("The audit log cannot be deleted from.")

    def bulk_update(self, *args, **kwargs):
        raise AuditLogImmutable("The audit log cannot be changed.")


class AuditEntry(models.Model):
    """One moderation action, append-only. Names are copied so the entry survives the
    deletion of the accounts involved (the foreign key then goes NULL: the one change the
    database allows, see the trigger in the migration)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=30)
    target_type = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    target_name = models.CharField(max_length=200, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="audit_created_idx")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.target_type} {self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogImmutable("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("The audit log cannot be deleted from.")
