"""URL routes of the post app."""

urlpatterns = []
