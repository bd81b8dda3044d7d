"""URL routes of the core app (profiles are routed by post, preferences by collective)."""

from django.urls import path

from atelier.core import apis

urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="auth-register"),
    path("auth/token/", apis.TokenApi.as_view(), name="auth-token"),
    path(
        "fellows/requests/",
        apis.FellowRequestListCreateApi.as_view(),
        name="fellow-request-list",
    ),
    path(
        "fellows/requests/<int:pk>/accept/",
        apis.FellowRequestAcceptApi.as_view(),
        name="fellow-request-accept",
    ),
    path(
        "fellows/requests/<int:pk>/decline/",
        apis.FellowRequestDeclineApi.as_view(),
        name="fellow-request-decline",
    ),
    path("fellows/", apis.FellowListApi.as_view(), name="fellow-list"),
    path("fellows/<int:user_id>/", apis.FellowRemoveApi.as_view(), name="fellow-remove"),
]
