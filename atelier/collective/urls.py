"""URL routes of the collective app."""

urlpatterns = []
