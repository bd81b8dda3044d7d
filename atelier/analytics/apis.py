"""GET /api/analytics/summary/ (staff) and GET /metrics (Prometheus)."""

import os

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiResponse, extend_schema
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
from prometheus_client.exposition import choose_encoder
from rest_framework import exceptions, serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.analytics.selectors import SOURCES, feed_summary
from atelier.feed.components import NAMES as COMPONENTS

MAX_DAYS = 366


class VariantFiguresSerializer(serializers.Serializer):
    pages = serializers.IntegerField()
    exposed_posts = serializers.IntegerField()
    engaged_posts = serializers.IntegerField()
    engagement_rate = serializers.FloatField(allow_null=True)
    opened_posts = serializers.IntegerField()
    click_through = serializers.FloatField(allow_null=True)


class DayFiguresSerializer(serializers.Serializer):
    date = serializers.DateField()
    variant = serializers.CharField()
    exposed_posts = serializers.IntegerField()
    engaged_posts = serializers.IntegerField()
    engagement_rate = serializers.FloatField(allow_null=True)


# One field per ranking component, from the one component table (atelier/feed/components.py).
ComponentMeansSerializer = type(
    "ComponentMeansSerializer",
    (serializers.Serializer,),
    {name: serializers.FloatField(allow_null=True) for name in COMPONENTS},
)


class PostTypeScoresSerializer(serializers.Serializer):
    exposed_posts = serializers.IntegerField(help_text="Exposures with a score (personalized).")
    mean_score = serializers.FloatField()
    components = ComponentMeansSerializer(help_text="Mean points per component.")


class DiversitySerializer(serializers.Serializer):
    authors_per_page = serializers.FloatField(allow_null=True)
    post_types_per_page = serializers.FloatField(allow_null=True)


class CacheLevelSerializer(serializers.Serializer):
    hits = serializers.IntegerField()
    misses = serializers.IntegerField()
    hit_rate = serializers.FloatField(allow_null=True)


class LatencySerializer(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True)
    p95 = serializers.FloatField(allow_null=True)
    p99 = serializers.FloatField(allow_null=True)
    pages = serializers.IntegerField(help_text="Pages whose response time was measured.")


# "from" is a Python keyword, so this serializer's fields are given as a dict.
SummaryWindowSerializer = type(
    "SummaryWindowSerializer",
    (serializers.Serializer,),
    {
        "from": serializers.DateTimeField(),
        "to": serializers.DateTimeField(),
        "days": serializers.IntegerField(),
        "attribution_window_hours": serializers.IntegerField(),
        "source": serializers.CharField(),
    },
)


class FeedSummarySerializer(serializers.Serializer):
    """Schema of the summary (the answer is built by atelier.analytics.selectors)."""

    window = SummaryWindowSerializer()
    variants = serializers.DictField(child=VariantFiguresSerializer())
    engagement_over_time = DayFiguresSerializer(many=True)
    score_by_post_type = serializers.DictField(child=PostTypeScoresSerializer())
    diversity = serializers.DictField(child=DiversitySerializer())
    cache = serializers.DictField(child=CacheLevelSerializer())
    latency_ms = serializers.DictField(child=LatencySerializer())


class FeedSummaryApi(APIView):
    permission_classes = [IsAdminUser]

    class QuerySerializer(serializers.Serializer):
        days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, required=False, default=30)
        source = serializers.ChoiceField(
            choices=SOURCES,
            required=False,
            default="all",
            help_text="assigned: pages whose variant the rollout chose; explicit: pages "
            "whose client asked for an ordering; all (default): both.",
        )

    @extend_schema(
        operation_id="analytics_feed_summary",
        summary="The feed experiment's figures over the last days (staff only)",
        parameters=[QuerySerializer],
        responses={
            200: FeedSummarySerializer,
            400: OpenApiResponse(description="Bad parameter."),
            401: OpenApiResponse(description="Not authenticated."),
            403: OpenApiResponse(description="Not staff."),
        },
    )
    def get(self, request):
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(feed_summary(**query.validated_data))


def _metrics_registry() -> CollectorRegistry:
    # Several worker processes: each writes its values under PROMETHEUS_MULTIPROC_DIR and
    # the scrape adds them up (prometheus-client's multiprocess mode).
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _metrics_user(request):
    """The session user, else the user of a valid `Authorization: Token` header."""
    if request.user.is_authenticated:
        return request.user
    try:
        found = TokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed:
        return None
    return found[0] if found else None


@require_GET
def metrics_view(request):
    """Prometheus text format; open when METRICS_PUBLIC, else to staff only (401, 403)."""
    if not settings.METRICS_PUBLIC:
        user = _metrics_user(request)
        if user is None:
            response = HttpResponse("Authentication required.\n", status=401)
            response["WWW-Authenticate"] = "Token"
            return response
        if not user.is_staff:
            return HttpResponse("Staff only.\n", status=403)
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encoder(_metrics_registry()), content_type=content_type)
