"""Small read-only JSON endpoints the pages use: ranking weights and collective/channel names."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.core.api import CommaIdsField
from atelier.feed.config import load_ranking
from atelier.web import selectors

MAX_IDS = 100


class RankingWeightsApi(APIView):
    """GET: the current ranking weights and factors (public: they are no secret)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="feed_weights",
        summary="The current ranking weights, each component's ceiling in points, the factors",
        responses={
            200: OpenApiResponse(
                description="{config_version, weights, max_points, max_contributions, ...}"
            )
        },
    )
    def get(self, request):
        return Response(selectors.ranking_weights(load_ranking()))


class FeedNamesApi(APIView):
    """GET: names of collectives and channels that posts refer to by id, for the feed cards."""

    permission_classes = [AllowAny]

    class QuerySerializer(serializers.Serializer):
        # Absent or empty: no ids. (The default is "", a string like the values; it used to
        # be documented as "[]", which the server then refused.)
        collectives = CommaIdsField(limit=MAX_IDS, required=False, default="")
        channels = CommaIdsField(limit=MAX_IDS, required=False, default="")

    @extend_schema(
        operation_id="feed_names",
        summary="Names of up to 100 collectives and 100 channels (ones you may not see: left out)",
        parameters=[QuerySerializer],
        responses={
            200: OpenApiResponse(description='{"collectives": {id: name}, "channels": {id: name}}'),
            400: OpenApiResponse(description="Malformed ids."),
        },
    )
    def get(self, request):
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        names = selectors.names_for(
            request.user,
            collective_ids=query.validated_data["collectives"],
            channel_ids=query.validated_data["channels"],
        )
        return Response(names)
