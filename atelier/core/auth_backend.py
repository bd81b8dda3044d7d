"""The one authentication backend, behind the log-in limits, and the 429 it answers with.

Every log-in door calls `django.contrib.auth.authenticate(request, ...)` — the `/login/`
page, `POST /api/auth/token/`, DRF's browsable `/api-auth/login/`, the admin's log-in and
any view added later — and authenticate() asks the backends in AUTHENTICATION_BACKENDS.
Counting attempts here, rather than in each view, is what makes the doors share one limit
(atelier/core/throttling.py, `LoginAttempt`; docs/security.md).

A refused attempt raises LoginLimited, a DRF `Throttled`: an API view answers it 429 with
`Retry-After` through DRF's exception handler; for a plain Django view (a log-in form)
LoginLimitedMiddleware answers it the same way. It is deliberately not PermissionDenied,
which authenticate() would turn into "wrong password" — the right password must be
refused too, and the client told why and for how long.
"""

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html

from atelier.core.throttling import LoginAttempt, LoginLimited

BACKEND_PATH = "atelier.core.auth_backend.RateLimitedModelBackend"


def _username(username, kwargs):
    if username is None:
        username = kwargs.get(get_user_model().USERNAME_FIELD)
    return username


class RateLimitedModelBackend(ModelBackend):
    """Django's ModelBackend, after the attempt has passed the log-in limits."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = _username(username, kwargs)
        if username is None or password is None:
            return None
        attempt = LoginAttempt(request, str(username))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            attempt.succeeded()
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        username = _username(username, kwargs)
        if username is None or password is None:
            return None
        attempt = await sync_to_async(LoginAttempt)(request, str(username))
        user = await super().aauthenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            await sync_to_async(attempt.succeeded)()
        return user


class LoginLimitedMiddleware:
    """Answer a LoginLimited raised in a plain Django view (a log-in form) with a 429."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, LoginLimited):
            return None
        message = str(exception.detail)
        if request.path_info.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            response = JsonResponse({"detail": message}, status=429)
        else:
            response = HttpResponse(
                format_html(
                    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                    "<title>Too many log-in attempts</title></head><body>"
                    '<h1>Too many log-in attempts</h1><p role="alert">{}</p>'
                    '<p><a href="{}">Back to the log-in form</a></p></body></html>',
                    message,
                    request.get_full_path(),
                ),
                status=429,
            )
        response["Retry-After"] = str(exception.wait)
        return response
