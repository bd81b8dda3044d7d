"""GET /api/search/: posts, people, collectives or tags matching a query, paged like the feed.

Validate the parameters, ask the selector of the type, serialize the page. Visitors may
search posts (what the feed shows them: public posts); people and collectives are for
members, as their own endpoints are (401 otherwise).
"""

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.collective.apis import CollectiveOutputSerializer
from atelier.core.api import BAD_INPUT, UNAUTHENTICATED
from atelier.core.serializers import UserRefSerializer
from atelier.post.serializers import PostOutputSerializer
from atelier.search import selectors
from atelier.search.query import MAX_QUERY_LENGTH, parse

# The last page number accepted (a 400 beyond): no search has that many pages, and an
# OFFSET too large for the database would otherwise be an error.
MAX_PAGE = 1_000_000
MEMBERS_ONLY = ("people", "collectives")


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        help_text=(
            f"What to look for (1..{MAX_QUERY_LENGTH} characters once trimmed): words "
            'all required, "a phrase", -word to leave out, `or` between alternatives.'
        ),
    )
    type = serializers.ChoiceField(choices=selectors.TYPES, default="posts")
    page = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, default=1, help_text="Past the end: 404."
    )
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=20)


class PersonResultSerializer(UserRefSerializer):
    """A member found by search: the user object every answer carries,
    `{id, username, display_name, artist_type, avatar}` (core.serializers)."""

    class Meta(UserRefSerializer.Meta):
        ref_name = "SearchPerson"


class TagResultSerializer(serializers.Serializer):
    """A tag found by search: `{name, posts_count}` (tags do not exist yet)."""

    name = serializers.CharField()
    posts_count = serializers.IntegerField()


RESULT_SERIALIZERS = {
    "posts": PostOutputSerializer,
    "people": PersonResultSerializer,
    "collectives": CollectiveOutputSerializer,
    "tags": TagResultSerializer,
}


class SearchPageSerializer(serializers.Serializer):
    """The answer's schema: the feed's page, its results of the type asked for."""

    count = serializers.IntegerField()
    count_exact = serializers.BooleanField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PolymorphicProxySerializer(
        component_name="SearchResult",
        serializers=list(RESULT_SERIALIZERS.values()),
        resource_type_field_name=None,
        many=True,
    )


def _page_link(request, page: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


class SearchApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search",
        summary="Search posts, people, collectives or tags",
        description=(
            "Paged like the feed. Posts are those the feed may show me (visitors: public "
            "posts), ranked by text relevance blended with freshness and engagement; "
            "people and collectives need authentication. `count` is exact up to 10,000 "
            "and may be an estimate beyond (`count_exact`). Tags: always an empty page "
            "for now."
        ),
        parameters=[SearchQuerySerializer],
        responses={
            200: SearchPageSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: OpenApiResponse(description="Page past the end."),
        },
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        kind = p["type"]
        if kind in MEMBERS_ONLY and not request.user.is_authenticated:
            raise NotAuthenticated(f"Log in to search {kind}.")
        offset = (p["page"] - 1) * p["page_size"]
        viewer = request.user if request.user.is_authenticated else None
        page = selectors.search(kind, viewer, parse(p["q"]), offset=offset, limit=p["page_size"])
        if p["page"] > 1 and page.is_past_the_end(offset):
            raise Http404("That page is past the end of the results.")
        results = RESULT_SERIALIZERS[kind](page.results, many=True).data
        # A short page is the last, whatever an estimated count says.
        has_next = len(results) == p["page_size"] and offset + p["page_size"] < page.count
        return Response(
            {
                "count": page.count,
                "count_exact": page.count_exact,
                "next": _page_link(request, p["page"] + 1) if has_next else None,
                "previous": _page_link(request, p["page"] - 1) if p["page"] > 1 else None,
                "results": results,
            }
        )
