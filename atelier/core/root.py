"""GET /api/: the API's entry points, read from the URL configuration itself."""

import re

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _routes(patterns, prefix: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def api_entry_points() -> list[str]:
    """Every route under /api/ as an OpenAPI-style path (`/api/posts/{pk}/`), sorted."""
    found = {
        "/" + _CONVERTER.sub(r"{\1}", route)
        for route in _routes(get_resolver().url_patterns)
        if route.startswith("api/") and route != "api/" and "^" not in route
    }
    return sorted(found)


class ApiRootApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="api_root",
        summary="The API's entry points",
        responses={
            200: inline_serializer(
                "ApiRoot",
                {
                    "schema": serializers.CharField(),
                    "docs": serializers.CharField(),
                    "endpoints": serializers.ListField(child=serializers.CharField()),
                },
            )
        },
        auth=[],
    )
    def get(self, request):
        return Response(
            {"schema": "/api/schema/", "docs": "/api/docs/", "endpoints": api_entry_points()}
        )
