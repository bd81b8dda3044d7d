"""Reads of moderation: the queue, my reports, decisions about me, the audit log."""

from django.db.models import Count, Min, Q, QuerySet

from atelier.core.selectors import is_blocked_either_way
from atelier.moderation.models import Appeal, AuditEntry, Decision, Report
from atelier.post.models import Comment, Critique, Post
from atelier.post.visibility import remarks_visible_to, visible_to

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


def my_open_report(user, target_type: str, target_id: int) -> Report | None:
    """My open report on a target, if any (reporting again updates it)."""
    return Report.objects.filter(
        reporter=user, target_type=target_type, target_id=target_id, status=Report.Status.OPEN
    ).first()


def open_appeals() -> QuerySet[Appeal]:
    """Appeals waiting for staff, oldest first, with their decisions and appellants."""
    return (
        Appeal.objects.filter(outcome="")
        .select_related("decision", "appellant", "decision__actor")
        .order_by("created_at", "id")
    )


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
