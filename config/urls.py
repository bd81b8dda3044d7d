"""URL routes: the pages, the API under /api/, its schema and docs, the admin, the probes."""

from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from atelier.analytics.apis import metrics_view
from atelier.core.root import ApiRootApi
from atelier.media.apis import MediaFileView

# The API docs come from drf-spectacular-sidecar's pinned static files (no CDN). Swagger
# UI's own script is served by the split view, so it needs no inline script, only an inline
# <style>; Redoc's page starts it with an inline script and runs a worker from a blob.
SWAGGER_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
REDOC_CSP = {
    **SWAGGER_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
    "img-src": [CSP.SELF, "data:", "https:"],  # the bundle's own badge; dropped offline
}
SWAGGER_VIEW = SpectacularSwaggerSplitView.as_view(url_name="schema")
REDOC_VIEW = SpectacularRedocView.as_view(url_name="schema", template_name="api_docs/redoc.html")

urlpatterns = [
    # The pages: the feed at /, /login/, /logout/, /dashboard/ (and their small JSON helpers).
    path("", include("atelier.web.urls")),
    # Health probes for the load balancer and the orchestrator: /healthz, /readyz.
    path("", include("atelier.ops.urls")),
    path("admin/", admin.site.urls),
    path("api/", ApiRootApi.as_view(), name="api-root"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", csp_override(SWAGGER_CSP)(SWAGGER_VIEW), name="swagger-ui"),
    path("api/redoc/", csp_override(REDOC_CSP)(REDOC_VIEW), name="redoc"),
    path("api/", include("atelier.core.urls")),
    path("api/", include("atelier.collective.urls")),
    path("api/", include("atelier.post.urls")),
    path("api/", include("atelier.feed.urls")),
    path("api/", include("atelier.notification.urls")),
    path("api/", include("atelier.gallery.urls")),
    path("api/", include("atelier.media.urls")),
    path("api/", include("atelier.moderation.urls")),
    path("api/", include("atelier.search.urls")),
    path("api/", include("atelier.analytics.urls")),
    path("metrics", metrics_view, name="metrics"),
    # Uploaded files, after an access check (atelier/media/apis.py), in every environment.
    path("media/<path:name>", MediaFileView.as_view(), name="media-file"),
    path("api-auth/", include("rest_framework.urls")),
]
