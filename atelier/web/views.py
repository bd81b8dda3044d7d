"""The pages: the feed (/), a post, the composer, members, collectives, notifications,
search, settings, sign-up, log-in and log-out, and the staff dashboard (the moderation
pages are in moderation_views.py).

The feed and the dashboard are thin shells that fetch their data from the JSON API with the
session (see static/web/*.js). The other pages render server-side through the same
selectors and services as the API (so the same visibility rules), with plain forms where a
form will do and small scripts for uploads, fellow requests, blocks, join and leave.

A page is a second client of the API's rules: it runs no query of its own (every read is a
selector of the owning app, every write the service the API calls) and checks a form's
input with the API's own serializer, so a bad input gets the same message on both doors.
`tests/test_pages_are_clients.py` holds this module to it (no model, no `.objects`).
"""

import math

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.exceptions import ValidationError

from atelier.analytics.rollout import load_rollout
from atelier.collective.preference_apis import PreferencesApi
from atelier.collective.preferences import preferences_of, preferences_update
from atelier.collective.selectors import (
    OWNER,
    channels_to_post_in,
    collective_bans,
    collective_members,
    collective_moderators,
    collectives_for,
    collectives_to_mute,
    get_visible_collective,
    moderation_role,
)
from atelier.core.apis import RegisterApi
from atelier.core.auth_backend import BACKEND_PATH, AccountSuspended
from atelier.core.choices import ArtistType, PostType
from atelier.core.exceptions import DomainError, NotFound
from atelier.core.selectors import (
    fellow_relation,
    incoming_fellow_requests,
    shows_sensitive_content,
    users_with_ids,
)
from atelier.core.services import (
    InvalidState,
    fellow_request_accept,
    fellow_request_decline,
    profile_update,
    user_register,
)
from atelier.core.throttling import AuthThrottle, LoginLimited, NewAccountLimited
from atelier.feed.config import load_ranking
from atelier.media.processing import UploadRejected
from atelier.media.selectors import attach_media_lists, images_of
from atelier.media.services import MAX_MEDIA_PER_POST, media_upload
from atelier.moderation import services as moderation_services
from atelier.moderation.collective_apis import BanInput, CollectiveActionInput, UserIdInput
from atelier.moderation.selectors import moderation_figures
from atelier.notification.selectors import notification_list
from atelier.notification.services import notifications_mark_read
from atelier.post import services as post_services
from atelier.post.apis import PostDetailApi, RemarkListCreateApi
from atelier.post.profile_apis import MAX_BIO, MAX_DISPLAY_NAME, ProfileInputSerializer
from atelier.post.profiles import get_user_profile
from atelier.post.selectors import (
    appreciation_kinds_given,
    get_live_remark,
    get_visible_post,
    pinned_posts,
    posts_by_author,
    posts_in_collective,
    visible_remarks,
)
from atelier.search.apis import MEMBERS_ONLY, SearchQuerySerializer
from atelier.search.query import parse
from atelier.search.selectors import search
from atelier.web.selectors import ranking_weights

REMARK_KINDS = ("comment", "critique")

ORDERINGS = ("personalized", "chronological")
DASHBOARD_DAYS = (7, 30, 90)


@require_safe
def feed_page(request):
    """The feed as cards: for a signed-in member the ordering the API serves them, newest
    first for visitors.

    As in the API, a member's explicit `ordering` is theirs; without one the experiment's
    rollout decides, and the page shows (toggle, headline) the ordering actually served,
    without announcing the experiment.
    """
    requested = request.GET.get("ordering")
    explicit = request.user.is_authenticated and requested in ORDERINGS
    if not request.user.is_authenticated:
        ordering = "chronological"
    elif explicit:
        ordering = requested
    else:
        ordering = load_rollout().variant_for(request.user.id)
    weights = ranking_weights(load_ranking())
    how_ranked = [
        {
            "key": name,
            "label": weights["labels"][name],
            "help": weights["help"][name],
            "weight": weights["weights"][name],
            "max_contribution": weights["max_contributions"][name],
        }
        for name in weights["components"]
    ]
    context = {
        "ordering": ordering,
        "explicit": explicit,
        # Posts with a content warning come folded unless the member chose otherwise.
        "show_sensitive": shows_sensitive_content(request.user),
        "weights": weights,
        "how_ranked": how_ranked,
        # One label per kind, from the choices (the API sends the values).
        "labels": {"artist_types": dict(ArtistType.choices), "post_types": dict(PostType.choices)},
    }
    return render(request, "web/feed.html", context)


@require_safe
@login_required
def dashboard_page(request):
    """Staff analytics as charts, and the moderation card (drawn here, from moderation's
    selector, over the same period); a signed-in non-staff user gets a 403 page."""
    if not request.user.is_staff:
        return render(request, "web/forbidden.html", status=403)
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    if days not in DASHBOARD_DAYS:
        days = 30
    context = {
        "days": days,
        "day_choices": DASHBOARD_DAYS,
        "moderation": moderation_figures(window_days=days),
    }
    return render(request, "web/dashboard.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def post_page(request, pk: int):
    """A post with its media, reactions, comments and critiques. Members act with plain
    forms (POST, then a redirect back to where they acted): `kind` and `text` write a
    remark (a new account over its limit gets the API's message, a 429 and its draft back);
    `action=appreciate` with `appreciation` (heart, praise, trophy) and `give` (1 or 0)
    gives or takes back a reaction; `action=delete` with `kind` and `remark` deletes one's
    own comment or critique (someone else's is a 403 page).

    Visitors see public posts (as on the public feed) and are asked to log in to act;
    a post the viewer may not see is a 404 page, like the API.
    """
    post = get_visible_post(request.user, pk)
    errors: dict[str, str] = {}
    drafts: dict[str, str] = {}
    status = 200
    retry_after = None  # seconds, when a new account's limit refused the remark
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('web:login')}?next={request.path}")
        action = request.POST.get("action", "remark")
        if action == "appreciate":
            return _appreciate_from_page(request, post)
        if action == "delete":
            return _delete_remark_from_page(request, post)
        if action == "content_warning":
            return _edit_warning_from_page(request, post)
        if action != "remark":
            raise Http404("No such action.")
        kind = request.POST.get("kind", "")
        if kind not in REMARK_KINDS:
            raise Http404("No such kind of remark.")
        # The API's serializer: the same rules (blank, length, NUL, reply_to) and the same
        # messages. A reply form sends `reply_to` (a comment id); the comment form none.
        text = request.POST.get("text", "")
        fields = {"text": text}
        raw_reply_to = request.POST.get("reply_to")
        if raw_reply_to is not None:
            fields["reply_to"] = _form_id(raw_reply_to)
        data = RemarkListCreateApi.input_serializers[kind](data=fields)
        # Which form the error and the draft go back to: the reply form of the comment
        # answered when it still shows, else the comment form (urls carry its anchor).
        form = kind
        if data.is_valid():
            try:
                remark = post_services.remark_create(
                    kind=kind, author=request.user, post=post, **data.validated_data
                )
            except NewAccountLimited as limited:
                # The API's 429, as a message above the kept draft.
                errors[kind] = str(limited.detail)
                retry_after = limited.wait
                form = _reply_form(kind, data.validated_data.get("reply_to"))
            except post_services.UnknownReplyTarget as unknown:
                # The comment went (deleted, removed, blocked): the draft moves to the
                # comment form, with why.
                errors[kind] = unknown.message
            else:
                # A reply is shown where it went (under its top comment), the rest at the
                # head of their list.
                anchor = f"{kind}-{remark.id}" if remark_is_reply(remark) else f"{kind}s"
                return redirect(f"{request.path}#{anchor}")
        else:
            messages = [m for field in ("text", "reply_to") for m in data.errors.get(field, [])]
            errors[kind] = " ".join(_messages(messages))
            if "reply_to" not in data.errors:
                form = _reply_form(kind, fields.get("reply_to"))
        if form != kind:
            errors[form] = errors.pop(kind)
        # A NUL cannot be shown back in HTML; the rest of the draft is kept.
        drafts[form] = text.replace("\x00", "")
        status = 400 if retry_after is None else 429
    response = _render_post_page(request, post, errors=errors, drafts=drafts, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def remark_is_reply(remark) -> bool:
    return getattr(remark, "reply_to_id", None) is not None


def _form_id(raw: str):
    """A form's id field for an API serializer: digits as an int, anything else as sent
    (the serializer refuses it with the API's message)."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 20 else raw


def _reply_form(kind: str, reply_to) -> str:
    """The name of the form a remark came from: "reply-<id>" for a reply, else `kind`."""
    return f"reply-{reply_to}" if isinstance(reply_to, int) else kind


def threads(comments: list) -> list:
    """Comments grouped for the page: the top comments, oldest first, each with its
    `replies` (oldest first). A reply whose top comment is not shown (deleted, removed,
    blocked) stands on its own in its place, marked `orphan`. The API's list stays flat."""
    tops = {c.id: c for c in comments if c.reply_to_id is None}
    shown = []
    for comment in comments:
        comment.replies = []
        comment.orphan = False
    for comment in comments:
        top = tops.get(comment.reply_to_id) if comment.reply_to_id is not None else None
        if top is not None:
            top.replies.append(comment)
        else:
            comment.orphan = comment.reply_to_id is not None
            shown.append(comment)
    return shown


def _render_post_page(request, post, *, errors: dict, drafts: dict, status: int):
    """The post page, with the errors and drafts of a refused form (`errors` and `drafts`
    by form: "comment", "critique", "content_warning", or "reply-<id>" for the reply form
    under comment <id>)."""
    attach_media_lists([post])
    remarks = {}
    given: set[str] = set()
    if request.user.is_authenticated:
        for kind in REMARK_KINDS:
            model = post_services.REMARK_MODELS[kind]
            remarks[kind] = list(visible_remarks(model=model, post=post, viewer=request.user))
        given = appreciation_kinds_given(user=request.user, post=post)
    counts = {
        "heart": post.hearts_count,
        "praise": post.praise_count,
        "trophy": post.trophy_count,
    }
    reactions = [
        {"kind": kind, "label": label, "count": counts[kind], "given": kind in given}
        for kind, label in APPRECIATION_LABELS.items()
    ]
    reply_forms = {
        int(form.removeprefix("reply-")): {
            "error": errors.get(form, ""),
            "draft": drafts.get(form, ""),
        }
        for form in {*errors, *drafts}
        if form.startswith("reply-")
    }
    for comment in remarks.get("comment", []):
        comment.reply_form = reply_forms.pop(comment.id, None)
    for gone in reply_forms.values():
        # A reply form under a comment no longer shown: its draft comes back in the
        # comment form, so nothing typed is lost.
        errors.setdefault("comment", gone["error"])
        drafts.setdefault("comment", gone["draft"])
    # Comments in threads (a reply under its top comment); critiques as they come.
    shown = {
        kind: threads(items) if kind == "comment" else items for kind, items in remarks.items()
    }
    sections = [
        {
            "kind": kind,
            "title": "Comments" if kind == "comment" else "Critiques",
            "count": len(remarks.get(kind, [])),
            "items": shown.get(kind, []),
            "error": errors.get(kind, ""),
            "draft": drafts.get(kind, ""),
            "prompt": "Say something kind" if kind == "comment" else "What works, what could",
        }
        for kind in REMARK_KINDS
    ]
    context = {
        "post": post,
        "media": post.attached_media,
        "cover": _cover(post),
        "show_sensitive": shows_sensitive_content(request.user),
        "cw_error": errors.get("content_warning", ""),
        "cw_draft": drafts.get("content_warning", ""),
        "sections": sections,
        "reactions": reactions,
    }
    return render(request, "web/post.html", context, status=status)


def _cover(post):
    """The post's first media with a thumbnail (a picture, a video's poster, an audio's
    cover), or None: what its grid tile shows, and what a content warning blurs."""
    return next((m for m in post.attached_media if m.thumbnail), None)


def _edit_warning_from_page(request, post):
    """The author's content warning, through PATCH /api/posts/{id}/'s serializer and
    service (the same rules and messages); back to the post, or the page with the refusal
    (400 for bad input, 403 for a warning staff set)."""
    if post.author_id != request.user.id:
        return HttpResponseForbidden(post_services.NotTheAuthor.default_message)
    raw = request.POST.get("content_warning", "")
    data = PostDetailApi.UpdateSerializer(data={"content_warning": raw})
    status = 400
    if data.is_valid():
        try:
            post_services.post_update(post=post, editor=request.user, **data.validated_data)
        except post_services.WarningSetByStaff as refused:
            errors = {"content_warning": refused.message}
            status = 403
        else:
            return redirect(f"{request.path}#post-{post.id}")
    else:
        errors = {"content_warning": " ".join(_messages(data.errors.get("content_warning", [])))}
    # A NUL cannot be shown back in HTML; the rest of the draft is kept.
    drafts = {"content_warning": raw.replace("\x00", "")}
    return _render_post_page(request, post, errors=errors, drafts=drafts, status=status)


# The reactions a post page offers, in order, with what their buttons say.
APPRECIATION_LABELS = {"heart": "Heart", "praise": "Praise", "trophy": "Trophy"}


def _appreciate_from_page(request, post):
    """Give (give=1) or take back (give=0) a heart, praise or trophy; back to the post."""
    kind = request.POST.get("appreciation", "")
    give = request.POST.get("give", "")
    if kind not in APPRECIATION_LABELS or give not in ("0", "1"):
        raise Http404("No such reaction.")
    if give == "1":
        post_services.appreciation_add(user=request.user, post=post, kind=kind)
    else:
        post_services.appreciation_remove(user=request.user, post=post, kind=kind)
    return redirect(f"{request.path}#reactions")


def _delete_remark_from_page(request, post):
    """Delete my own comment or critique (soft delete, as the API); back to the list."""
    kind = request.POST.get("kind", "")
    raw = request.POST.get("remark", "")
    if kind not in REMARK_KINDS or not (raw.isascii() and raw.isdigit()):
        raise Http404("No such remark.")
    model = post_services.REMARK_MODELS[kind]
    remark = get_live_remark(model=model, post=post, remark_id=int(raw))
    if remark.author_id != request.user.id:
        return HttpResponseForbidden("You can only delete your own comments and critiques.")
    post_services.remark_soft_delete(kind=kind, remark=remark)
    return redirect(f"{request.path}#{kind}s")


def _form_errors(error: ValidationError | DomainError) -> dict[str, list[str]]:
    """A serializer's or a service's refusal as {field: [messages]} for a form page."""
    detail = error.detail if isinstance(error, ValidationError) else error.body()
    if not isinstance(detail, dict):
        detail = {"detail": detail}
    return {field: _messages(messages) for field, messages in detail.items()}


def _messages(detail) -> list[str]:
    """The messages in one field's error, flattened: a list field's errors come keyed by
    the position of the bad item ({0: ['"x" is not a valid choice.']})."""
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _messages(value)]
    return [str(detail)]


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "HEAD", "POST"])
def signup_page(request):
    """Create an account (the same rules as POST /api/auth/register/) and log in."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    errors: dict[str, list[str]] = {}
    values = {"username": "", "email": "", "artist_type": ArtistType.OTHER}
    if request.method == "POST":
        values = {
            "username": request.POST.get("username", ""),
            "email": request.POST.get("email", ""),
            "artist_type": request.POST.get("artist_type", ArtistType.OTHER),
        }
        # The same `auth` count per client address as POST /api/auth/register/.
        throttle = AuthThrottle()
        if not throttle.allow_request(request, None):
            wait = max(1, math.ceil(throttle.wait() or 1))
            context = {
                "errors": {"detail": [f"Too many attempts. Try again in {wait} seconds."]},
                "values": values,
                "artist_types": ArtistType.choices,
                "next": _safe_next(request),
            }
            response = render(request, "web/signup.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        data = RegisterApi.InputSerializer(
            data={**values, "password": request.POST.get("password", "")}
        )
        try:
            data.is_valid(raise_exception=True)
            user, _token = user_register(**data.validated_data)
        except (ValidationError, DomainError) as error:
            errors = _form_errors(error)
        else:
            login(request, user, backend=BACKEND_PATH)
            return redirect(_safe_next(request))
    context = {
        "errors": errors,
        "values": values,
        "artist_types": ArtistType.choices,
        "next": _safe_next(request),
    }
    return render(request, "web/signup.html", context, status=400 if errors else 200)


@require_safe
@login_required
def compose_page(request):
    """The composer: a shell whose script uploads media and creates the post via the API."""
    groups: dict[int, dict] = {}
    for channel in channels_to_post_in(request.user):
        group = groups.setdefault(
            channel.collective_id, {"name": channel.collective.name, "channels": []}
        )
        group["channels"].append(channel)
    context = {
        "post_types": PostType.choices,
        "collectives": list(groups.values()),
        "max_media": MAX_MEDIA_PER_POST,
    }
    return render(request, "web/compose.html", context)


PROFILE_POSTS = 60


@require_safe
@login_required
def profile_page(request, pk: int):
    """A member's page: their avatar, name and bio, their pinned posts (first page), their
    posts as a grid (PROFILE_POSTS a page, `?page=N`), a fellow request button, a block
    button.

    The count said is the number of posts the viewer may see, the ones the pages of the
    grid hold. Someone who blocked me (or whom I blocked) is a 404 page, like
    GET /api/users/{id}/.
    """
    profile = get_user_profile(viewer=request.user, user_id=pk)
    # get_page: a page number that is not one is the first page, one past the end the last.
    grid = Paginator(posts_by_author(request.user, profile.id), PROFILE_POSTS).get_page(
        request.GET.get("page")
    )
    posts = list(grid.object_list)
    # The pins go first, on the first page, through the same visibility rule as the grid.
    pinned = pinned_posts(request.user, profile.id) if grid.number == 1 else []
    attach_media_lists([*posts, *pinned])
    relation = None
    if profile.id != request.user.id:
        relation = fellow_relation(request.user.id, profile.id)
    tiles = [{"post": post, "cover": _cover(post)} for post in posts]
    context = {
        "profile": profile,
        "tiles": tiles,
        "pinned_tiles": [{"post": post, "cover": _cover(post)} for post in pinned],
        "relation": relation,
        "grid": grid,
        "show_sensitive": shows_sensitive_content(request.user),
    }
    return render(request, "web/profile.html", context)


COLLECTIVE_POSTS = 30


@require_safe
@login_required
def collectives_page(request):
    """The collectives I belong to, then the public ones to join."""
    collectives = list(collectives_for(request.user)[:200])
    return render(request, "web/collectives.html", {"collectives": collectives})


COLLECTIVE_MEMBERS_SHOWN = 200


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def collective_page(request, pk: int):
    """A collective: its channels, its newest posts (members), join or leave.

    Its owner also sees its moderators, to name or remove them; its moderators (and the
    owner) its members, to ban, its bans, to lift, and a "Remove from collective" form on
    each post. Each is a plain form posting `action` back here, checked by the API's
    serializer and carried out by the service the API calls (moderation.services), which
    decides who may. A private collective I am not in is a 404 page, like the API.
    """
    if not 0 < pk < 2**63:
        raise Http404("No such collective.")
    collective = get_visible_collective(request.user, pk)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            _collective_form(request, collective)
        except (ValidationError, DomainError) as error:
            errors = _form_errors(error)
            status = error.status_code if isinstance(error, DomainError) else 400
        else:
            return redirect("web:collective", pk=collective.pk)
    posts: list = []
    if collective.my_role is not None:
        posts = list(posts_in_collective(request.user, collective.id)[:COLLECTIVE_POSTS])
        attach_media_lists(posts)
    tiles = [{"post": post, "cover": _cover(post)} for post in posts]
    context = {
        "collective": collective,
        "tiles": tiles,
        "channels": collective.channels.all(),
        "show_sensitive": shows_sensitive_content(request.user),
        "errors": errors,
        **_collective_moderation(request.user, collective),
    }
    return render(request, "web/collective.html", context, status=status)


def _posted_id(request, name: str):
    """A form's id as the JSON the API takes: digits as a number, anything else left a
    string (which the API's serializer then refuses, with its own message)."""
    raw = request.POST.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 30 else raw


def _collective_form(request, collective) -> None:
    """Carry out one moderation form of the collective page (raises what the API answers)."""
    action = request.POST.get("action", "")
    actor = request.user
    if action in ("moderator_add", "moderator_remove", "unban"):
        form = UserIdInput(data={"user_id": _posted_id(request, "user_id")})
        form.is_valid(raise_exception=True)
        write = {
            "moderator_add": moderation_services.collective_moderator_add,
            "moderator_remove": moderation_services.collective_moderator_remove,
            "unban": moderation_services.collective_unban,
        }[action]
        write(actor=actor, collective=collective, user=form.validated_data["user_id"])
    elif action == "ban":
        form = BanInput(
            data={"user_id": _posted_id(request, "user_id"), "reason": request.POST.get("reason")}
        )
        form.is_valid(raise_exception=True)
        moderation_services.collective_ban(
            actor=actor,
            collective=collective,
            user=form.validated_data["user_id"],
            reason=form.validated_data["reason"],
        )
    elif action == "remove_post":
        form = CollectiveActionInput(
            data={
                "post_id": _posted_id(request, "post_id"),
                "action": "remove",
                "reason": request.POST.get("reason"),
            }
        )
        form.is_valid(raise_exception=True)
        moderation_services.collective_post_act(
            actor=actor,
            collective=collective,
            post_id=form.validated_data["post_id"],
            action="remove",
            reason=form.validated_data["reason"],
        )
    else:
        raise Http404("No such action.")


def _collective_moderation(user, collective) -> dict:
    """What the page shows the collective's owner and moderators (nothing to others)."""
    role = moderation_role(user.id, collective.id) if collective.my_role else None
    if role is None:
        return {"role": None}
    moderators = list(collective_moderators(collective.id))
    moderator_ids = {m.user_id for m in moderators}
    members = [
        {
            "member": member,
            "is_moderator": member.user_id in moderator_ids,
            # Nobody bans the owner or themself; only the owner bans a moderator.
            "can_ban": member.role != "admin"
            and member.user_id != user.id
            and (role == OWNER or member.user_id not in moderator_ids),
        }
        for member in collective_members(collective.id)[:COLLECTIVE_MEMBERS_SHOWN]
    ]
    candidates = [
        row["member"].user
        for row in members
        if row["member"].role != "admin" and not row["is_moderator"]
    ]
    return {
        "role": role,
        "moderators": moderators,
        "members": members,
        "candidates": candidates,
        "bans": list(collective_bans(collective.id)[:COLLECTIVE_MEMBERS_SHOWN]),
    }


SEARCH_PAGE_SIZE = 24
# The tabs of /search/, in order: the API's types and what the page calls them.
SEARCH_TABS = {"posts": "Posts", "people": "People", "collectives": "Collectives", "tags": "Tags"}
SEARCH_NOUNS = {"posts": "post", "people": "member", "collectives": "collective", "tags": "tag"}


def _search_tiles(posts: list) -> list[dict]:
    """Posts as the grid's tiles (as on a member's page): each with its cover, if any."""
    attach_media_lists(posts)
    return [
        {"post": post, "cover": next((m for m in post.attached_media if m.thumbnail), None)}
        for post in posts
    ]


@require_safe
def search_page(request):
    """Search, with a tab per type (`?q=&type=&page=`): the API's parameters, checked by
    its own serializer, and the same selector, so the page finds what the API finds.

    Without a query it asks for one. People and collectives are for members, as in the API:
    a visitor on those tabs is asked to log in.
    """
    q = request.GET.get("q", "")
    kind = request.GET.get("type") or "posts"
    context = {
        "q": q.strip(),
        "type": kind if kind in SEARCH_TABS else "posts",
        "tabs": SEARCH_TABS,
        "errors": [],
        "show_sensitive": shows_sensitive_content(request.user),
    }
    if not q.strip():
        return render(request, "web/search.html", context)
    params = SearchQuerySerializer(
        data={
            "q": q,
            "type": kind,
            "page": request.GET.get("page") or 1,
            "page_size": SEARCH_PAGE_SIZE,
        }
    )
    if not params.is_valid():
        context["errors"] = _messages(params.errors)
        return render(request, "web/search.html", context, status=400)
    p = params.validated_data
    if kind in MEMBERS_ONLY and not request.user.is_authenticated:
        context["log_in_to_search"] = True
        return render(request, "web/search.html", context)
    offset = (p["page"] - 1) * SEARCH_PAGE_SIZE
    viewer = request.user if request.user.is_authenticated else None
    found = search(kind, viewer, parse(p["q"]), offset=offset, limit=SEARCH_PAGE_SIZE)
    if p["page"] > 1 and found.is_past_the_end(offset):
        raise Http404("That page is past the end of the results.")
    context.update(
        searched=True,
        found=found,
        results=_search_tiles(found.results) if kind == "posts" else found.results,
        page=p["page"],
        first=offset + 1,
        last=offset + len(found.results),
        has_next=len(found.results) == SEARCH_PAGE_SIZE and offset + SEARCH_PAGE_SIZE < found.count,
        noun=SEARCH_NOUNS[kind],
    )
    return render(request, "web/search.html", context)


NOTIFICATIONS_SHOWN = 100
# How each kind of notification reads after the actor's name.
NOTIFICATION_TEXT = {
    "heart": "gave a heart to",
    "praise": "praised",
    "trophy": "gave a trophy to",
    "comment": "commented on",
    "critique": "wrote a critique of",
    "reply": "replied to",
    "fellow_request": "asked to be your fellow",
    "fellow_accept": "accepted your fellow request",
}
# How a page names each kind of moderation target in a sentence (moderation_views.py too).
TARGET_WORDS = {
    "post": "post",
    "comment": "comment",
    "critique": "critique",
    "user": "member",
    "collective": "collective",
}


def _moderation_notice(notification) -> dict | None:
    """What a moderation notice says and where it leads (the decisions page), or None for
    another kind. The moderators act as one: no staff member is named."""
    kind = notification.kind
    if kind not in ("report_decided", "decision", "appeal_decided"):
        return None
    word = TARGET_WORDS.get(notification.target_type, "content")
    mine = "your account" if notification.target_type == "user" else f"your {word}"
    if kind == "report_decided":
        text, anchor = f"The moderators decided on your report about a {word}.", "reports"
    elif kind == "decision":
        text, anchor = f"The moderators took a decision about {mine}. Read why.", "decisions"
    else:
        text, anchor = f"The moderators decided on your appeal about {mine}.", "decisions"
    return {"text": text, "link": f"{reverse('web:decisions')}#{anchor}"}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def notifications_page(request):
    """My notifications, newest first, and my pending fellow requests to accept or decline.

    Plain forms: `action=read_all` marks everything read; `action=accept|decline` with
    `request_id` answers a fellow request (then back here).
    """
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "read_all":
            notifications_mark_read(user=request.user, ids=None)
        elif action in ("accept", "decline"):
            raw = request.POST.get("request_id", "")
            if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 2**63:
                raise Http404("No such request.")
            respond = fellow_request_accept if action == "accept" else fellow_request_decline
            try:
                respond(user=request.user, request_id=int(raw))
            except NotFound:
                raise Http404("No such request.") from None
            except InvalidState:
                pass  # already answered, or blocked since: the list below shows how it stands
        else:
            raise Http404("No such action.")
        return redirect("web:notifications")
    items = [
        {
            "notification": n,
            "text": NOTIFICATION_TEXT.get(n.kind, n.kind),
            "moderation": _moderation_notice(n),
        }
        for n in notification_list(user=request.user, limit=NOTIFICATIONS_SHOWN)
    ]
    incoming = list(incoming_fellow_requests(request.user.id))
    context = {
        "items": items,
        "incoming": incoming,
        "unread": sum(1 for item in items if not item["notification"].is_read),
    }
    return render(request, "web/notifications.html", context)


def _posted_numbers(request, name: str) -> list:
    """A list of checkboxes as the JSON the API takes: digits as numbers, anything else
    left a string (which the API's serializer then refuses, with its own message)."""
    return [
        int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 1000 else raw
        for raw in request.POST.getlist(name)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def settings_page(request):
    """The seed plan's preferences: preferred kinds of post and artist, muted collectives,
    blocked members, and "Always show sensitive content". One plain form; saving replaces
    all of them (the same serializer and service as PUT /api/user/preferences/)."""
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        # The form replaces all four lists and the flag, as PUT does, through the same
        # serializer.
        data = PreferencesApi.InputSerializer(
            data={
                "preferred_post_types": request.POST.getlist("preferred_post_types"),
                "preferred_artist_types": request.POST.getlist("preferred_artist_types"),
                "muted_collectives": _posted_numbers(request, "muted_collectives"),
                "blocked_users": _posted_numbers(request, "blocked_users"),
                # A checkbox: "true" when ticked, absent (off) when not.
                "show_sensitive_content": request.POST.get("show_sensitive_content", False),
            }
        )
        try:
            data.is_valid(raise_exception=True)
            preferences_update(user=request.user, **data.validated_data)
        except (ValidationError, DomainError) as error:
            errors = _form_errors(error)
        else:
            return redirect(f"{reverse('web:settings')}?saved=1")
    current = preferences_of(request.user)
    collectives = list(collectives_to_mute(request.user, muted_ids=current["muted_collectives"]))
    blocked_users = list(users_with_ids(current["blocked_users"]))
    context = {
        "current": current,
        "post_types": PostType.choices,
        "artist_types": ArtistType.choices,
        "collectives": collectives,
        "blocked_users": blocked_users,
        "errors": errors,
        "saved": request.GET.get("saved") == "1" and not errors,
    }
    return render(request, "web/settings.html", context, status=400 if errors else 200)


AVATAR_CHOICES = 24


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile_settings_page(request):
    """My profile: display name, bio and avatar (an upload, or one of my latest pictures).
    The form is checked by PATCH /api/users/me/'s serializer and saved by the same
    services; an uploaded avatar goes through the media pipeline like any upload."""
    errors: dict[str, list[str]] = {}
    status = 400
    if request.method == "POST":
        fields = {
            "display_name": request.POST.get("display_name", ""),
            "bio": request.POST.get("bio", "").replace("\r\n", "\n"),
        }
        choice = request.POST.get("avatar", "")
        if choice == "none":
            fields["avatar"] = None
        elif choice.isascii() and choice.isdigit():
            fields["avatar"] = int(choice)
        data = ProfileInputSerializer(data=fields)
        try:
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            upload = request.FILES.get("avatar_upload")
            if upload is not None:
                values["avatar"] = media_upload(owner=request.user, upload=upload).id
            profile_update(user=request.user, **values)
        except UploadRejected as rejected:
            errors = {"avatar": [rejected.message]}
        except NewAccountLimited as limited:  # the API's 429, as a message on the form
            errors = {"avatar": [str(limited.detail)]}
            status = 429
        except (ValidationError, DomainError) as error:
            errors = _form_errors(error)
        else:
            return redirect(f"{reverse('web:profile_settings')}?saved=1")
    context = {
        "errors": errors,
        "images": list(images_of(request.user, limit=AVATAR_CHOICES)),
        "draft": request.POST if errors else None,
        "saved": request.GET.get("saved") == "1" and not errors,
        "max_display_name": MAX_DISPLAY_NAME,
        "max_bio": MAX_BIO,
    }
    return render(request, "web/profile_settings.html", context, status=status if errors else 200)


class LoginView(auth_views.LoginView):
    """Django's log-in form; refused with a 429 page while a log-in limit holds."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # The log-in limits live in the authentication backend, shared by every door.
        try:
            return super().post(request, *args, **kwargs)
        except AccountSuspended as suspended:
            # The right password of a suspended account: why, and how to appeal.
            form = self.get_form_class()(request)
            context = self.get_context_data(
                form=form,
                suspension=suspended.statement,
                suspended_username=request.POST.get("username", "")[:150],
            )
            return self.render_to_response(context, status=403)
        except LoginLimited as limited:
            # An unbound form: a bound one would check the password when rendered.
            form = self.get_form_class()(request)
            context = self.get_context_data(form=form, throttled_wait=limited.wait)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(limited.wait)
            return response


class LogoutView(auth_views.LogoutView):
    # Django's LogoutView takes POST only (a GET could be forged by any image tag).
    next_page = "/"
