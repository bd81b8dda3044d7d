"""GET /api/posts/: parameter validation, the page, and the `ranking` object."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from atelier.analytics.exposures import page_served
from atelier.analytics.rollout import load_rollout
from atelier.feed.service import FeedPage, chronological_feed_page, personalized_page
from atelier.post.serializers import PostOutputSerializer

# Pages beyond this are past the end of any feed: 404 at once, before any offset is computed
# (an OFFSET too large for the database would otherwise be an error).
MAX_PAGE = 1_000_000

_BOOL_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanField(serializers.Field):
    """A query-string boolean: true/false, 1/0, yes/no; anything else is a 400."""

    def to_internal_value(self, data):
        value = _BOOL_WORDS.get(str(data).strip().lower())
        if value is None:
            raise serializers.ValidationError("Must be true or false.")
        return value

    def to_representation(self, value):
        return bool(value)


class FeedQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1, required=False, default=1, help_text="Past the end: 404."
    )
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)
    ordering = serializers.ChoiceField(
        choices=["personalized", "chronological"],
        required=False,
        help_text="Default: personalized when authenticated, chronological otherwise.",
    )
    invalidate_cache = StrictBooleanField(
        required=False, default=False, help_text="true: rank the feed again now"
    )
    explain = StrictBooleanField(
        required=False, default=False, help_text="true: add score, score_breakdown and reason"
    )
    unseen = StrictBooleanField(
        required=False, default=False, help_text="true: leave out posts I have already seen"
    )
    snapshot = serializers.RegexField(
        r"^v\d{1,20}e\d{1,20}\.\d{1,10}$",
        required=False,
        help_text="Opaque; carried by `next`/`previous` to page through one ranked snapshot.",
    )


class FeedPostSerializer(PostOutputSerializer):
    score = serializers.FloatField(required=False, allow_null=True)
    score_breakdown = serializers.DictField(required=False, allow_null=True)
    reason = serializers.CharField(required=False)

    class Meta(PostOutputSerializer.Meta):
        fields = [*PostOutputSerializer.Meta.fields, "score", "score_breakdown", "reason"]


class RankingInfoSerializer(serializers.Serializer):
    ordering = serializers.CharField()
    variant = serializers.CharField()
    cached = serializers.BooleanField()
    calc_version = serializers.IntegerField(allow_null=True)
    config_version = serializers.IntegerField()
    exact = serializers.BooleanField(allow_null=True)
    score_bound = serializers.FloatField(allow_null=True)
    candidates = serializers.IntegerField(allow_null=True)
    count_exact = serializers.BooleanField()


class FeedPageSerializer(serializers.Serializer):
    """Schema of the feed's answer."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FeedPostSerializer(many=True)
    ranking = RankingInfoSerializer()


def _page_link(request, page: int, token: str | None) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    params.pop("invalidate_cache", None)
    if token:
        params["snapshot"] = token
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def serve_feed(request) -> Response:
    """Validate the parameters, serve the page, describe how it was ranked."""
    query = FeedQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    q = query.validated_data
    if q["page"] > MAX_PAGE:
        raise Http404("That page is past the end of the feed.")
    user = request.user if request.user.is_authenticated else None
    ordering = q.get("ordering") or ("personalized" if user else "chronological")
    # The experiment: a signed-in user who did not ask for an ordering gets the variant the
    # rollout assigns (a `snapshot` token continues the personalized feed it came from).
    served = ordering
    if user is not None and "ordering" not in q and "snapshot" not in q:
        served = load_rollout().variant_for(user.id)

    if user is not None and served == "personalized":
        page: FeedPage = personalized_page(
            user,
            page=q["page"],
            page_size=q["page_size"],
            unseen=q["unseen"],
            refresh=q["invalidate_cache"],
            snapshot_token=q.get("snapshot"),
            explain=q["explain"],
        )
    else:
        page = chronological_feed_page(
            user, page=q["page"], page_size=q["page_size"], unseen=q["unseen"]
        )
    start = (q["page"] - 1) * q["page_size"]
    # Past the end is a 404; a page emptied by posts removed since the snapshot is not (an
    # estimated count, beyond 10,000, is only trusted once a page comes back empty).
    if q["page"] > 1 and (start >= page.count or (not page.count_exact and not page.posts)):
        raise Http404("That page is past the end of the feed.")

    page_served(request, page, start=start, explicit_ordering="ordering" in q)
    results = PostOutputSerializer(page.posts, many=True).data
    for post, item in zip(page.posts, results, strict=True):
        if q["explain"]:
            scored = page.scored.get(post.id)
            item["score"] = scored.score if scored else None
            item["score_breakdown"] = scored.breakdown() if scored else None
            item["reason"] = page.reasons.get(post.id, "Newest first")
    has_next = start + q["page_size"] < page.count
    return Response(
        {
            "count": page.count,
            "next": _page_link(request, q["page"] + 1, page.snapshot_token) if has_next else None,
            "previous": _page_link(request, q["page"] - 1, page.snapshot_token)
            if q["page"] > 1
            else None,
            "results": results,
            "ranking": {
                "ordering": ordering,
                "variant": page.variant,
                "cached": page.cached,
                "calc_version": page.calc_version,
                "config_version": page.config_version,
                "exact": page.exact,
                "score_bound": page.score_bound,
                "candidates": page.candidates,
                "count_exact": page.count_exact,
            },
        }
    )
