"""URL routes of moderation (docs/api.md, "Moderation")."""

from django.urls import path

from atelier.moderation import apis

urlpatterns = [
    path("reports/", apis.ReportCreateApi.as_view(), name="report-create"),
    path("reports/mine/", apis.MyReportsApi.as_view(), name="report-mine"),
    path("moderation/reports/", apis.QueueApi.as_view(), name="moderation-queue"),
    path("moderation/actions/", apis.ActionApi.as_view(), name="moderation-actions"),
    path(
        "moderation/appeals/<int:pk>/decide/",
        apis.AppealDecideApi.as_view(),
        name="moderation-appeal-decide",
    ),
    path("moderation/log/", apis.AuditLogApi.as_view(), name="moderation-log"),
    path("moderation/decisions/", apis.MyDecisionsApi.as_view(), name="moderation-decisions"),
    path(
        "moderation/decisions/<int:pk>/appeal/",
        apis.AppealCreateApi.as_view(),
        name="moderation-appeal",
    ),
]
