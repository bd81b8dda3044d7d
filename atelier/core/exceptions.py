"""Domain errors and the API's one exception handler.

Services raise the domain errors below (plain Python, no HTTP in them); this handler maps
them, DRF's own exceptions and the request-level refusals of Django to HTTP answers with
one error shape (docs/api.md): `{"detail": "message"}`, or `{"field": ["message"]}` for input
that names a field. Nothing a client sends may end as a 500.
"""

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import IntegrityError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback


class DomainError(Exception):
    """A request the domain refuses. `field` names the input at fault, if any."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_message = "This cannot be done."

    def __init__(
        self,
        message: str | list[str] | None = None,
        *,
        field: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ):
        self.message = message or self.default_message
        self.field = field
        self.errors = errors  # several fields at once: {"field": ["message", ...]}
        super().__init__(self.message)

    def body(self) -> dict:
        if self.errors:
            return dict(self.errors)
        messages = self.message if isinstance(self.message, list) else [self.message]
        if self.field:
            return {self.field: messages}
        return {"detail": " ".join(messages)}


class InvalidInput(DomainError):
    """Well-formed input the current data refuses (an unknown id, a taken name): 400."""

    default_message = "Invalid input."


class InvalidState(DomainError):
    """A well-formed request the current state forbids: 400."""

    default_message = "This cannot be done in the current state."


class NotAllowed(DomainError):
    """The actor may see the object but not do this to it: 403."""

    status_code = status.HTTP_403_FORBIDDEN
    default_message = "You do not have permission to perform this action."


class NotFound(DomainError):
    """Missing, or not visible to the actor (answered exactly alike): 404."""

    status_code = status.HTTP_404_NOT_FOUND
    default_message = "Not found."


def _error(body: dict, http_status: int) -> Response:
    set_rollback()
    return Response(body, status=http_status)


def api_exception_handler(exc, context):
    """Map an exception raised in an API view to its JSON answer; None only for real bugs."""
    if isinstance(exc, DomainError):
        return _error(exc.body(), exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return _error(
            {"detail": f"Request body too large: at most {limit} bytes."},
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return _error({"detail": "Too many parameters."}, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, SuspiciousOperation):
        return _error({"detail": "Bad request."}, status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None and isinstance(exc, IntegrityError):
        # A lost race that no service turned into a precise answer: retrying is safe.
        return _error(
            {"detail": "This conflicts with existing data; retry the request."},
            status.HTTP_409_CONFLICT,
        )
    return response
