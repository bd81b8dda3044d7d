"""Routes of the pages and of their small JSON helpers (mounted at the site root)."""

from django.urls import path

from atelier.web import apis, moderation_views, views

app_name = "web"

urlpatterns = [
    path("", views.feed_page, name="feed"),
    path("posts/<int:pk>/", views.post_page, name="post"),
    path("new/", views.compose_page, name="compose"),
    path("users/<int:pk>/", views.profile_page, name="profile"),
    path("notifications/", views.notifications_page, name="notifications"),
    path("search/", views.search_page, name="search"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/profile/", views.profile_settings_page, name="profile_settings"),
    path("collectives/", views.collectives_page, name="collectives"),
    path("collectives/<int:pk>/", views.collective_page, name="collective"),
    path("signup/", views.signup_page, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path(
        "login/appeal/",
        moderation_views.suspension_appeal_page,
        name="suspension-appeal",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("report/<str:target_type>/<int:pk>/", moderation_views.report_page, name="report"),
    path("decisions/", moderation_views.decisions_page, name="decisions"),
    path("moderation/", moderation_views.moderation_page, name="moderation"),
    path(
        "moderation/appeals/",
        moderation_views.moderation_appeals_page,
        name="moderation-appeals",
    ),
    path("moderation/log/", moderation_views.moderation_log_page, name="moderation-log"),
    path("api/feed/weights/", apis.RankingWeightsApi.as_view(), name="feed-weights"),
    path("api/feed/names/", apis.FeedNamesApi.as_view(), name="feed-names"),
]
