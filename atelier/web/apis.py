"""Small read-only JSON endpoints the pages use: ranking weights and collective/channel names."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.feed.config import load_ranking
from atelier.web import selectors

MAX_IDS = 100
MAX_ID = 2**63 - 1


class IdListField(serializers.CharField):
    """Comma-separated positive ids ("1,2,3"), at most MAX_IDS distinct; empty is no ids."""

    def run_validation(self, data=serializers.empty):
        # A blank value comes back from CharField as "" without reaching to_internal_value.
        value = super().run_validation(data)
        return value if isinstance(value, list) else []

    def to_internal_value(self, data):
        raw = super().to_internal_value(data)
        ids: list[int] = []
        for part in (p.strip() for p in raw.split(",")):
            if not part:
                continue
            # isdigit() alone accepts "²", which int() rejects: ASCII digits only, never a 500.
            if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= MAX_ID:
                raise serializers.ValidationError(f"{part[:20]!r} is not a valid id.")
            if int(part) not in ids:
                ids.append(int(part))
        if len(ids) > MAX_IDS:
            raise serializers.ValidationError(f"At most {MAX_IDS} ids.")
        return ids


class RankingWeightsApi(APIView):
    """GET: the current ranking weights and factors (public: they are no secret)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="feed_weights",
        summary="The current ranking weights, each component's ceiling in points, the factors",
        responses={200: OpenApiResponse(description="{config_version, weights, max_points, ...}")},
    )
    def get(self, request):
        return Response(selectors.ranking_weights(load_ranking()))


class FeedNamesApi(APIView):
    """GET: names of collectives and channels that posts refer to by id, for the feed cards."""

    permission_classes = [AllowAny]

    class QuerySerializer(serializers.Serializer):
        collectives = IdListField(required=False, allow_blank=True, default=[])
        channels = IdListField(required=False, allow_blank=True, default=[])

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
