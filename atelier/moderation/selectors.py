"""Reads of moderation: the queue, my reports, decisions about me, the audit log, and
what a target's open reports weigh toward a hold."""

from collections.abc import Iterable
from datetime import timedelta
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from atelier.collective.models import Collective
from atelier.core.models import User
from atelier.moderation.models import AuditEntry, Decision, Report, TargetType
from atelier.post.models import Comment, Critique, Post

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
