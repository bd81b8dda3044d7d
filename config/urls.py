"""URL routes: the pages, the API under /api/, its schema and docs, the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from atelier.analytics.apis import metrics_view
from atelier.media.apis import MediaFileView

urlpatterns = [
    # The pages: the feed at /, /login/, /logout/, /dashboard/ (and their small JSON helpers).
    path("", include("atelier.web.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/", include("atelier.core.urls")),
    path("api/", include("atelier.collective.urls")),
    path("api/", include("atelier.post.urls")),
    path("api/", include("atelier.feed.urls")),
    path("api/", include("atelier.notification.urls")),
    path("api/", include("atelier.gallery.urls")),
    path("api/", include("atelier.media.urls")),
    path("api/", include("atelier.analytics.urls")),
    path("metrics", metrics_view, name="metrics"),
    # Uploaded files, after an access check (atelier/media/apis.py), in every environment.
    path("media/<path:name>", MediaFileView.as_view(), name="media-file"),
    path("api-auth/", include("rest_framework.urls")),
]
