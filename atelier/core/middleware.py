"""Every answer under /api/ is JSON, including the ones Django gives before DRF is reached.

DRF answers its own errors in JSON. What it never sees — a path no route matches
(`/api/nope/`, `/api/posts/-1/`), Django's 400 for a suspicious request, a 500 page — is
turned into the same `{"detail": "..."}` shape here, whatever DEBUG says. A DRF response
(which may be the browsable API's HTML, asked for by a browser) is left alone.
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.urls import is_valid_path

API_PREFIX = "/api/"
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
_DETAILS = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "Request body too large.",
    500: "Server error.",
}


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") and not request.path_info.endswith("/"):
            # Django would redirect (losing the body) or, with DEBUG, raise a RuntimeError.
            with_slash = request.path_info + "/"
            if is_valid_path(with_slash, getattr(request, "urlconf", None)):
                return JsonResponse(
                    {"detail": f"Not found. API paths end with a slash: {with_slash}"},
                    status=404,
                )
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and not _is_json(response)
            and getattr(response, "accepted_renderer", None) is None
        ):
            code = response.status_code
            detail = _DETAILS.get(code) or HTTPStatus(code).phrase
            json_response = JsonResponse({"detail": detail}, status=code)
            for header in _KEPT_HEADERS:
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response
