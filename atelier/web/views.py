"""The pages: the feed (/), the staff dashboard (/dashboard/), log-in and log-out.

The pages are thin shells: the feed and the dashboard fetch their data from the JSON API
with the session (see static/web/*.js), so there is one source of truth for both.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from atelier.feed.config import load_ranking
from atelier.media.selectors import attach_media_lists
from atelier.post import services as post_services
from atelier.post.selectors import get_visible_post
from atelier.web.selectors import ranking_weights

REMARK_KINDS = ("comment", "critique")
REMARK_MAX_LENGTH = 10_000

ORDERINGS = ("personalized", "chronological")
DASHBOARD_DAYS = (7, 30, 90)


@require_safe
def feed_page(request):
    """The feed as cards: personalized for a signed-in user, newest first for visitors."""
    ordering = request.GET.get("ordering")
    if not request.user.is_authenticated:
        ordering = "chronological"
    elif ordering not in ORDERINGS:
        ordering = "personalized"
    weights = ranking_weights(load_ranking())
    how_ranked = [
        {
            "key": name,
            "label": weights["labels"][name],
            "help": weights["help"][name],
            "weight": weights["weights"][name],
            "max_contribution": weights["weights"][name] * weights["max_points"][name],
        }
        for name in weights["components"]
    ]
    context = {"ordering": ordering, "weights": weights, "how_ranked": how_ranked}
    return render(request, "web/feed.html", context)


@require_safe
@login_required
def dashboard_page(request):
    """Staff analytics as charts; a signed-in non-staff user gets a 403 page."""
    if not request.user.is_staff:
        return render(request, "web/forbidden.html", status=403)
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    if days not in DASHBOARD_DAYS:
        days = 30
    return render(request, "web/dashboard.html", {"days": days, "day_choices": DASHBOARD_DAYS})


@require_http_methods(["GET", "HEAD", "POST"])
def post_page(request, pk: int):
    """A post with its media, comments and critiques; members write remarks with a plain
    form (POST, then a redirect back to the list they wrote in).

    Visitors see public posts (as on the public feed) and are asked to log in for remarks;
    a post the viewer may not see is a 404 page, like the API.
    """
    post = get_visible_post(request.user, pk) if pk < 2**63 else None
    if post is None:
        raise Http404("No such post.")
    errors: dict[str, str] = {}
    drafts: dict[str, str] = {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('web:login')}?next={request.path}")
        kind = request.POST.get("kind", "")
        text = request.POST.get("text", "").strip()
        if kind not in REMARK_KINDS:
            raise Http404("No such kind of remark.")
        if not text:
            errors[kind] = f"Write something before sending your {kind}."
        elif len(text) > REMARK_MAX_LENGTH:
            errors[kind] = f"At most {REMARK_MAX_LENGTH} characters, please."
            drafts[kind] = text
        else:
            post_services.remark_create(kind=kind, author=request.user, post=post, text=text)
            return redirect(f"{request.path}#{kind}s")
    attach_media_lists([post])
    remarks = {}
    if request.user.is_authenticated:
        for kind in REMARK_KINDS:
            model = post_services.REMARK_MODELS[kind]
            remarks[kind] = list(
                model.objects.filter(post=post, is_deleted=False)
                .select_related("author")
                .order_by("created_at", "id")
            )
    sections = [
        {
            "kind": kind,
            "title": "Comments" if kind == "comment" else "Critiques",
            "items": remarks.get(kind, []),
            "error": errors.get(kind, ""),
            "draft": drafts.get(kind, ""),
            "prompt": "Say something kind" if kind == "comment" else "What works, what could",
        }
        for kind in REMARK_KINDS
    ]
    context = {"post": post, "media": post.attached_media, "sections": sections}
    return render(request, "web/post.html", context, status=400 if errors else 200)


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    # Django's LogoutView takes POST only (a GET could be forged by any image tag).
    next_page = "/"
