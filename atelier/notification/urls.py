"""URL routes of the notification app."""

urlpatterns = []
