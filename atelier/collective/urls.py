"""URL routes of the collective app."""

from django.urls import path

from atelier.collective import apis, preference_apis

urlpatterns = [
    # A user's preferences name collectives (mutes), so they are collective's.
    path(
        "user/preferences/",
        preference_apis.PreferencesApi.as_view(),
        name="user-preferences",
    ),
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
