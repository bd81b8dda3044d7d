"""URL routes of the gallery app."""

urlpatterns = []
