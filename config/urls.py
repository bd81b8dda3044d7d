"""URL routes: the API under /api/, its schema and docs, the admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    # Until the feed pages exist, the browsable API is the site: log in, see your feed.
    path("", RedirectView.as_view(url="/api/posts/?explain=true", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/", include("atelier.core.urls")),
    path("api/", include("atelier.collective.urls")),
    path("api/", include("atelier.post.urls")),
    path("api/", include("atelier.feed.urls")),
    path("api/", include("atelier.notification.urls")),
    path("api/", include("atelier.gallery.urls")),
    path("api-auth/", include("rest_framework.urls")),
]
