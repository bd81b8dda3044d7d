"""Times every request for Prometheus and gives a served feed page its response time."""

import time

from atelier.analytics import exposures, metrics


def _route(request) -> str:
    # The URL pattern that matched ("api/posts/<int:pk>/"), never the raw path: one label
    # value per route, however many ids are requested.
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return "/" + (match.route or "")


class RequestMetricsMiddleware:
    """Observe each request's latency by route, method and status class.

    Put it first in MIDDLEWARE so the time includes every other middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        metrics.observe_request(_route(request), request.method, response.status_code, seconds)
        exposures.page_finished(request, seconds)
        return response
