"""URL routes: the pages, the API under /api/, its schema and docs, the admin."""

from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from atelier.analytics.apis import metrics_view
from atelier.core.root import ApiRootApi

# Swagger UI comes from its CDN (drf-spectacular's default) with one inline <style>; its
# own script is served by the split view, so no inline script is needed.
SWAGGER_CDN = "https://cdn.jsdelivr.net"
SWAGGER_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, SWAGGER_CDN],
    "style-src": [CSP.SELF, SWAGGER_CDN, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", SWAGGER_CDN],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SWAGGER_VIEW = SpectacularSwaggerSplitView.as_view(url_name="schema")

urlpatterns = [
    # The pages: the feed at /, /login/, /logout/, /dashboard/ (and their small JSON helpers).
    path("", include("atelier.web.urls")),
    path("admin/", admin.site.urls),
    path("api/", ApiRootApi.as_view(), name="api-root"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", csp_override(SWAGGER_CSP)(SWAGGER_VIEW), name="swagger-ui"),
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
