"""Reads of moderation: the queue, my reports, decisions about me, the audit log."""

from django.db.models import Count, Min, Q, QuerySet

from atelier.moderation.models import AuditEntry, Decision, Report

HISTORY_LIMIT = 20


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
    """The page's targets with their reports (two queries) and the author's history."""
    if not groups:
        return []
    match = Q()
    for g in groups:
        match |= Q(target_type=g["target_type"], target_id=g["target_id"])
    reports: dict[tuple, list[Report]] = {}
    for report in Report.objects.filter(match, status=status).order_by("created_at", "id"):
        reports.setdefault((report.target_type, report.target_id), []).append(report)
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
