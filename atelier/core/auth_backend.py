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

A suspended member who gives the RIGHT password is told so: AccountSuspended (403) with
the statement of reasons, which moderation supplies through `core.signals.
suspension_statement` (core imports no feature app). A wrong password is "wrong password"
whoever the account is, so suspension is revealed to nobody who lacks the password; the
password is checked the same way (one hash) either way.
"""

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from rest_framework import status
from rest_framework.exceptions import APIException

from atelier.core import signals as core_signals
from atelier.core.throttling import LoginAttempt, LoginLimited

BACKEND_PATH = "atelier.core.auth_backend.RateLimitedModelBackend"


def _username(username, kwargs):
    if username is None:
        username = kwargs.get(get_user_model().USERNAME_FIELD)
    return username


SUSPENDED_MESSAGE = "This account is suspended."


def suspension_statement(user) -> dict:
    """What a suspended member is told at log-in: `suspended_at` and whatever the
    receivers of `suspension_statement` add (moderation: the decision and how to appeal)."""
    statement = {"suspended_at": user.suspended_at.isoformat() if user.suspended_at else None}
    for _receiver, answer in core_signals.suspension_statement.send(None, user=user):
        if answer:
            statement.update(answer)
    return statement


class AccountSuspended(APIException):
    """The right password of a suspended account (403, with the statement of reasons).

    `user` is the account, for a view that goes on (the appeal of a suspension)."""

    status_code = status.HTTP_403_FORBIDDEN
    default_code = "account_suspended"

    def __init__(self, user):
        self.user = user
        self.statement = suspension_statement(user)
        super().__init__()
        # The body: {"detail": "This account is suspended.", "suspended_at": ..., ...}.
        self.detail = {"detail": SUSPENDED_MESSAGE, **self.statement}


class RateLimitedModelBackend(ModelBackend):
    """Django's ModelBackend, after the attempt has passed the log-in limits, that tells a
    suspended member with the right password why they cannot log in (AccountSuspended)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = _username(username, kwargs)
        if username is None or password is None:
            return None
        attempt = LoginAttempt(request, str(username))
        user = self._user_for(str(username), password)
        if user is not None:
            # The password was right: no failed attempt, suspended or not.
            attempt.succeeded()
            if user.suspended_at is not None:
                raise AccountSuspended(user)
            if not self.user_can_authenticate(user):
                return None
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )

    def _user_for(self, username: str, password: str):
        """The account if `password` is its password, whatever its state; else None."""
        model = get_user_model()
        try:
            user = model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            # Hash once all the same, so an unknown name takes as long as a known one.
            model().set_password(password)
            return None
        return user if user.check_password(password) else None


class LoginLimitedMiddleware:
    """Answer a LoginLimited raised in a plain Django view (a log-in form) with a 429."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AccountSuspended):
            return _suspended_response(request, exception)
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


def _suspended_response(request, exception: AccountSuspended):
    """A suspended member's right password at a plain Django log-in form (the admin's,
    DRF's browsable one); the /login/ page shows the statement itself."""
    if request.path_info.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return JsonResponse(exception.detail, status=403)
    reason = exception.statement.get("reason") or ""
    return HttpResponse(
        format_html(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Account suspended</title></head><body>"
            '<h1>Account suspended</h1><p role="alert">{}</p><p>{}</p>'
            '<p><a href="/login/">Read why and how to appeal</a></p></body></html>',
            SUSPENDED_MESSAGE,
            reason,
        ),
        status=403,
    )
