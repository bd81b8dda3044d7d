"""The moderation pages (docs/pages.md, docs/moderation.md): a member's report form, the
staff queue with its actions, the open appeals and the audit log, and a member's page of
the decisions about them and of their reports.

Like views.py, a second client of the API's rules: every read is a selector of moderation
(or of the app that owns the data), every write the service the API calls, and every form
is checked by the API's own serializer, so a bad input gets the same message on both
doors. `tests/test_pages_are_clients.py` holds this module to it too.

Staff pages answer as the `/api/moderation/` paths do: a visitor gets a 401 page (with a
log-in link), a member who is not staff a 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.exceptions import ValidationError

from atelier.core.exceptions import DomainError, NotFound
from atelier.core.selectors import users_with_ids
from atelier.core.throttling import ScopedLimited, ScopedThrottle
from atelier.moderation import selectors, services
from atelier.moderation.apis import (
    ActionApi,
    AppealCreateApi,
    AppealDecideApi,
    AuditLogApi,
    ReportCreateApi,
    SuspensionAppealApi,
)
from atelier.web.views import TARGET_WORDS, _form_errors

TARGET_TYPES = tuple(TARGET_WORDS)
MAX_ID = 2**63 - 1
QUEUE_PAGE = 20
APPEALS_PAGE = 20
LOG_PAGE = 50
DECISIONS_PAGE = 20
MY_REPORTS_SHOWN = 50


def _choices(serializer_class, field: str) -> list[tuple[str, str]]:
    """(value, label) of one of the API's choice fields: the words the pages show."""
    return list(serializer_class().fields[field].choices.items())


def _labels() -> dict[str, dict[str, str]]:
    return {
        "categories": dict(_choices(ReportCreateApi.InputSerializer, "category")),
        "actions": dict(_choices(ActionApi.InputSerializer, "action")),
        "outcomes": dict(_choices(AppealDecideApi.InputSerializer, "outcome")),
    }


def _number(raw: str):
    """A posted id as the JSON the API takes: digits as a number, anything else left as it
    came (the API's serializer then refuses it with its own message)."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 20 else raw


def _posted_id(request, name: str) -> int:
    """The id a form names (a hidden field the page wrote); 404 for anything else."""
    raw = request.POST.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_ID:
        raise Http404("No such item.")
    return int(raw)


def _filled(**values) -> dict:
    """The form's values, an empty one left out: the serializer says "This field is
    required." for a choice not made, as the API does for a missing key."""
    return {key: value for key, value in values.items() if value != ""}


def _target_url(target_type: str, target_id: int, post_id: int | None = None) -> str:
    if target_type == "post":
        return reverse("web:post", kwargs={"pk": target_id})
    if target_type in ("comment", "critique") and post_id is not None:
        return reverse("web:post", kwargs={"pk": post_id}) + f"#{target_type}-{target_id}"
    if target_type == "user":
        return reverse("web:profile", kwargs={"pk": target_id})
    if target_type == "collective":
        return reverse("web:collective", kwargs={"pk": target_id})
    return ""


def _pager_links(request, grid) -> dict:
    """Links to the neighbouring pages, keeping the other query parameters (filters)."""
    links = {}
    for name, has, number in (
        ("previous", grid.has_previous, grid.previous_page_number),
        ("next", grid.has_next, grid.next_page_number),
    ):
        if has():
            query = request.GET.copy()
            query["page"] = str(number())
            links[name] = f"{request.path}?{query.urlencode()}"
    return links


# --- Reporting (members) ----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_page(request, target_type: str, pk: int):
    """Report a post, comment, critique, member or collective: a category and an optional
    text, then a receipt. The same rules as POST /api/reports/: a target I cannot see is a
    404 (one hidden from me only by a block can be reported), reporting again updates my
    open report, and the `report` rate applies (429 past it)."""
    if target_type not in TARGET_TYPES or not 0 < pk <= MAX_ID:
        raise Http404("Nothing to report here.")
    try:
        target = services.reportable_target(request.user, target_type, pk)
    except NotFound:
        raise Http404("Nothing to report here.") from None
    errors: dict[str, list[str]] = {}
    values = {"category": "", "text": ""}
    status = 200
    if request.method == "POST":
        values = {
            "category": request.POST.get("category", ""),
            "text": request.POST.get("text", ""),
        }
        try:
            # The API's limit, in the API's words (ReportCreateApi.throttle_sentence).
            ScopedThrottle().allow_request(request, ReportCreateApi)
        except ScopedLimited as limited:
            errors = {"detail": [str(limited.detail)]}
            response = _render_report(request, target_type, target, values, errors, status=429)
            response["Retry-After"] = str(limited.wait)
            return response
        data = ReportCreateApi.InputSerializer(
            data={
                "target_type": target_type,
                "target_id": pk,
                **_filled(category=values["category"]),
                "text": values["text"],
            }
        )
        try:
            data.is_valid(raise_exception=True)
            services.report_create(reporter=request.user, **data.validated_data)
        except NotFound:
            raise Http404("Nothing to report here.") from None
        except (ValidationError, DomainError) as error:
            errors = _form_errors(error)
            status = 400
        else:
            return redirect(f"{request.path}?sent=1")
    return _render_report(request, target_type, target, values, errors, status=status)


def _render_report(request, target_type, target, values, errors, *, status):
    mine = selectors.my_open_report(request.user, target_type, target.pk)
    labels = _labels()["categories"]
    named = selectors.seen_by(request.user, target_type, target)
    word = TARGET_WORDS[target_type]
    context = {
        "target_type": target_type,
        "target": target,
        "named": named,
        "word": word,
        # Back where the report started; the feed for what a block hides (a 404 there).
        "back": _target_url(target_type, target.pk, getattr(target, "post_id", None))
        if named
        else reverse("web:feed"),
        "back_label": f"the {word}" if named else "the feed",
        "categories": list(labels.items()),
        "values": values,
        # A NUL cannot be shown back in HTML; the rest of the draft is kept.
        "draft": values["text"].replace("\x00", ""),
        "errors": errors,
        "general": [m for field, ms in errors.items() if field not in values for m in ms],
        "sent": request.GET.get("sent") == "1" and mine is not None and not errors,
        "mine": mine,
        "mine_category": labels.get(mine.category, mine.category) if mine else "",
    }
    return render(request, "web/report.html", context, status=status)


# --- Staff ------------------------------------------------------------------------------------


def staff_page(view):
    """Staff only, as every /api/moderation/ path: a visitor gets a 401 page with a log-in
    link, a member who is not staff a 404 (nothing is said to exist here)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "web/staff_login.html", status=401)
        if not request.user.is_staff:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def _staff_nav(current: str) -> list[dict]:
    return [
        {"name": "moderation", "label": "Reports", "current": current == "moderation"},
        {"name": "moderation-appeals", "label": "Appeals", "current": current == "appeals"},
        {"name": "moderation-log", "label": "Audit log", "current": current == "log"},
    ]


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def moderation_page(request):
    """The queue: open reports grouped by target, oldest first (QUEUE_PAGE a page), each
    with the content as reported, its reports, the author's history and a form for the
    actions that fit the target (POST /api/moderation/actions/'s serializer and service).
    """
    errors: dict[str, list[str]] = {}
    failed = None
    drafts: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        posted = {
            name: request.POST.get(name, "")
            for name in ("action", "category", "reason", "content_warning")
        }
        # What is shown back if refused: a NUL cannot be shown in HTML, the rest is kept.
        drafts = {name: value.replace("\x00", "") for name, value in posted.items()}
        data = ActionApi.InputSerializer(
            data={
                "target_type": request.POST.get("target_type", ""),
                "target_id": _number(request.POST.get("target_id", "")),
                **_filled(
                    action=posted["action"],
                    category=posted["category"],
                    content_warning=posted["content_warning"],
                ),
                "reason": posted["reason"],
                # The reports the page showed: one filed since is left for the next look.
                **(
                    {"report_ids": [_number(raw) for raw in request.POST.getlist("report_ids")]}
                    if request.POST.getlist("report_ids")
                    else {}
                ),
            }
        )
        try:
            data.is_valid(raise_exception=True)
            decision = services.moderation_act(actor=request.user, **data.validated_data)
        except NotFound:
            raise Http404("No such target.") from None
        except (ValidationError, DomainError) as error:
            errors = _form_errors(error)
            failed = (request.POST.get("target_type"), request.POST.get("target_id"))
            status = 400
        else:
            labels = _labels()["actions"]
            resolved = len(data.validated_data.get("report_ids", []))
            messages.success(
                request,
                f"{labels.get(decision.action, decision.action)}: "
                f"{TARGET_WORDS[decision.target_type]} {decision.target_id}"
                + (
                    f", {resolved} report{'s' if resolved != 1 else ''} decided."
                    if resolved
                    else "."
                ),
            )
            return redirect("web:moderation")
    groups = selectors.queue_groups("open")
    grid = Paginator(groups, QUEUE_PAGE).get_page(request.GET.get("page"))
    items = selectors.queue_items(list(grid.object_list), "open")
    labels = _labels()
    authors = {
        user.id: user
        for user in users_with_ids([i["target_user_id"] for i in items if i["target_user_id"]])
    }
    action_choices = list(labels["actions"].items())
    shown = []
    for item in items:
        key = (item["target_type"], str(item["target_id"]))
        is_failed = failed == key
        fitting = services.ACTIONS_BY_TARGET[item["target_type"]]
        shown.append(
            {
                **item,
                "key": f"{item['target_type']}-{item['target_id']}",
                "word": TARGET_WORDS[item["target_type"]],
                "author": authors.get(item["target_user_id"]),
                "url": _target_url(
                    item["target_type"], item["target_id"], item["snapshot"].get("post_id")
                ),
                "actions": [(v, label) for v, label in action_choices if v in fitting],
                "is_content": item["target_type"] in ("post", "comment", "critique"),
                "category": drafts["category"]
                if is_failed and drafts.get("category")
                else item["reports"][0].category,
                "errors": errors if is_failed else {},
                "drafts": drafts if is_failed else {},
            }
        )
    context = {
        "items": shown,
        "grid": grid,
        "pager": _pager_links(request, grid),
        "labels": labels,
        "categories": list(labels["categories"].items()),
        "staff_nav": _staff_nav("moderation"),
        # A refusal for an item no longer in the queue (decided meanwhile) is said on top.
        "orphan_errors": errors if failed and not any(i["errors"] for i in shown) else {},
    }
    return render(request, "web/moderation.html", context, status=status)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def moderation_appeals_page(request):
    """Open appeals, oldest first, each with its decision and an uphold / reverse form with
    reasons (POST /api/moderation/appeals/{id}/decide/'s serializer and service)."""
    errors: dict[str, list[str]] = {}
    failed = None
    draft = ""
    status = 200
    if request.method == "POST":
        appeal_id = _posted_id(request, "appeal")
        draft = request.POST.get("reason", "")
        data = AppealDecideApi.InputSerializer(
            data={**_filled(outcome=request.POST.get("outcome", "")), "reason": draft}
        )
        try:
            data.is_valid(raise_exception=True)
            appeal = services.appeal_decide(
                actor=request.user, appeal_id=appeal_id, **data.validated_data
            )
        except NotFound:
            raise Http404("No such appeal.") from None
        except (ValidationError, DomainError) as error:
            errors = _form_errors(error)
            failed = appeal_id
            status = 400
        else:
            word = "Reversed" if appeal.outcome == "reverse" else "Upheld"
            messages.success(request, f"{word}: the decision {appeal.decision_id}.")
            return redirect("web:moderation-appeals")
    grid = Paginator(selectors.open_appeals(), APPEALS_PAGE).get_page(request.GET.get("page"))
    appeals = list(grid.object_list)
    names = services.target_names((a.decision.target_type, a.decision.target_id) for a in appeals)
    labels = _labels()
    items = [
        {
            "appeal": appeal,
            "decision": appeal.decision,
            "word": TARGET_WORDS[appeal.decision.target_type],
            "name": names.get((appeal.decision.target_type, appeal.decision.target_id), ""),
            "action": labels["actions"].get(appeal.decision.action, appeal.decision.action),
            "category": labels["categories"].get(
                appeal.decision.category, appeal.decision.category
            ),
            "errors": errors if failed == appeal.pk else {},
            "draft": draft.replace("\x00", "") if failed == appeal.pk else "",
        }
        for appeal in appeals
    ]
    context = {
        "items": items,
        "grid": grid,
        "pager": _pager_links(request, grid),
        "staff_nav": _staff_nav("appeals"),
        "orphan_errors": errors if failed and not any(i["errors"] for i in items) else {},
    }
    return render(request, "web/moderation_appeals.html", context, status=status)


@staff_page
@require_safe
def moderation_log_page(request):
    """The audit log, newest first, LOG_PAGE a page, filtered by actor, target type and
    action (GET /api/moderation/log/'s filter serializer and selector)."""
    chosen = {name: request.GET.get(name, "") for name in ("actor", "target_type", "action")}
    filters = AuditLogApi.FilterSerializer(data=_filled(**chosen))
    errors: dict[str, list[str]] = {}
    entries = None
    grid = None
    if filters.is_valid():
        entries = selectors.audit_log(
            actor=filters.validated_data.get("actor"),
            target_type=filters.validated_data.get("target_type"),
            action=filters.validated_data.get("action"),
        )
        grid = Paginator(entries, LOG_PAGE).get_page(request.GET.get("page"))
    else:
        errors = _form_errors(ValidationError(filters.errors))
    context = {
        "grid": grid,
        "pager": _pager_links(request, grid) if grid else {},
        "chosen": chosen,
        "actors": selectors.audit_actors(),
        "target_types": list(TARGET_WORDS.items()),
        "actions": selectors.audit_actions(),
        "errors": errors,
        "staff_nav": _staff_nav("log"),
    }
    return render(request, "web/moderation_log.html", context, status=400 if errors else 200)


# --- The affected member ------------------------------------------------------------------------


@require_http_methods(["POST"])
def suspension_appeal_page(request):
    """A suspended member, who cannot log in, appeals the suspension from the log-in page
    with their username and password (POST /api/moderation/suspension-appeal/'s
    serializer and service; the log-in limits count the attempt)."""
    data = SuspensionAppealApi.InputSerializer(
        data={name: request.POST.get(name, "") for name in ("username", "password", "text")}
    )
    errors: dict[str, list[str]] = {}
    sent = False
    try:
        data.is_valid(raise_exception=True)
        SuspensionAppealApi.appeal(request, **data.validated_data)
        sent = True
    except (ValidationError, DomainError) as error:
        errors = _form_errors(error)
    context = {"sent": sent, "errors": errors}
    return render(request, "web/suspension_appeal.html", context, status=201 if sent else 400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decisions_page(request):
    """The decisions about me with their statements of reasons (never the reporter), an
    appeal form for each one that can still be appealed (the rule of
    `services.appeal_refusal`, the API's serializer and service), and my own reports."""
    errors: dict[str, list[str]] = {}
    failed = None
    draft = ""
    status = 200
    if request.method == "POST":
        decision_id = _posted_id(request, "decision")
        draft = request.POST.get("text", "")
        data = AppealCreateApi.InputSerializer(data={"text": draft})
        try:
            data.is_valid(raise_exception=True)
            services.appeal_create(
                user=request.user, decision_id=decision_id, text=data.validated_data["text"]
            )
        except NotFound:
            raise Http404("No such decision.") from None
        except (ValidationError, DomainError) as error:
            errors = _form_errors(error)
            failed = decision_id
            status = 400
        else:
            messages.success(request, "Your appeal was sent. A moderator will look at it.")
            return redirect(f"{reverse('web:decisions')}#decision-{decision_id}")
    grid = Paginator(selectors.decisions_about(request.user), DECISIONS_PAGE).get_page(
        request.GET.get("page")
    )
    decisions = list(grid.object_list)
    names = services.target_names((d.target_type, d.target_id) for d in decisions)
    labels = _labels()
    items = []
    for decision in decisions:
        hidden = decision.action in ("remove", "suspend") and decision.reversed_at is None
        items.append(
            {
                "decision": decision,
                "appeal": getattr(decision, "appeal", None),
                "word": TARGET_WORDS[decision.target_type],
                "name": names.get((decision.target_type, decision.target_id), ""),
                # A link, unless the decision hides what it leads to (a 404 for me too).
                "url": "" if hidden else _target_url(decision.target_type, decision.target_id),
                "action": labels["actions"].get(decision.action, decision.action),
                "category": labels["categories"].get(decision.category, decision.category),
                "appealable": services.appeal_refusal(decision) is None,
                "deadline": services.appeal_deadline(decision),
                "errors": errors if failed == decision.pk else {},
                "draft": draft.replace("\x00", "") if failed == decision.pk else "",
            }
        )
    reports = [
        {
            "report": report,
            "word": TARGET_WORDS[report.target_type],
            "name": _snapshot_name(report.snapshot),
            "category": labels["categories"].get(report.category, report.category),
            "action": labels["actions"].get(report.decision.action, report.decision.action)
            if report.decision
            else "",
        }
        for report in selectors.my_reports(request.user)[:MY_REPORTS_SHOWN]
    ]
    context = {
        "items": items,
        "grid": grid,
        "pager": _pager_links(request, grid),
        "reports": reports,
        "orphan_errors": errors if failed and not any(i["errors"] for i in items) else {},
    }
    return render(request, "web/decisions.html", context, status=status)


def _snapshot_name(snapshot: dict) -> str:
    """What a report was about, in a few words, from its snapshot (as the reporter saw it)."""
    for key in ("title", "name", "username", "text"):
        if snapshot.get(key):
            text = str(snapshot[key])
            return text if len(text) <= 80 else text[:79] + "…"
    return ""
