"""URL routes of the feed app (the feed itself is GET /api/posts/, in the post app)."""

from django.urls import path

from atelier.feed import stats_apis

urlpatterns = [
    path("feed/cache-stats/", stats_apis.CacheStatsApi.as_view(), name="feed-cache-stats"),
]
