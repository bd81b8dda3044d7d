"""URL routes of moderation (docs/api.md, "Moderation")."""

from django.urls import path

from atelier.moderation import apis, collective_apis

urlpatterns = [
    path("reports/", apis.ReportCreateApi.as_view(), name="report-create"),
    path("reports/mine/", apis.MyReportsApi.as_view(), name="report-mine"),
    path("moderation/reports/", apis.QueueApi.as_view(), name="moderation-queue"),
    path("moderation/actions/", apis.ActionApi.as_view(), name="moderation-actions"),
    path("moderation/appeals/", apis.AppealListApi.as_view(), name="moderation-appeals"),
    path(
        "moderation/appeals/<int:pk>/decide/",
        apis.AppealDecideApi.as_view(),
        name="moderation-appeal-decide",
    ),
    path(
        "moderation/suspension-appeal/",
        apis.SuspensionAppealApi.as_view(),
        name="moderation-suspension-appeal",
    ),
    path("moderation/log/", apis.AuditLogApi.as_view(), name="moderation-log"),
    path("moderation/decisions/", apis.MyDecisionsApi.as_view(), name="moderation-decisions"),
    path(
        "moderation/decisions/<int:pk>/appeal/",
        apis.AppealCreateApi.as_view(),
        name="moderation-appeal",
    ),
    # A collective's own moderation (its owner and moderators), beside collective's routes.
    path(
        "collectives/<int:pk>/moderators/",
        collective_apis.CollectiveModeratorsApi.as_view(),
        name="collective-moderators",
    ),
    path(
        "collectives/<int:pk>/bans/",
        collective_apis.CollectiveBansApi.as_view(),
        name="collective-bans",
    ),
    path(
        "collectives/<int:pk>/actions/",
        collective_apis.CollectiveActionsApi.as_view(),
        name="collective-actions",
    ),
]
