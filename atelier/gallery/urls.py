"""URL routes of the gallery app."""

from django.urls import path

from atelier.gallery import apis

urlpatterns = [
    path("galleries/", apis.GalleryListCreateApi.as_view(), name="gallery-list"),
    path("galleries/<int:pk>/", apis.GalleryDetailApi.as_view(), name="gallery-detail"),
]
