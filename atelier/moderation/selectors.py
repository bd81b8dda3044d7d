"""Reads of moderation: the queue, my reports, decisions about me, the audit log, what a
target's open reports weigh toward a hold, and the figures of /metrics and the staff
dashboard."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet
from django.utils import timezone

from atelier.collective.models import Collective
from atelier.core.models import User
from atelier.core.selectors import is_blocked_either_way
from atelier.moderation.models import Appeal, AuditEntry, Decision, Report, TargetType
from atelier.post.models import Comment, Critique, Post
from atelier.post.visibility import remarks_visible_to, visible_to

HISTORY_LIMIT = 20

TARGET_MODELS = {
    TargetType.POST: Post,
    TargetType.COMMENT: Comment,
    TargetType.CRITIQUE: Critique,
    TargetType.USER: User,
    TargetType.COLLECTIVE: Collective,
}


# --- Holds (docs/moderation.md, "Holds") ----------------------------------------------------


def reporter_weight(dismissed: int) -> Fraction:
    """What one member's open report weighs toward a hold: 1 / (1 + d), where d is how
    many of their reports staff dismissed in the last MODERATION_HIDE_DISMISSED_DAYS days.

    A member whose reports held up counts fully; one dismissal halves their weight, two
    make it a third, and a serial false reporter fades toward nothing without a floor, so
    a few such accounts together cannot hold anything. Dismissals older than the window
    are forgiven. Exact fractions: three thirds make exactly one.
    """
    return Fraction(1, 1 + dismissed)


def dismissed_counts(reporter_ids: Iterable[int]) -> dict[int, int]:
    """{reporter id: their reports dismissed within the window}, for those with any."""
    ids = set(reporter_ids)
    if not ids:
        return {}
    since = timezone.now() - timedelta(days=settings.MODERATION_HIDE_DISMISSED_DAYS)
    rows = (
        Report.objects.filter(
            reporter_id__in=ids,
            status=Report.Status.DISMISSED,
            decision__created_at__gte=since,
        )
        .values("reporter_id")
        .annotate(n=Count("id"))
        .values_list("reporter_id", "n")
    )
    return dict(rows)


def _matching(targets: Iterable[tuple[str, int]]) -> Q:
    match = Q()
    for target_type, target_id in targets:
        match |= Q(target_type=target_type, target_id=target_id)
    return match


def hold_weights(targets: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Fraction]:
    """{(target type, id): what its open reports weigh toward a hold}, three queries for
    any number of targets.

    Each distinct reporter with an open report filed after the target's latest decision
    counts `reporter_weight`; reports from before a decision do not (staff have looked at
    the target since), though they stay open in the queue until resolved.
    """
    targets = set(targets)
    weights = dict.fromkeys(targets, Fraction(0))
    if not targets:
        return weights
    match = _matching(targets)
    decided = {
        (row["target_type"], row["target_id"]): row["at"]
        for row in Decision.objects.filter(match)
        .values("target_type", "target_id")
        .annotate(at=Max("created_at"))
    }
    counting: dict[tuple[str, int], set[int]] = {}
    for target_type, target_id, reporter_id, created_at in Report.objects.filter(
        match, status=Report.Status.OPEN
    ).values_list("target_type", "target_id", "reporter_id", "created_at"):
        key = (target_type, target_id)
        since = decided.get(key)
        if since is None or created_at > since:
            counting.setdefault(key, set()).add(reporter_id)
    dismissed = dismissed_counts(r for reporters in counting.values() for r in reporters)
    for key, reporters in counting.items():
        weights[key] = sum(
            (reporter_weight(dismissed.get(r, 0)) for r in reporters), start=Fraction(0)
        )
    return weights


def held_since(targets: Iterable[tuple[str, int]]) -> dict[tuple[str, int], object]:
    """{(target type, id): its `held_at` or None}, one query per target type."""
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in targets:
        by_type.setdefault(target_type, []).append(target_id)
    held = {}
    for target_type, ids in by_type.items():
        rows = TARGET_MODELS[target_type].objects.filter(pk__in=ids).values_list("pk", "held_at")
        held.update({(target_type, pk): at for pk, at in rows})
    return held


# --- The queue ------------------------------------------------------------------------------


def queue_groups(status: str) -> QuerySet:
    """One row per target with reports in `status`: (target_type, target_id, first, n),
    oldest first (by its first report)."""
    return (
        Report.objects.filter(status=status)
        .values("target_type", "target_id")
        .annotate(first=Min("created_at"), n=Count("id"))
        .order_by("first", "target_type", "target_id")
    )


def queue_items(groups: list[dict], status: str) -> list[dict]:
    """The page's targets with their reports, their weight toward a hold and whether they
    are held (a few queries for the page), and the author's history."""
    if not groups:
        return []
    keys = [(g["target_type"], g["target_id"]) for g in groups]
    reports: dict[tuple, list[Report]] = {}
    for report in Report.objects.filter(_matching(keys), status=status).order_by(
        "created_at", "id"
    ):
        reports.setdefault((report.target_type, report.target_id), []).append(report)
    weights = hold_weights(keys)
    held = held_since(keys)
    items = []
    for g in groups:
        key = (g["target_type"], g["target_id"])
        these = reports.get(key, [])
        user_id = these[0].target_user_id if these else None
        items.append(
            {
                "target_type": g["target_type"],
                "target_id": g["target_id"],
                "target_user_id": user_id,
                "reports_count": g["n"],
                "weighted_count": float(round(weights[key], 2)),
                "held_at": held.get(key),
                "first_reported_at": g["first"],
                "snapshot": these[-1].snapshot if these else {},
                "reports": these,
                "history": author_history(user_id, exclude=key),
            }
        )
    return items


def author_history(user_id: int | None, *, exclude: tuple) -> dict:
    """The member's earlier reports (on other targets) and the decisions about them."""
    if user_id is None:
        return {"reports": [], "decisions": []}
    reports = (
        Report.objects.filter(target_user_id=user_id)
        .exclude(target_type=exclude[0], target_id=exclude[1])
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )
    decisions = Decision.objects.filter(affected_user_id=user_id).order_by("-created_at", "-id")[
        :HISTORY_LIMIT
    ]
    return {"reports": list(reports), "decisions": list(decisions)}


def my_reports(user) -> QuerySet[Report]:
    return (
        Report.objects.filter(reporter=user)
        .select_related("decision")
        .order_by("-created_at", "-id")
    )


def decisions_about(user) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(affected_user=user)
        .exclude(action="dismiss")
        .select_related("appeal")
        .order_by("-created_at", "-id")
    )


def audit_log(*, actor: int | None, target_type: str | None, action: str | None) -> QuerySet:
    qs = AuditEntry.objects.all()
    if actor is not None:
        qs = qs.filter(actor_id=actor)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-created_at", "-id")


# --- Figures --------------------------------------------------------------------------------

# The period the time to a decision is measured over on /metrics (the dashboard picks its own).
DECISION_WINDOW_DAYS = 30
DECISION_QUANTILES = (0.5, 0.9)


@dataclass(frozen=True)
class ModerationFigures:
    """How the queue stands (docs/moderation.md, "Numbers")."""

    open_reports: int
    oldest_open_at: datetime | None  # when the oldest open report was filed
    decided: dict[str, int]  # reports decided since the start, by outcome (report status)
    open_appeals: int
    window_days: int
    decided_in_window: int  # reports decided in the last `window_days` days
    # Seconds from a report to its decision, for the reports decided in the window, by
    # quantile (0.5: the median); None with no decision in the window.
    decision_seconds: dict[float, float | None]
    read_at: datetime

    @property
    def median_seconds(self) -> float | None:
        return self.decision_seconds[0.5]

    @property
    def p90_seconds(self) -> float | None:
        return self.decision_seconds[0.9]

    @property
    def oldest_open_seconds(self) -> float:
        """How long the oldest open report has waited (0 with none open)."""
        if self.oldest_open_at is None:
            return 0.0
        return max(0.0, (self.read_at - self.oldest_open_at).total_seconds())


def moderation_figures(
    *, window_days: int = DECISION_WINDOW_DAYS, now: datetime | None = None
) -> ModerationFigures:
    """The queue's figures in at most six indexed queries: open reports and the oldest (the
    open reports' partial index), decided ones by outcome (report_status_created_idx), open
    appeals (appeal_open_idx), and the time to a decision over the window's decisions only
    (decision_created_idx, then each decision's reports by their foreign key)."""
    now = now or timezone.now()
    open_now = Report.objects.filter(status=Report.Status.OPEN).aggregate(
        n=Count("id"), oldest=Min("created_at")
    )
    decided = dict.fromkeys((Report.Status.RESOLVED.value, Report.Status.DISMISSED.value), 0)
    rows = (
        Report.objects.filter(status__in=list(decided))
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        decided[row["status"]] = row["n"]
    # From the window's decisions to their reports (a report with a decision is decided).
    window = Report.objects.filter(
        decision__created_at__gte=now - timedelta(days=window_days)
    ).annotate(wait=ExpressionWrapper(F("decision__created_at") - F("created_at"), DurationField()))
    in_window = window.count()
    seconds: dict[float, float | None] = dict.fromkeys(DECISION_QUANTILES)
    if in_window:
        ordered = window.order_by("wait", "id").values_list("wait", flat=True)
        for quantile in DECISION_QUANTILES:
            # The nearest rank: the smallest wait that at least `quantile` of them are under.
            rank = max(1, math.ceil(quantile * in_window))
            seconds[quantile] = max(0.0, ordered[rank - 1].total_seconds())
    return ModerationFigures(
        open_reports=open_now["n"],
        oldest_open_at=open_now["oldest"],
        decided=decided,
        open_appeals=Appeal.objects.filter(outcome="").count(),
        window_days=window_days,
        decided_in_window=in_window,
        decision_seconds=seconds,
        read_at=now,
    )


def my_open_report(user, target_type: str, target_id: int) -> Report | None:
    """My open report on a target, if any (reporting again updates it)."""
    return Report.objects.filter(
        reporter=user, target_type=target_type, target_id=target_id, status=Report.Status.OPEN
    ).first()


def appeals(status: str) -> QuerySet[Appeal]:
    """Appeals with their decisions and appellants: `open` ones (waiting for staff) oldest
    first, `decided` ones most recently decided first (the staff page and the API)."""
    qs = Appeal.objects.select_related("decision", "appellant", "decision__actor")
    if status == "open":
        return qs.filter(outcome="").order_by("created_at", "id")
    return qs.exclude(outcome="").order_by("-decided_at", "-id")


def open_appeals() -> QuerySet[Appeal]:
    """Appeals waiting for staff, oldest first, with their decisions and appellants."""
    return appeals("open")


def audit_actors() -> list[tuple[int, str]]:
    """(id, name) of everyone who has an entry in the audit log, by name (for a filter)."""
    rows = (
        AuditEntry.objects.filter(actor__isnull=False)
        .values_list("actor_id", "actor_name")
        .distinct()
        .order_by("actor_name", "actor_id")
    )
    return list(rows)


def audit_actions() -> list[str]:
    """The actions the audit log holds, sorted (for a filter)."""
    return list(AuditEntry.objects.values_list("action", flat=True).distinct().order_by("action"))


def seen_by(reporter, target_type: str, target) -> bool:
    """Whether `reporter` may see a reportable target itself, blocks included (the one
    rule): a block hides someone from you but not from a report, so the report page names
    only what its reader may see and reports the rest unnamed."""
    if target_type == "post":
        return Post.objects.filter(visible_to(reporter), pk=target.pk).exists()
    if target_type in ("comment", "critique"):
        model = Comment if target_type == "comment" else Critique
        return model.objects.filter(remarks_visible_to(reporter), pk=target.pk).exists()
    if target_type == "user":
        return not is_blocked_either_way(reporter.pk, target.pk)
    return True
