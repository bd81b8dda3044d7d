"""Staff-only view of the feed caches' hit rates per level."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.feed import cache as feed_cache


class CacheStatsApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        operation_id="feed_cache_stats",
        summary="Hit rates of the feed caches per level (staff only)",
        responses={
            200: OpenApiResponse(description="{level: {hits, misses, hit_rate}}"),
            401: OpenApiResponse(description="Not authenticated."),
            403: OpenApiResponse(description="Not staff."),
        },
    )
    def get(self, request):
        rates = feed_cache.hit_rates()
        # The viewer's building blocks are one cache level now: the relations block.
        blocks = rates["relations"]
        return Response(
            {
                "levels": rates,
                "building_blocks": {
                    "hits": blocks["hits"],
                    "lookups": blocks["hits"] + blocks["misses"],
                    "hit_rate": blocks["hit_rate"],
                },
                "targets": {"building_blocks": 0.9, "snapshot": [0.5, 0.7]},
            }
        )
