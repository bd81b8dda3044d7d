"""URL routes of the feed app."""

urlpatterns = []
