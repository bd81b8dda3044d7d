"""A request id for every request (X-Request-ID) and one log line when it is answered."""

import logging
import re
import time
import uuid

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
    # a view has authenticated the request.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
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
