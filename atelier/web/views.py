"""The pages: the feed (/), the staff dashboard (/dashboard/), log-in and log-out.

The pages are thin shells: the feed and the dashboard fetch their data from the JSON API
with the session (see static/web/*.js), so there is one source of truth for both.
"""

import math

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from atelier.core.throttling import AuthThrottle
from atelier.feed.config import load_ranking
from atelier.web.selectors import ranking_weights

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


class LoginView(auth_views.LoginView):
    """Django's log-in form, limited like the API's token endpoint (the `auth` rate)."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        throttle = AuthThrottle()
        if not throttle.allow_request(request, self):
            wait = max(1, math.ceil(throttle.wait() or 1))
            # An unbound form: a bound one would check the password when rendered.
            form = self.get_form_class()(request)
            context = self.get_context_data(form=form, throttled_wait=wait)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    # Django's LogoutView takes POST only (a GET could be forged by any image tag).
    next_page = "/"
