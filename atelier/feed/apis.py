"""GET /api/posts/ as an answer: parameters in, the feed service, the page serialized out.

The feed engine knows nothing of HTTP or of the experiment: this layer validates the
parameters (atelier/feed/params.py), asks the experiment which variant a signed-in user
gets (feed/experiment.py; analytics registers the rollout), calls the feed service, says
the page was served (feed/signals.py; analytics records the exposure) and serializes the
page through FeedPageSerializer, which is also the schema. POST /api/posts/ is post's
(PostCreateApi); the view below adds the feed to it on the same URL.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from atelier.core.api import BAD_INPUT
from atelier.feed import experiment, signals
from atelier.feed.components import CHRONOLOGICAL_REASON
from atelier.feed.params import MAX_PAGE, FeedQuerySerializer, RankingInfoSerializer
from atelier.feed.service import FeedPage, chronological_feed_page, personalized_page
from atelier.post.apis import PostCreateApi
from atelier.post.serializers import PostOutputSerializer


class _Explained:
    """A field present only on explained pages: absent attribute, absent key (not null)."""

    def get_attribute(self, instance):
        if not hasattr(instance, self.source):
            raise SkipField
        return super().get_attribute(instance)


class _ExplainedFloat(_Explained, serializers.FloatField):
    pass


class _ExplainedDict(_Explained, serializers.DictField):
    pass


class _ExplainedText(_Explained, serializers.CharField):
    pass


class FeedPostSerializer(PostOutputSerializer):
    """A post as the feed serves it; with `explain=true` also how it was ranked (a post past
    the ranked candidates, served newest first, has a null score, breakdown and
    contributions)."""

    score = _ExplainedFloat(required=False, allow_null=True)
    score_breakdown = _ExplainedDict(required=False, allow_null=True)
    # Each component's weight x points, as the scorer computed them: their sum, times the
    # seen factor and `score_breakdown.diversity`, is `score` (docs/ranking.md).
    score_contributions = _ExplainedDict(
        child=serializers.FloatField(), required=False, allow_null=True
    )
    reason = _ExplainedText(required=False)

    class Meta(PostOutputSerializer.Meta):
        fields = [
            *PostOutputSerializer.Meta.fields,
            "score",
            "score_breakdown",
            "score_contributions",
            "reason",
        ]
        read_only_fields = fields


class FeedPageSerializer(serializers.Serializer):
    """The feed's answer (docs/api.md): it is both the output and the schema."""

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


def _explain(page: FeedPage) -> None:
    """Attach score, breakdown and reason to the page's posts (what FeedPostSerializer reads)."""
    for post in page.posts:
        scored = page.scored.get(post.id)
        post.score = scored.score if scored else None
        post.score_breakdown = scored.breakdown() if scored else None
        post.score_contributions = scored.contributions if scored else None
        post.reason = page.reasons.get(post.id, CHRONOLOGICAL_REASON)


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
        served = experiment.variant_for(user.id)

    if user is not None and served == "personalized":
        page = personalized_page(
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
    extent, extent_exact = page.walk
    if q["page"] > 1 and (start >= extent or (not extent_exact and not page.posts)):
        raise Http404("That page is past the end of the feed.")

    signals.page_served.send(
        FeedPage, request=request, page=page, start=start, explicit_ordering="ordering" in q
    )
    if q["explain"]:
        _explain(page)
    has_next = start + q["page_size"] < extent
    answer = {
        "count": page.count,
        "next": _page_link(request, q["page"] + 1, page.snapshot_token) if has_next else None,
        "previous": _page_link(request, q["page"] - 1, page.snapshot_token)
        if q["page"] > 1
        else None,
        "results": page.posts,
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
    return Response(FeedPageSerializer(answer).data)


class PostListCreateApi(PostCreateApi):
    """GET: the feed (anonymous allowed). POST: create a post."""

    # POST is post's PostCreateApi; this view adds the feed on the same URL.

    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="feed",
        summary="The feed: personalized for users, newest first for anonymous visitors",
        parameters=[FeedQuerySerializer],
        responses={
            200: FeedPageSerializer,
            400: BAD_INPUT,
            404: OpenApiResponse(description="Page past the end."),
        },
    )
    def get(self, request):
        return serve_feed(request)
