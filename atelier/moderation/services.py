"""Writes of moderation: reports, actions and their decisions, appeals (docs/moderation.md).

A collective's owner names moderators; they ban members and remove posts from its channels
(the section "Collectives" below): the rows are collective's, the permissions, decisions
and audit entries moderation's.

Every action runs in one transaction: the state change (removed_at, suspended_at ...), the
decision, the reports it resolves, the hold it lifts, the audit entry, the version bump and
the notices (sent through `core.signals.moderation_notice`, which notifications subscribe
to; moderation and notification are siblings and import neither the other).

A report that brings its target's open reports to the hold threshold holds the target in
its own transaction (`recompute_hold`, docs/moderation.md "Holds").
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from atelier.collective import services as collective_services
from atelier.collective.models import Collective, CollectiveBan, CollectiveModerator
from atelier.collective.selectors import MODERATOR, OWNER, moderation_role
from atelier.core import signals as core_signals
from atelier.core.exceptions import InvalidInput, InvalidState, NotAllowed, NotFound
from atelier.core.models import User
from atelier.core.versions import ranking_inputs_changed, visibility_changed
from atelier.moderation.models import (
    AUDIT_ACTIONS,
    Action,
    Appeal,
    AuditEntry,
    AuditOnlyAction,
    Category,
    Decision,
    Report,
    TargetType,
)
from atelier.moderation.selectors import TARGET_MODELS, hold_weights
from atelier.post import selectors as post_selectors
from atelier.post import services as post_services
from atelier.post.models import Comment, Critique, Post
from atelier.post.visibility import (
    _all,
    not_suspended,
    remark_conditions,
    visibility_conditions,
)

# Which actions fit which target (docs/api.md, "Moderation").
CONTENT_ACTIONS = {Action.REMOVE, Action.RESTORE, Action.MARK_SENSITIVE, Action.UNMARK_SENSITIVE}
ACTIONS_BY_TARGET = {
    TargetType.POST: CONTENT_ACTIONS | {Action.DISMISS},
    TargetType.COMMENT: CONTENT_ACTIONS | {Action.DISMISS},
    TargetType.CRITIQUE: CONTENT_ACTIONS | {Action.DISMISS},
    TargetType.USER: {
        Action.WARN,
        Action.LIMIT,
        Action.UNLIMIT,
        Action.SUSPEND,
        Action.UNSUSPEND,
        Action.DISMISS,
    },
    TargetType.COLLECTIVE: {Action.REMOVE, Action.RESTORE, Action.DISMISS},
}
# What reversing an action does (an appeal reversed).
REVERSAL = {
    Action.REMOVE: Action.RESTORE,
    Action.LIMIT: Action.UNLIMIT,
    Action.SUSPEND: Action.UNSUSPEND,
    Action.MARK_SENSITIVE: Action.UNMARK_SENSITIVE,
}
REMARK_MODELS = {TargetType.COMMENT: Comment, TargetType.CRITIQUE: Critique}
# The actions that hide content from others or show it again: each moves the visibility
# epoch, so every viewer's cached ranking is rebuilt (docs/moderation.md, "Cached pages").
SHOWS_OR_HIDES = {
    Action.REMOVE,
    Action.RESTORE,
    Action.LIMIT,
    Action.UNLIMIT,
    Action.SUSPEND,
    Action.UNSUSPEND,
}


# --- Targets --------------------------------------------------------------------------------


def _model(target_type: str):
    return TARGET_MODELS[target_type]


def load_target(target_type: str, target_id: int, *, for_update: bool = False):
    """The target row whatever its state (staff act on hidden things too), or NotFound."""
    qs = _model(target_type).objects.all()
    if for_update:
        qs = qs.select_for_update()
    target = qs.filter(pk=target_id).first()
    if target is None:
        raise NotFound
    return target


def responsible_user_id(target_type: str, target) -> int | None:
    """The member a target is about: its author, the user, the collective's creator."""
    if target_type == TargetType.USER:
        return target.pk
    if target_type == TargetType.COLLECTIVE:
        return target.created_by_id
    return target.author_id


def target_name(target_type: str, target) -> str:
    if target_type == TargetType.USER:
        return target.username
    if target_type == TargetType.COLLECTIVE:
        return target.name
    if target_type == TargetType.POST:
        return target.title[:200]
    return f"{target_type} {target.pk} on post {target.post_id}"


def target_names(pairs) -> dict[tuple[str, int], str]:
    """{(target_type, target_id): name} for the targets that still exist, whatever their
    state (the pages name what a decision or an appeal is about); one query per type."""
    ids: dict[str, set[int]] = {}
    for target_type, target_id in pairs:
        ids.setdefault(target_type, set()).add(target_id)
    names = {}
    for target_type, chosen in ids.items():
        for target in _model(target_type).objects.filter(pk__in=chosen):
            names[(target_type, target.pk)] = target_name(target_type, target)
    return names


def snapshot_of(target_type: str, target) -> dict:
    """The target as it is now, stored with a report (the content as reported)."""
    if target_type == TargetType.POST:
        return {
            "title": target.title,
            "body": target.body,
            "post_type": target.post_type,
            "content_warning": target.content_warning,
            "author_id": target.author_id,
            "collective_id": target.collective_id,
            "created_at": target.created_at.isoformat(),
        }
    if target_type in REMARK_MODELS:
        return {
            "text": target.text,
            "post_id": target.post_id,
            "author_id": target.author_id,
            "created_at": target.created_at.isoformat(),
        }
    if target_type == TargetType.USER:
        return {"username": target.username, "date_joined": target.date_joined.isoformat()}
    return {"name": target.name, "visibility": target.visibility}


# Conditions of the rule a report passes over: a block hides someone from you, not from a
# report (issue 18); a held post or remark is made of reports, and more are welcome (what
# a held member wrote, or a held collective holds, is reported through the member or the
# collective meanwhile).
NOT_FOR_REPORTS = {"no_block", "not_held"}


def _for_reports(conditions: dict) -> dict:
    """A rule's conditions minus those a report passes over (`NOT_FOR_REPORTS`)."""
    return {name: q for name, q in conditions.items() if name not in NOT_FOR_REPORTS}


def reportable_target(reporter, target_type: str, target_id: int):
    """The target if `reporter` may see it (blocks and holds aside); NotFound otherwise."""
    if target_type == TargetType.POST:
        rule = _all(_for_reports(visibility_conditions(reporter)))
        target = Post.objects.filter(rule, pk=target_id).first()
    elif target_type in REMARK_MODELS:
        model = REMARK_MODELS[target_type]
        conditions = _for_reports(remark_conditions(reporter))
        conditions.pop("post_visible")
        post_rule = _all(_for_reports(visibility_conditions(reporter)))
        posts = Post.objects.filter(post_rule).values("pk")
        target = model.objects.filter(_all(conditions), pk=target_id, post_id__in=posts).first()
    elif target_type == TargetType.USER:
        target = User.objects.filter(not_suspended("pk"), pk=target_id, is_active=True).first()
    else:
        mine = reporter.memberships.values("collective_id")
        target = (
            Collective.objects.filter(removed_at__isnull=True, pk=target_id)
            .filter(Q(visibility=Collective.Visibility.PUBLIC) | Q(pk__in=mine))
            .first()
        )
    if target is None:
        raise NotFound
    return target


# --- Reports --------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, reporter, target_type: str, target_id: int, category: str, text: str):
    """File a report, or update my open one on the same target. Returns (report, created).

    The partial unique constraint (one open report per reporter and target) decides races:
    the loser of two concurrent first reports updates the winner's row. A new report locks
    the target's row first, so concurrent reports on one target weigh it one after the
    other and the one that reaches the threshold holds it, exactly once (`recompute_hold`).
    """
    target = reportable_target(reporter, target_type, target_id)
    if target_type == TargetType.USER and target.pk == reporter.pk:
        raise InvalidInput("You cannot report yourself.", field="target_id")
    load_target(target_type, target_id, for_update=True)
    existing = (
        Report.objects.select_for_update()
        .filter(reporter=reporter, target_type=target_type, target_id=target_id, status="open")
        .first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    reporter=reporter,
                    target_type=target_type,
                    target_id=target_id,
                    target_user_id=responsible_user_id(target_type, target),
                    category=category,
                    text=text,
                    snapshot=snapshot_of(target_type, target),
                )
            recompute_hold(target_type, target_id)
            return report, True
        except IntegrityError:
            existing = Report.objects.select_for_update().get(
                reporter=reporter, target_type=target_type, target_id=target_id, status="open"
            )
    existing.category = category
    existing.text = text
    existing.save(update_fields=["category", "text", "updated_at"])
    return existing, False


# --- Holds ----------------------------------------------------------------------------------


@transaction.atomic
def recompute_hold(target_type: str, target_id: int) -> bool:
    """Hold the target when its open reports weigh at least MODERATION_HIDE_THRESHOLD
    (`selectors.hold_weights`; 0 turns holds off), lift the hold when they do not; return
    whether it is held. A function of the open reports alone, so an import (whose dump
    carries no `held_at`) can call it for every target with open reports.

    The target's row is locked first. Starting a hold writes an audit entry (`hold`, no
    actor); starting or lifting one bumps the responsible member's versions, recounts the
    remarks it hides and moves the visibility epoch, so every cached ranking is rebuilt.
    """
    model = _model(target_type)
    target = model.objects.select_for_update().filter(pk=target_id).first()
    if target is None:
        return False
    threshold = settings.MODERATION_HIDE_THRESHOLD
    weight = hold_weights([(target_type, target_id)])[(target_type, target_id)]
    held = threshold > 0 and weight >= threshold
    if held == (target.held_at is not None):
        return held
    model.objects.filter(pk=target_id).update(held_at=timezone.now() if held else None)
    ranking_inputs_changed(responsible_user_id(target_type, target), relations=True)
    # A held remark, or a held member's remarks, leave the counters; every cached ranking
    # is retired, as for a removal.
    _recount_remarks_of(target_type, target)
    visibility_changed()
    if held:
        _audit(
            actor=None,
            action="hold",
            target_type=target_type,
            target_id=target_id,
            name=target_name(target_type, target),
            reason=f"Reports weighing {float(weight):.2f} reached the threshold of {threshold}.",
        )
    return held


def restore_holds() -> int:
    """After an import: hold every target whose open reports weigh enough (a dump carries
    no `held_at`: a hold is a function of the open reports). No audit entry is written and
    no version bumped: the dump's own audit log already holds the `hold` entries, and a
    freshly imported database has nothing cached. Returns how many targets are held."""
    threshold = settings.MODERATION_HIDE_THRESHOLD
    if threshold <= 0:
        return 0
    targets = set(
        Report.objects.filter(status=Report.Status.OPEN).values_list("target_type", "target_id")
    )
    weights = hold_weights(targets)
    held: dict[str, list[int]] = {}
    for (target_type, target_id), weight in weights.items():
        if weight >= threshold:
            held.setdefault(target_type, []).append(target_id)
    now = timezone.now()
    for target_type, ids in held.items():
        _model(target_type).objects.filter(pk__in=ids, held_at__isnull=True).update(held_at=now)
    return sum(len(ids) for ids in held.values())


# --- Actions --------------------------------------------------------------------------------

# The state each action needs its target in ("This post is not removed."): an action that
# would change nothing is refused, so no decision, notice or resolved report says otherwise.
_STATE_WORDS = {
    TargetType.POST: "post",
    TargetType.COMMENT: "comment",
    TargetType.CRITIQUE: "critique",
    TargetType.USER: "member",
    TargetType.COLLECTIVE: "collective",
}


def _marked_sensitive(target_type: str, target) -> bool:
    """A post is marked by the moderators (its author's own warning is the author's); a
    comment or critique has no warning of its author's, so any warning is a mark."""
    if target_type == TargetType.POST:
        return target.content_warning_by_staff
    return bool(target.content_warning)


def action_refusal(target_type: str, target, action: str) -> str | None:
    """Why `action` would change nothing on `target` (the row as locked), or None.

    The one check of staff actions (moderation_act) and of a collective's moderators
    (collective_post_act, which acts through moderation_act). Warning and dismissing
    change no state and are never refused here.
    """
    word = _STATE_WORDS[target_type]
    if target_type == TargetType.USER:
        states = {
            Action.SUSPEND: (target.suspended_at is None, "is suspended already"),
            Action.UNSUSPEND: (target.suspended_at is not None, "is not suspended"),
            Action.LIMIT: (target.limited_at is None, "is limited already"),
            Action.UNLIMIT: (target.limited_at is not None, "is not limited"),
        }
    else:
        removed = target.removed_at is not None
        states = {
            Action.REMOVE: (not removed, "is removed already"),
            Action.RESTORE: (removed, "is not removed"),
        }
        if target_type != TargetType.COLLECTIVE:
            marked = _marked_sensitive(target_type, target)
            states[Action.MARK_SENSITIVE] = (not marked, "is marked sensitive already")
            states[Action.UNMARK_SENSITIVE] = (marked, "is not marked sensitive")
    allowed, state = states.get(action, (True, ""))
    return None if allowed else f"This {word} {state}."


def _audit(*, actor, action: str, target_type: str, target_id: int, name: str, reason: str):
    if action not in AUDIT_ACTIONS:  # the log's filter knows these only (models.AUDIT_ACTIONS)
        raise ValueError(f"Unknown audit action {action!r}.")
    AuditEntry.objects.create(
        actor=actor,
        actor_name=actor.username if actor is not None else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_name=name[:200],
        reason=reason,
    )


def _authors_warning_before_mark(post: Post) -> str | None:
    """The author's warning that the post's standing mark replaced, if it replaced one."""
    mark = (
        Decision.objects.filter(
            target_type=TargetType.POST,
            target_id=post.pk,
            action=Action.MARK_SENSITIVE,
            reversed_at__isnull=True,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if mark is None or mark.previous.get("content_warning_by_staff"):
        return None
    return mark.previous.get("content_warning") or None


def _apply(target_type: str, target, action: str, *, warning: str | None) -> dict:
    """Change the target's state; return what it replaced (for a reversal)."""
    now = timezone.now()
    previous: dict = {}
    if target_type in (TargetType.POST, TargetType.COMMENT, TargetType.CRITIQUE):
        model = type(target)
        if action == Action.REMOVE:
            model.objects.filter(pk=target.pk).update(removed_at=now)
        elif action == Action.RESTORE:
            model.objects.filter(pk=target.pk).update(removed_at=None)
        elif action in (Action.MARK_SENSITIVE, Action.UNMARK_SENSITIVE):
            marked = action == Action.MARK_SENSITIVE
            previous["content_warning"] = target.content_warning
            changes = {"content_warning": warning if marked else None}
            if target_type == TargetType.POST:
                # A staff warning is the staff's: its author may not edit it away
                # (post.services.post_update) until it is unmarked or reversed.
                previous["content_warning_by_staff"] = target.content_warning_by_staff
                changes["content_warning_by_staff"] = marked
                if not marked:
                    # Unmarking gives back the author's own warning the mark replaced.
                    changes["content_warning"] = _authors_warning_before_mark(target)
            model.objects.filter(pk=target.pk).update(**changes)
        ranking_inputs_changed(target.author_id, relations=True)
    elif target_type == TargetType.COLLECTIVE:
        value = now if action == Action.REMOVE else None
        if action in (Action.REMOVE, Action.RESTORE):
            Collective.objects.filter(pk=target.pk).update(removed_at=value)
    elif target_type == TargetType.USER:
        users = User.objects.filter(pk=target.pk)
        if action == Action.LIMIT:
            users.update(limited_at=now)
        elif action == Action.UNLIMIT:
            users.update(limited_at=None)
        elif action == Action.SUSPEND:
            # Sessions end for good (the new session generation changes the hash every
            # session was signed with, so lifting the suspension brings none back) and the
            # API tokens are revoked at once.
            users.update(
                suspended_at=now,
                is_active=False,
                session_generation=F("session_generation") + 1,
            )
            Token.objects.filter(user_id=target.pk).delete()
        elif action == Action.UNSUSPEND:
            users.update(suspended_at=None, is_active=True)
        if action != Action.WARN:
            ranking_inputs_changed(target.pk, relations=True)
    _recount(target_type, target, action)
    if action in SHOWS_OR_HIDES:
        visibility_changed()
    return previous


def _recount(target_type: str, target, action: str) -> None:
    """Keep the posts' remark counters to the counted remarks (post.visibility): a remark
    removed or restored, a member suspended or back (their remarks on every post)."""
    if target_type in REMARK_MODELS and action in (Action.REMOVE, Action.RESTORE):
        _recount_remarks_of(target_type, target)
    elif target_type == TargetType.USER and action in (Action.SUSPEND, Action.UNSUSPEND):
        _recount_remarks_of(target_type, target)


def _recount_remarks_of(target_type: str, target) -> None:
    """Recount the posts a remark, or a member's remarks, count on (nothing for others)."""
    if target_type in REMARK_MODELS:
        post_services.recount_remarks([target.post_id])
    elif target_type == TargetType.USER:
        post_services.recount_remarks(post_selectors.posts_remarked_by(target.pk))


def _notice(kind: str, recipient_id, actor, target_type: str, target_id: int) -> None:
    if recipient_id is None or recipient_id == actor.pk:
        return
    core_signals.moderation_notice.send(
        None,
        recipient_id=recipient_id,
        actor_id=actor.pk,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
    )


@transaction.atomic
def moderation_act(
    *,
    actor,
    target_type: str,
    target_id: int,
    action: str,
    reason: str,
    category: str | None = None,
    report_ids: list[int] | None = None,
    content_warning: str | None = None,
    collective: Collective | None = None,
) -> Decision:
    """Act on a target: change its state, resolve its reports, record the decision and the
    audit entry, and notify the affected member and the reporters, in one transaction.

    `collective`: the collective whose moderators decided (`collective_post_act`), recorded
    on the decision; staff leave it None.
    """
    if action not in ACTIONS_BY_TARGET[target_type]:
        raise InvalidInput(f"'{action}' does not apply to a {target_type}.", field="action")
    if action != Action.DISMISS and not reason.strip():
        raise InvalidInput("A reason is required.", field="reason")
    target = load_target(target_type, target_id, for_update=True)
    if target_type == TargetType.USER and target.pk == actor.pk:
        raise InvalidInput("You cannot act on your own account.", field="target_id")
    refusal = action_refusal(target_type, target, action)
    if refusal is not None:
        raise InvalidState(refusal)
    open_reports = Report.objects.select_for_update().filter(
        target_type=target_type, target_id=target_id, status=Report.Status.OPEN
    )
    if report_ids is not None:
        chosen = list(open_reports.filter(pk__in=report_ids))
        if len(chosen) != len(set(report_ids)):
            raise InvalidInput(
                "Each report must be an open report on this target.", field="report_ids"
            )
    else:
        chosen = list(open_reports)
    if category is None:
        category = chosen[0].category if chosen else Category.OTHER
    warning = content_warning or reason.strip()[:200] or "Sensitive content"
    previous = _apply(target_type, target, action, warning=warning)
    affected = responsible_user_id(target_type, target)
    decision = Decision.objects.create(
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        affected_user_id=affected,
        action=action,
        category=category,
        reason=reason,
        previous=previous,
        collective=collective,
    )
    status = Report.Status.DISMISSED if action == Action.DISMISS else Report.Status.RESOLVED
    Report.objects.filter(pk__in=[r.pk for r in chosen]).update(status=status, decision=decision)
    # Any decision lifts a hold: reports from before it no longer weigh (a removal keeps
    # the target hidden through removed_at; a dismissal shows it again).
    recompute_hold(target_type, target_id)
    _audit(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        name=target_name(target_type, target),
        reason=reason,
    )
    if action != Action.DISMISS:
        _notice("decision", affected, actor, target_type, target_id)
    for reporter_id in sorted({r.reporter_id for r in chosen}):
        _notice("report_decided", reporter_id, actor, target_type, target_id)
    return decision


# --- Appeals --------------------------------------------------------------------------------


def appeal_deadline(decision: Decision):
    """The last moment a decision can be appealed (MODERATION_APPEAL_DAYS after it)."""
    return decision.created_at + timedelta(days=settings.MODERATION_APPEAL_DAYS)


def appeal_refusal(decision: Decision) -> str | None:
    """Why `decision` cannot be appealed now, or None when it can: the one rule the API
    (appeal_create) and the decisions page both follow."""
    if getattr(decision, "appeal", None) is not None:
        return "This decision has already been appealed."
    if decision.action == Action.DISMISS:
        return "A dismissed report is no decision against you."
    if timezone.now() > appeal_deadline(decision):
        return f"Decisions can be appealed within {settings.MODERATION_APPEAL_DAYS} days."
    return None


@transaction.atomic
def appeal_create(*, user, decision_id: int, text: str) -> Appeal:
    """Appeal a decision about me, once, within the appeal period (settings)."""
    decision = (
        Decision.objects.select_for_update().filter(pk=decision_id, affected_user=user).first()
    )
    if decision is None:
        raise NotFound
    refusal = appeal_refusal(decision)
    if refusal is not None:
        raise InvalidState(refusal)
    return Appeal.objects.create(decision=decision, appellant=user, text=text)


def suspension_decision(user) -> Decision | None:
    """The decision that suspended `user` (the latest suspension not reversed), if any."""
    return (
        Decision.objects.filter(
            target_type=TargetType.USER,
            target_id=user.pk,
            action=Action.SUSPEND,
            reversed_at__isnull=True,
        )
        .select_related("appeal")
        .order_by("-created_at", "-id")
        .first()
    )


def suspension_statement(sender, *, user, **kwargs) -> dict:
    """Receiver of core.signals.suspension_statement: what a suspended member is told at
    log-in (the log-in backend asks; core imports no moderation)."""
    decision = suspension_decision(user)
    if decision is None:
        return {"decision": None, "appeal": None}
    appeal = getattr(decision, "appeal", None)
    return {
        "decision": {
            "id": decision.pk,
            "category": decision.category,
            "reason": decision.reason,
            "created_at": decision.created_at.isoformat(),
        },
        "appeal": {
            # None (not appealed), "open" (waiting), or the outcome with its reason.
            "status": (appeal.outcome or "open") if appeal else None,
            "outcome_reason": appeal.reason if appeal and appeal.outcome else "",
            "until": appeal_deadline(decision).isoformat(),
            "refused": appeal_refusal(decision),
            "how": "POST /api/moderation/suspension-appeal/ with username, password and "
            "text, or the appeal form of the log-in page.",
        },
    }


def suspension_appeal_create(*, user, text: str) -> Appeal:
    """A suspended member (who cannot log in) appeals the decision that suspended them."""
    decision = suspension_decision(user)
    if decision is None:
        raise InvalidState("There is no suspension to appeal.")
    return appeal_create(user=user, decision_id=decision.pk, text=text)


@transaction.atomic
def appeal_decide(*, actor, appeal_id: int, outcome: str, reason: str) -> Appeal:
    """Uphold or reverse an appealed decision; reversing undoes what the action did."""
    appeal = (
        Appeal.objects.select_for_update().select_related("decision").filter(pk=appeal_id).first()
    )
    if appeal is None:
        raise NotFound
    if appeal.outcome:
        raise InvalidState("This appeal has already been decided.")
    if not reason.strip():
        raise InvalidInput("A reason is required.", field="reason")
    decision = appeal.decision
    if outcome == Appeal.Outcome.REVERSE:
        undo = REVERSAL.get(decision.action)
        if undo is not None:
            target = load_target(decision.target_type, decision.target_id, for_update=True)
            _apply(decision.target_type, target, undo, warning=None)
        if "content_warning" in decision.previous:
            # Marking or unmarking sensitive: put back the warning it replaced, and whose
            # it was (a post's author's or the staff's).
            restored = {
                name: decision.previous[name]
                for name in ("content_warning", "content_warning_by_staff")
                if name in decision.previous
            }
            _model(decision.target_type).objects.filter(pk=decision.target_id).update(**restored)
        Decision.objects.filter(pk=decision.pk).update(reversed_at=timezone.now())
    now = timezone.now()
    Appeal.objects.filter(pk=appeal.pk).update(
        outcome=outcome, reason=reason, decided_by=actor, decided_at=now
    )
    appeal.refresh_from_db()
    _audit(
        actor=actor,
        action=f"appeal_{outcome}",
        target_type=decision.target_type,
        target_id=decision.target_id,
        name=f"decision {decision.pk}",
        reason=reason,
    )
    _notice("appeal_decided", appeal.appellant_id, actor, decision.target_type, decision.target_id)
    return appeal


# --- Collectives: moderators, bans, removals by their moderators -----------------------------
#
# The owner (an admin of the collective) names and removes moderators; moderators and the
# owner ban and unban members and remove posts from the collective's channels. The caller
# has already answered 404 for a collective the actor may not see (a private one they are
# not in); here the actor's role is checked (403), then the rows are written by collective's
# services and the audit entry here, in one transaction.


def _in_collective(user: User, collective: Collective) -> str:
    """The audit entry's copied name for a member of a collective."""
    return f"{user.username} in {collective.name}"


def require_collective_owner(actor, collective: Collective) -> None:
    """NotAllowed (403) unless the actor is the collective's owner (an admin of it)."""
    if moderation_role(actor.pk, collective.pk) != OWNER:
        raise NotAllowed("Only the collective's owner can name or remove its moderators.")


def require_collective_moderator(actor, collective: Collective) -> str:
    """Return the actor's role (OWNER or MODERATOR) in the collective; NotAllowed (403)
    unless they moderate it (also for reads: the list of bans)."""
    role = moderation_role(actor.pk, collective.pk)
    if role is None:
        raise NotAllowed("Only the collective's moderators can do this.")
    return role


def _audit_in_collective(actor, action: str, user, collective, *, reason: str = "") -> None:
    """The audit entry of a collective's moderation of a member (named "ben in Inkers")."""
    _audit(
        actor=actor,
        action=action,
        target_type=TargetType.USER,
        target_id=user.pk,
        name=_in_collective(user, collective),
        reason=reason,
    )


@transaction.atomic
def collective_moderator_add(
    *, actor, collective: Collective, user: User
) -> tuple[CollectiveModerator, bool]:
    """The owner names `user` (a member) a moderator; return (moderator, created)."""
    require_collective_owner(actor, collective)
    moderator, created = collective_services.moderator_add(
        collective=collective, user=user, appointed_by=actor
    )
    if created:
        _audit_in_collective(actor, AuditOnlyAction.MODERATOR_ADD, user, collective)
    return moderator, created


@transaction.atomic
def collective_moderator_remove(*, actor, collective: Collective, user: User) -> bool:
    """The owner ends `user`'s moderator role; return False if they had none."""
    require_collective_owner(actor, collective)
    removed = collective_services.moderator_remove(collective=collective, user=user)
    if removed:
        _audit_in_collective(actor, AuditOnlyAction.MODERATOR_REMOVE, user, collective)
    return removed


@transaction.atomic
def collective_ban(
    *, actor, collective: Collective, user: User, reason: str
) -> tuple[CollectiveBan, bool]:
    """A moderator or the owner bans `user` from the collective; return (ban, created).

    Nobody bans themself or the owner (400); only the owner bans a moderator (403).
    """
    role = require_collective_moderator(actor, collective)
    if not reason.strip():
        raise InvalidInput("A reason is required.", field="reason")
    if user.pk == actor.pk:
        raise InvalidInput("You cannot ban yourself.", field="user_id")
    if role != OWNER and moderation_role(user.pk, collective.pk) == MODERATOR:
        raise NotAllowed("Only the collective's owner can ban one of its moderators.")
    ban, created = collective_services.member_ban(
        collective=collective, user=user, banned_by=actor, reason=reason
    )
    if created:
        _audit_in_collective(actor, AuditOnlyAction.BAN, user, collective, reason=reason)
    return ban, created


@transaction.atomic
def collective_unban(*, actor, collective: Collective, user: User) -> bool:
    """A moderator or the owner lifts `user`'s ban; return False if there was none."""
    require_collective_moderator(actor, collective)
    lifted = collective_services.member_unban(collective=collective, user=user)
    if lifted:
        _audit_in_collective(actor, AuditOnlyAction.UNBAN, user, collective)
    return lifted


COLLECTIVE_POST_ACTIONS = (Action.REMOVE, Action.RESTORE)


@transaction.atomic
def collective_post_act(
    *,
    actor,
    collective: Collective,
    post_id: int,
    action: str,
    reason: str,
    category: str | None = None,
) -> Decision:
    """A moderator or the owner removes a post from the collective's channels, or restores
    one; the decision, its notice to the author (who may appeal to staff) and the audit
    entry are `moderation_act`'s, as for staff.

    Only posts in this collective (NotFound otherwise). Staff's reports on the post stay
    open for staff. A post staff removed stays for staff to restore (403).
    """
    if action not in COLLECTIVE_POST_ACTIONS:
        raise InvalidInput(
            "Collective moderators can 'remove' or 'restore' a post.", field="action"
        )
    require_collective_moderator(actor, collective)
    post = (
        Post.objects.select_for_update()
        .filter(pk=post_id, collective_id=collective.pk, is_deleted=False)
        .first()
    )
    if post is None:
        raise NotFound("No post of this collective matches the given query.")
    refusal = action_refusal(TargetType.POST, post, action)
    if refusal is not None:
        raise InvalidState(refusal)
    if action == Action.RESTORE:
        removal = (
            Decision.objects.filter(
                target_type=TargetType.POST,
                target_id=post.pk,
                action=Action.REMOVE,
                reversed_at__isnull=True,
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if removal is None or removal.collective_id != collective.pk:
            raise NotAllowed("Staff removed this post; only staff can restore it.")
    return moderation_act(
        actor=actor,
        target_type=TargetType.POST,
        target_id=post.pk,
        action=action,
        reason=reason,
        category=category,
        report_ids=[],
        collective=collective,
    )
