"""URL routes of the collective app."""

from django.urls import path

from atelier.collective import apis

urlpatterns = [
    path("collectives/", apis.CollectiveListCreateApi.as_view(), name="collective-list"),
    path("collectives/<int:pk>/", apis.CollectiveDetailApi.as_view(), name="collective-detail"),
    path("collectives/<int:pk>/join/", apis.CollectiveJoinApi.as_view(), name="collective-join"),
    path("collectives/<int:pk>/leave/", apis.CollectiveLeaveApi.as_view(), name="collective-leave"),
    path(
        "collectives/<int:pk>/members/",
        apis.CollectiveMembersApi.as_view(),
        name="collective-members",
    ),
    path(
        "collectives/<int:pk>/channels/",
        apis.CollectiveChannelCreateApi.as_view(),
        name="collective-channels",
    ),
]
