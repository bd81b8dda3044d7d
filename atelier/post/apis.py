"""Post endpoints: create and feed, detail, appreciations, remarks, meta, seen, hide."""

from django.db.models import Q
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.analytics.exposures import post_opened
from atelier.collective.models import Channel
from atelier.core.choices import PostType
from atelier.feed.apis import FeedPageSerializer, FeedQuerySerializer, serve_feed
from atelier.media.selectors import attach_media_lists
from atelier.media.serializers import MediaOutputSerializer
from atelier.media.services import MAX_MEDIA_PER_POST, MediaNotAttachable
from atelier.post import services
from atelier.post.models import Appreciation, Post
from atelier.post.selectors import get_visible_post, post_base_queryset, visible_posts
from atelier.post.serializers import PostOutputSerializer, RemarkOutputSerializer

MAX_ID = 2**63 - 1
NOT_FOUND = OpenApiResponse(description="No such post, or not visible to you.")
UNAUTHENTICATED = OpenApiResponse(description="Not authenticated.")
BAD_INPUT = OpenApiResponse(description="Invalid input; the body names the fields.")


class PostListCreateApi(APIView):
    """GET: the feed (anonymous allowed). POST: create a post."""

    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema_serializer(component_name="PostCreateInput")
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        post_type = serializers.ChoiceField(choices=PostType.choices)
        body = serializers.CharField(
            max_length=20_000, required=False, allow_blank=True, default=""
        )
        channel = serializers.IntegerField(
            min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None
        )
        media = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
            max_length=MAX_MEDIA_PER_POST,
            required=False,
            default=list,
            help_text="Ids of my uploads not yet attached to a post, in display order.",
        )

        def validate_media(self, value: list[int]) -> list[int]:
            if len(set(value)) != len(value):
                raise serializers.ValidationError("A media id is listed twice.")
            return value

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

    @extend_schema(
        operation_id="post_create",
        summary="Create a post (public, or in a channel of a collective you belong to)",
        request=InputSerializer,
        responses={
            201: PostOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: OpenApiResponse(description="Not a member of the channel's collective."),
        },
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = None
        channel_id = data.validated_data["channel"]
        if channel_id is not None:
            channel = Channel.objects.filter(pk=channel_id).first()
            if channel is None:
                raise ValidationError({"channel": ["Unknown channel."]})
        try:
            post = services.post_create(
                author=request.user,
                title=data.validated_data["title"],
                post_type=data.validated_data["post_type"],
                body=data.validated_data["body"],
                channel=channel,
                media_ids=data.validated_data["media"],
            )
        except services.NotAMember:
            raise PermissionDenied("You are not a member of this channel's collective.") from None
        except MediaNotAttachable as error:
            raise ValidationError(
                {
                    "media": [
                        f"Media {error.media_id} is not an upload of yours waiting for a post "
                        "(unknown, someone else's, or already attached)."
                    ]
                }
            ) from None
        post = post_base_queryset().get(pk=post.pk)
        return Response(PostOutputSerializer(post).data, status=status.HTTP_201_CREATED)


class PostDetailApi(APIView):
    @extend_schema(
        operation_id="post_detail",
        summary="A post",
        responses={200: PostOutputSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        post_opened(user_id=request.user.id, post_id=post.id)  # click-through (analytics)
        return Response(PostOutputSerializer(post).data)

    @extend_schema(
        operation_id="post_delete",
        summary="Delete your post (soft delete)",
        responses={
            204: None,
            401: UNAUTHENTICATED,
            403: OpenApiResponse(description="Not the author."),
            404: NOT_FOUND,
        },
    )
    def delete(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        if post.author_id != request.user.id:
            raise PermissionDenied("Only the author can delete a post.")
        services.post_soft_delete(post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AppreciationApi(APIView):
    """Heart, praise or trophy a post (the kind comes from the URL)."""

    kind: str = ""

    @extend_schema(
        summary="Give it (201 created, 200 if you already had)",
        request=None,
        responses={
            201: OpenApiResponse(description="Created."),
            200: OpenApiResponse(description="You had already given it."),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        created = services.appreciation_add(user=request.user, post=post, kind=self.kind)
        post.refresh_from_db()
        body = {"post": post.pk, "kind": self.kind, **_counts(post)}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary="Take it back",
        responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def delete(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        services.appreciation_remove(user=request.user, post=post, kind=self.kind)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _counts(post: Post) -> dict:
    return {
        "hearts_count": post.hearts_count,
        "praise_count": post.praise_count,
        "trophy_count": post.trophy_count,
    }


class RemarkListCreateApi(APIView):
    """Comments or critiques of a post (the kind comes from the URL)."""

    kind: str = ""

    @extend_schema_serializer(component_name="RemarkInput")
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=10_000)

    @extend_schema(
        summary="List, oldest first",
        responses={200: RemarkOutputSerializer(many=True), 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        model = services.REMARK_MODELS[self.kind]
        remarks = (
            model.objects.filter(post=post, is_deleted=False)
            .select_related("author")
            .order_by("created_at", "id")
        )
        return Response(RemarkOutputSerializer(remarks, many=True).data)

    @extend_schema(
        summary="Write one",
        request=InputSerializer,
        responses={
            201: RemarkOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        remark = services.remark_create(
            kind=self.kind, author=request.user, post=post, text=data.validated_data["text"]
        )
        return Response(RemarkOutputSerializer(remark).data, status=status.HTTP_201_CREATED)


class RemarkDetailApi(APIView):
    kind: str = ""

    @extend_schema(
        summary="Delete your own (soft delete)",
        responses={
            204: None,
            401: UNAUTHENTICATED,
            403: OpenApiResponse(description="Not yours."),
            404: NOT_FOUND,
        },
    )
    def delete(self, request, pk: int, remark_pk: int):
        post = get_visible_post(request.user, pk)
        model = services.REMARK_MODELS[self.kind]
        remark = model.objects.filter(pk=remark_pk, post=post, is_deleted=False).first()
        if remark is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        if remark.author_id != request.user.id:
            raise PermissionDenied("You can only delete your own.")
        services.remark_soft_delete(kind=self.kind, remark=remark)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _parse_id_list(raw: str, *, field: str, limit: int) -> list[int]:
    """Parse "1,2,3" into distinct positive ids, keeping their order; 400 when malformed."""
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts:
        raise ValidationError({field: ["Give at least one id, as ids=1,2,3."]})
    ids: list[int] = []
    for part in parts:
        # isdigit() alone accepts "²", which int() rejects: ASCII digits only, never a 500.
        if not (part.isascii() and part.isdigit()) or not (1 <= int(part) <= MAX_ID):
            raise ValidationError({field: [f"{part!r} is not a valid id."]})
        if int(part) not in ids:
            ids.append(int(part))
    if len(ids) > limit:
        raise ValidationError({field: [f"At most {limit} ids."]})
    return ids


class PostMetaApi(APIView):
    @extend_schema(
        operation_id="post_meta",
        summary="Counts and my appreciations for up to 100 posts; invisible ids are left out",
        parameters=[
            OpenApiParameter("ids", str, required=True, description="Comma-separated post ids")
        ],
        responses={200: OpenApiResponse(description="{id: {...}}"), 400: BAD_INPUT},
    )
    def get(self, request):
        ids = _parse_id_list(request.query_params.get("ids", ""), field="ids", limit=100)
        rows = visible_posts(request.user).filter(id__in=ids)
        rows = list(
            rows.select_related(None).only(
                "id",
                "hearts_count",
                "praise_count",
                "trophy_count",
                "comment_count",
                "critique_count",
                "media_count",
            )
        )
        attach_media_lists(rows)
        mine: dict[int, set[str]] = {}
        for post_id, kind in Appreciation.objects.filter(
            Q(post_id__in=ids), user=request.user
        ).values_list("post_id", "kind"):
            mine.setdefault(post_id, set()).add(kind)
        answer = {}
        for post in rows:
            given = mine.get(post.id, set())
            answer[str(post.id)] = {
                "hearts": post.hearts_count,
                "praise": post.praise_count,
                "trophies": post.trophy_count,
                "comments": post.comment_count,
                "critiques": post.critique_count,
                "hearted": "heart" in given,
                "praised": "praise" in given,
                "trophied": "trophy" in given,
                "media": MediaOutputSerializer(post.attached_media, many=True).data,
            }
        return Response(answer)


class PostSeenApi(APIView):
    @extend_schema_serializer(component_name="PostsSeenInput")
    class InputSerializer(serializers.Serializer):
        post_ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
            max_length=200,
            allow_empty=True,
        )

    @extend_schema(
        operation_id="posts_mark_seen",
        summary="Mark up to 200 posts seen by me (invisible ids are ignored)",
        request=InputSerializer,
        responses={204: None, 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = list(dict.fromkeys(data.validated_data["post_ids"]))
        visible = list(
            visible_posts(request.user).filter(id__in=wanted).values_list("id", flat=True)
        )
        services.posts_mark_seen(user=request.user, post_ids=visible)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostHideApi(APIView):
    @extend_schema(
        operation_id="post_hide",
        summary="Not interested: never show this post in my feed again",
        request=None,
        responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        services.post_hide(user=request.user, post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="post_unhide",
        summary="Undo 'not interested'",
        responses={204: None, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def delete(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        services.post_unhide(user=request.user, post_id=post.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
