"""URL routes of the search app."""

from django.urls import path

from atelier.search import apis

urlpatterns = [
    path("search/", apis.SearchApi.as_view(), name="search"),
]
