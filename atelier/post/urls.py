"""URL routes of the post app (POST /api/posts/ and the feed's GET are in feed/urls.py)."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view

from atelier.post import apis, profile_apis


def _kind_view(base, kind: str, op: str):
    view = type(f"{kind.title()}{base.__name__}", (base,), {"kind": kind})
    # One view class per kind, each with its own operation ids in the schema.
    # A base may give each kind its own request and response shapes (`kind_schema`).
    shapes = base.kind_schema(kind) if hasattr(base, "kind_schema") else {}
    operations = {
        method: extend_schema(operation_id=f"{op}_{kind}_{method}", **shapes.get(method, {}))
        for method in ("get", "post", "delete")
        if hasattr(base, method)
    }
    return extend_schema_view(**operations)(view).as_view()


urlpatterns = [
    # Profiles count posts, so they are post's. users/me/ before users/<int:pk>/ so it
    # reads clearly (the int converter would not match "me" anyway).
    path("users/me/", profile_apis.UserMeApi.as_view(), name="user-me"),
    path("users/<int:pk>/", profile_apis.UserDetailApi.as_view(), name="user-detail"),
    path("posts/meta/", apis.PostMetaApi.as_view(), name="post-meta"),
    path("posts/seen/", apis.PostSeenApi.as_view(), name="post-seen"),
    path("posts/<int:pk>/", apis.PostDetailApi.as_view(), name="post-detail"),
    path("posts/<int:pk>/hide/", apis.PostHideApi.as_view(), name="post-hide"),
]
for kind in ("heart", "praise", "trophy"):
    urlpatterns.append(
        path(f"posts/<int:pk>/{kind}/", _kind_view(apis.AppreciationApi, kind, "post"))
    )
for kind, plural in (("comment", "comments"), ("critique", "critiques")):
    urlpatterns += [
        path(f"posts/<int:pk>/{plural}/", _kind_view(apis.RemarkListCreateApi, kind, "remarks")),
        path(
            f"posts/<int:pk>/{plural}/<int:remark_pk>/",
            _kind_view(apis.RemarkDetailApi, kind, "remark"),
        ),
    ]
