"""GET /healthz (the process answers) and GET /readyz (it can serve): JSON, no auth."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from atelier.ops.health import is_ready, readiness


@never_cache
@require_safe
def healthz(request):
    """200 whenever the process can answer; touches neither the database nor Redis."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """200 when the database, its migrations and Redis (when configured) are ready, else 503."""
    checks = readiness()
    ready = is_ready(checks)
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )
