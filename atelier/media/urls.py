"""URL routes of the media API (the files themselves are served at /media/, see config.urls)."""

from django.urls import path

from atelier.media import apis

urlpatterns = [
    path("media/", apis.MediaUploadApi.as_view(), name="media-upload"),
    path("media/<int:pk>/", apis.MediaDetailApi.as_view(), name="media-detail"),
]
