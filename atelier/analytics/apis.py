"""GET /api/analytics/summary/ (staff), POST /api/analytics/dwell/ (the feed page's time on
screen) and GET /metrics (Prometheus)."""

import os

import numpy as np
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils import json
from rest_framework.views import APIView

from atelier.analytics.dwell import MAX_ITEMS_PER_REPORT, MAX_SECONDS_PER_ITEM, dwell_record
from atelier.analytics.selectors import SOURCES, feed_summary
from atelier.core.api import BAD_INPUT, UNAUTHENTICATED, IdField
from atelier.core.parsers import BoundedJSONParser, json_depth_exceeds, refuse_lone_surrogates
from atelier.feed.components import NAMES as COMPONENTS
from atelier.feed.config import Ranking, load_ranking
from atelier.feed.scorer import contributions
from atelier.moderation.metrics import ModerationCollector

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
    contributions = ComponentMeansSerializer(
        help_text="Mean contribution per component under the current weights (weight x "
        "mean points, from the scorer): what the dashboard draws."
    )


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


class DwellFiguresSerializer(serializers.Serializer):
    seconds = serializers.FloatField(help_text="Seconds posts of this variant were on screen.")
    viewed_posts = serializers.IntegerField(
        help_text="Exposed posts looked at: posts on served pages that some report counts for."
    )
    seconds_per_page = serializers.FloatField(allow_null=True)
    seconds_per_exposed_post = serializers.FloatField(allow_null=True)
    seconds_per_viewed_post = serializers.FloatField(allow_null=True)


class DwellUnattributedSerializer(serializers.Serializer):
    seconds = serializers.FloatField()
    reports = serializers.IntegerField(help_text="Reports (one post each) no exposure claims.")


class FeedSummarySerializer(serializers.Serializer):
    """Schema of the summary (the answer is built by atelier.analytics.selectors)."""

    window = SummaryWindowSerializer()
    variants = serializers.DictField(child=VariantFiguresSerializer())
    engagement_over_time = DayFiguresSerializer(many=True)
    score_by_post_type = serializers.DictField(child=PostTypeScoresSerializer())
    diversity = serializers.DictField(child=DiversitySerializer())
    dwell = serializers.DictField(child=DwellFiguresSerializer())
    dwell_unattributed = DwellUnattributedSerializer(
        help_text="Reports with no exposure of that post to that member shortly before."
    )
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
        return Response(with_mean_contributions(feed_summary(**query.validated_data)))


def with_mean_contributions(summary: dict, r: Ranking | None = None) -> dict:
    """`summary` with each post type's mean contribution per component under the current
    configuration `r`: the scorer's weight x points of the mean points (a contribution is
    linear in its points, so that is the mean contribution had they all been ranked so)."""
    r = r or load_ranking()
    by_type = {}
    for post_type, row in summary["score_by_post_type"].items():
        means = [row["components"].get(name) for name in COMPONENTS]
        points = np.array([np.nan if m is None else m for m in means], dtype=np.float64)
        weighted = contributions(points, r)
        by_type[post_type] = {
            **row,
            "contributions": {
                name: None if m is None else float(v)
                for name, m, v in zip(COMPONENTS, means, weighted, strict=True)
            },
        }
    return {**summary, "score_by_post_type": by_type}


class SecondsField(serializers.FloatField):
    """A JSON number of seconds, more than 0 and at most MAX_SECONDS_PER_ITEM ("5" is a 400)."""

    def __init__(self, **kwargs):
        super().__init__(max_value=MAX_SECONDS_PER_ITEM, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if value <= 0:
            raise serializers.ValidationError("Must be more than 0 seconds.")
        return value


# The beacon's form holds a JSON list of at most MAX_ITEMS_PER_REPORT small objects.
MAX_BEACON_ITEMS_CHARS = 20_000


class BeaconForm(dict):
    """A form posted by `navigator.sendBeacon`, its fields as strings (see DwellBeaconParser)."""


class DwellBeaconParser(FormParser):
    """The feed page's report as it leaves: `navigator.sendBeacon` cannot set the CSRF
    header, so it posts a form with the token as `csrfmiddlewaretoken` and, in `items`,
    the JSON text of the body's list.

    The fields stay strings here: DRF's CSRF check reads the token from the parsed form
    (so it must be there, and parsing must not fail before the check); the view decodes
    `items` afterwards (`beacon_items`)."""

    def parse(self, stream, media_type=None, parser_context=None):
        form = super().parse(stream, media_type, parser_context)
        return BeaconForm(form.items())


def beacon_items(raw: str):
    """The JSON list in a beacon's `items` field; a ValidationError when it is not JSON."""
    if len(raw) > MAX_BEACON_ITEMS_CHARS:
        raise ValidationError({"items": [f"More than {MAX_BEACON_ITEMS_CHARS} characters."]})
    if json_depth_exceeds(raw.encode()):
        raise ValidationError({"items": ["Nested too deeply."]})
    parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
    try:
        items = json.loads(raw, parse_constant=parse_constant)
    except ValueError as error:
        raise ValidationError({"items": [f"Not valid JSON: {error}"]}) from None
    refuse_lone_surrogates({"items": items})
    return items


class DwellReportApi(APIView):
    """How long posts stayed on screen in my feed (the feed page reports it in batches)."""

    parser_classes = [BoundedJSONParser, DwellBeaconParser]

    @extend_schema_serializer(component_name="DwellReportInput")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="DwellItem")
        class ItemSerializer(serializers.Serializer):
            post = IdField()
            seconds = SecondsField()

        items = ItemSerializer(
            many=True,
            max_length=MAX_ITEMS_PER_REPORT,
            allow_empty=True,
            help_text=f"At most {MAX_ITEMS_PER_REPORT}, each post at most once.",
        )

        def validate_items(self, items: list[dict]) -> list[dict]:
            seen: set[int] = set()
            for item in items:
                if item["post"] in seen:
                    raise serializers.ValidationError(f"Post {item['post']} is listed twice.")
                seen.add(item["post"])
            return items

    @extend_schema(
        operation_id="analytics_dwell_report",
        summary="Report seconds posts stayed on screen in my feed (invisible posts are skipped)",
        description=(
            "A JSON body `{items: [{post, seconds}]}`; or, from `navigator.sendBeacon`, a "
            "form with `items` (the same list as JSON text) and `csrfmiddlewaretoken`."
        ),
        request={
            "application/json": InputSerializer,
            "application/x-www-form-urlencoded": OpenApiTypes.OBJECT,
        },
        responses={204: None, 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def post(self, request):
        body = request.data
        if isinstance(body, BeaconForm):
            body = {"items": beacon_items(body["items"])} if "items" in body else {}
        data = self.InputSerializer(data=body)
        data.is_valid(raise_exception=True)
        items = [(item["post"], item["seconds"]) for item in data.validated_data["items"]]
        dwell_record(user=request.user, items=items)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _ThisProcess(Collector):
    """The metrics this process keeps (prometheus-client's default registry)."""

    def collect(self):
        return REGISTRY.collect()


def _metrics_registry() -> CollectorRegistry:
    """What one scrape encodes: the counters the processes keep, and moderation's figures,
    read from the database (the same whichever worker answers)."""
    registry = CollectorRegistry()
    # Several worker processes: each writes its values under PROMETHEUS_MULTIPROC_DIR and
    # the scrape adds them up (prometheus-client's multiprocess mode).
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(ModerationCollector())
    return registry


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
