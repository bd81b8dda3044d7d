"""The API's exception handler: DRF's, plus a 400 for database integrity races."""

from django.db import IntegrityError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    """Return DRF's error response; turn a lost uniqueness race into a 409, never a 500."""
    response = exception_handler(exc, context)
    if response is None and isinstance(exc, IntegrityError):
        return Response(
            {"detail": "This conflicts with existing data; retry the request."},
            status=status.HTTP_409_CONFLICT,
        )
    return response
