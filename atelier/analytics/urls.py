"""URL routes of analytics under /api/ (/metrics is routed in config/urls.py)."""

from django.urls import path

from atelier.analytics import apis

urlpatterns = [
    path("analytics/summary/", apis.FeedSummaryApi.as_view(), name="analytics-summary"),
    path("analytics/dwell/", apis.DwellReportApi.as_view(), name="analytics-dwell"),
]
