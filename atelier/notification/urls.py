"""URL routes of the notification app."""

from django.urls import path

from atelier.notification import apis

urlpatterns = [
    path("notifications/", apis.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/read/", apis.NotificationReadApi.as_view(), name="notification-read"),
    path(
        "notifications/unread_count/",
        apis.NotificationUnreadCountApi.as_view(),
        name="notification-unread-count",
    ),
]
