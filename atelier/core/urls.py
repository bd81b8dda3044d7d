"""URL routes of the core app."""

urlpatterns = []
