"""URL routes: the pages, the API under /api/, its schema and docs, the admin, the probes."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from atelier.analytics.apis import metrics_view

urlpatterns = [
    # The pages: the feed at /, /login/, /logout/, /dashboard/ (and their small JSON helpers).
    path("", include("atelier.web.urls")),
    # Health probes for the load balancer and the orchestrator: /healthz, /readyz.
    path("", include("atelier.ops.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api_docs/redoc.html"),
        name="redoc",
    ),
    path("api/", include("atelier.core.urls")),
    path("api/", include("atelier.collective.urls")),
    path("api/", include("atelier.post.urls")),
    path("api/", include("atelier.feed.urls")),
    path("api/", include("atelier.notification.urls")),
    path("api/", include("atelier.gallery.urls")),
    path("api/", include("atelier.analytics.urls")),
    path("metrics", metrics_view, name="metrics"),
    path("api-auth/", include("rest_framework.urls")),
]
