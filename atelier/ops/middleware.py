"""A request id for every request (X-Request-ID) and one log line when it is answered;
a lost database connection answered 503 (and a plain read run once more)."""

import contextlib
import logging
import re
import time
import uuid

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse

from atelier.analytics import exposures
from config.logs import current_request_id

logger = logging.getLogger("atelier.request")

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept when it looks like one (a proxy's or a client's, so one id follows
# the request through every log); anything else (too long, spaces, control characters,
# quotes) is replaced, so a client cannot forge log lines or fill them.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}")
# A path is the client's text, URL-decoded: control characters (a %0A would start a forged
# log line) are written escaped, and a very long path is cut.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_PATH = 500
# Probes come every second or so; their lines would drown the others at INFO.
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})


def request_id_for(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new random one (32 hex digits)."""
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def loggable_path(path: str) -> str:
    """The path with control characters escaped (\\x0a) and cut at 500 characters."""
    escaped = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", path)
    return escaped if len(escaped) <= _MAX_PATH else escaped[:_MAX_PATH] + "..."


def _user_id(request) -> int | None:
    # AuthenticationMiddleware's session user, which DRF replaces with the token user once
    # a view has authenticated the request. Not loaded yet, it is loaded here: after a lost
    # database connection that fails too, and the line says "-".
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated:
            return None
    except DatabaseError:
        return None
    return user.pk


class RequestLogMiddleware:
    """Give the request an id, answer it in the X-Request-ID header, log one line.

    Put it first in MIDDLEWARE: the time then covers every other middleware, and the id is
    set for every log record written while the request is answered (config.logs).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            user_id = _user_id(request)
            path = loggable_path(request.path)
            logger.log(
                logging.DEBUG if request.path in _QUIET_PATHS else logging.INFO,
                "%s %s %s %.1fms user=%s",
                request.method,
                path,
                response.status_code,
                duration_ms,
                user_id if user_id is not None else "-",
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                },
            )
            return response
        finally:
            current_request_id.reset(token)


# --- A lost database connection -------------------------------------------------------------

RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = "The database is unavailable; retry in a moment."
# Methods whose request a client expects to change nothing.
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A statement that may change data: its request is never run twice (a write cut off in
# flight may have committed).
_WRITE = re.compile(
    r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|MERGE|COPY|CREATE|ALTER|DROP|TRUNCATE)\b", re.I
)
_WRITE_IN_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.I)


def is_write(sql: str) -> bool:
    """Return True if the SQL statement may change data."""
    if _WRITE.match(sql):
        return True
    return sql.lstrip()[:4].upper() == "WITH" and _WRITE_IN_CTE.search(sql) is not None


def database_unavailable(request) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, a short text for the pages."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(
            DATABASE_UNAVAILABLE + "\n", status=503, content_type="text/plain; charset=utf-8"
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Answer a database connection lost mid-request (OperationalError, InterfaceError:
    the server restarted or failed over, the connection was terminated) with 503 and
    Retry-After, not a 500.

    A read - GET, HEAD or OPTIONS that ran no writing statement and queued no analytics
    record (the feed's exposure, a post open: atelier/analytics/exposures.py) - is run
    once more on fresh connections, so a client rarely sees the 503 at all and nothing is
    counted twice. A write is never run again: its statement may have committed before the
    connection went. Inside an atomic block spanning the request (ATOMIC_REQUESTS, a test)
    nothing is run again either.

    Put it after the request log and metrics (one line, one observation per request) and
    before the session and authentication middleware (a retry runs them again).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wrote = []

        def watch(execute, sql, params, many, context):
            if not wrote and is_write(sql):
                wrote.append(sql)
            return execute(sql, params, many, context)

        with contextlib.ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(watch))
            queued = stack.enter_context(exposures.watch_queued())
            response = self.get_response(request)
            if getattr(request, "database_failed", False) and self._may_run_again(
                request, wrote, queued
            ):
                logger.warning("database connection lost during a read: running it again")
                request.database_failed = False
                _close_connections()
                response = self.get_response(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "database unavailable during %s %s: %s",
            request.method,
            loggable_path(request.path),
            exception,
        )
        request.database_failed = True
        return database_unavailable(request)

    @staticmethod
    def _may_run_again(request, wrote: list, queued: list) -> bool:
        if request.method not in _READ_METHODS or wrote or queued:
            return False
        if getattr(request, "database_retried", False):
            return False
        request.database_retried = True
        return not any(c.in_atomic_block for c in connections.all(initialized_only=True))


def _close_connections() -> None:
    # Every connection this thread opened, broken or not: the retry opens fresh ones (a few
    # milliseconds, on the failure path only).
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            pass
