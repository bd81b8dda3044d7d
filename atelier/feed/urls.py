"""URL routes of the feed app: the feed itself is GET /api/posts/ (POST there creates a
post, post's PostCreateApi)."""

from django.urls import path

from atelier.feed import apis, stats_apis

urlpatterns = [
    path("posts/", apis.PostListCreateApi.as_view(), name="post-list"),
    path("feed/cache-stats/", stats_apis.CacheStatsApi.as_view(), name="feed-cache-stats"),
]
