"""Health probes at the root: /healthz and /readyz."""

from django.urls import path

from atelier.ops.apis import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
