"""Post endpoints: create and feed, detail, appreciations, remarks, meta, seen, hide."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.collective.selectors import visible_channel
from atelier.core.api import (
    BAD_INPUT,
    NEW_ACCOUNT_LIMITED,
    UNAUTHENTICATED,
    CommaIdsField,
    IdField,
    RejectUnknownFieldsMixin,
    StrictCharField,
)
from atelier.core.choices import PostType
from atelier.post import services, signals
from atelier.post.attachments import MAX_MEDIA_PER_POST, MediaNotAttachable
from atelier.post.models import Post
from atelier.post.selectors import (
    get_live_remark,
    get_visible_post,
    post_base_queryset,
    post_meta,
    visible_posts,
    visible_remarks,
)
from atelier.post.serializers import REMARK_OUTPUT, PostOutputSerializer

NOT_FOUND = OpenApiResponse(description="No such post, or not visible to you.")

CONTENT_WARNING_MAX = 200


class ContentWarningField(StrictCharField):
    """A post's content warning: a string of at most 200 characters once trimmed; null, an
    empty or a blank string mean none (None). The one rule of POST and PATCH /api/posts/."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "A short warning shown before the post; null or empty: none (docs/moderation.md).",
        )
        super().__init__(
            max_length=CONTENT_WARNING_MAX, allow_null=True, allow_blank=True, **kwargs
        )

    def run_validation(self, data=serializers.empty):
        return super().run_validation(data) or None


class PostCreateApi(APIView):
    """POST /api/posts/: create a post. The feed adds GET on the same URL (feed/apis.py)."""

    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="PostCreateInput")
    class InputSerializer(serializers.Serializer):
        title = StrictCharField(max_length=200)
        post_type = serializers.ChoiceField(choices=PostType.choices)
        body = StrictCharField(max_length=20_000, required=False, allow_blank=True, default="")
        channel = IdField(required=False, allow_null=True, default=None)
        content_warning = ContentWarningField(required=False, default=None)
        media = serializers.ListField(
            child=IdField(),
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
        operation_id="post_create",
        summary="Create a post (public, or in a channel of a collective you belong to)",
        request=InputSerializer,
        responses={
            201: PostOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: OpenApiResponse(
                description="Not a member of the channel's collective, or banned from it."
            ),
            429: NEW_ACCOUNT_LIMITED,
        },
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = None
        channel_id = data.validated_data["channel"]
        if channel_id is not None:
            # A channel of a private collective I am not in is answered like a missing one.
            channel = visible_channel(request.user, channel_id)
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
                content_warning=data.validated_data["content_warning"],
            )
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
    @extend_schema_serializer(component_name="PostUpdateInput")
    class UpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
        """The author's edit: only the fields given change. Today `content_warning`; issue
        19 adds `title`, `body`, `tags` and `media`, each one more field here and one more
        keyword of `services.post_update`. A field it does not take is a 400 naming it."""

        content_warning = ContentWarningField(required=False)

    @extend_schema(
        operation_id="post_detail",
        summary="A post",
        responses={200: PostOutputSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        # Click-through: analytics records the opening (it subscribes to post_opened).
        signals.post_opened.send(Post, user_id=request.user.id, post_id=post.id)
        return Response(PostOutputSerializer(post).data)

    @extend_schema(
        operation_id="post_update",
        summary="Edit your post (today: its content warning)",
        description=(
            "Only the fields given change; any other field is a 400 naming it. "
            "`content_warning`: text of at most 200 characters once trimmed, or null or an "
            "empty string for none. A warning staff set cannot be changed or removed by the "
            "author (403) until staff lift it or an appeal reverses the decision."
        ),
        request=UpdateSerializer,
        responses={
            200: PostOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: OpenApiResponse(
                description="Not the author, or a warning staff set (docs/moderation.md)."
            ),
            404: NOT_FOUND,
        },
    )
    def patch(self, request, pk: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        post = get_visible_post(request.user, pk)
        if post.author_id != request.user.id:
            # Before the body is read: someone else's post is a 403 whatever they send.
            raise services.NotTheAuthor
        data = self.UpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.post_update(post=post, editor=request.user, **data.validated_data)
        post = post_base_queryset().get(pk=post.pk)
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
        if not request.user.is_authenticated:
            raise NotAuthenticated
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
        if not created:
            # A new one leaves the counters it wrote on `post`; otherwise read them as they
            # stand now (a concurrent request may have just given the same).
            post.refresh_from_db(fields=list(services.APPRECIATION_COUNTER.values()))
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


class CommentInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    text = StrictCharField(max_length=10_000)
    reply_to = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "The comment this one answers: a comment of the same post that you may read. "
            "A reply to a reply answers its thread's top comment."
        ),
    )


class CritiqueInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # Critiques are not threaded: `reply_to` is an unknown field here.
    text = StrictCharField(max_length=10_000)


class RemarkListCreateApi(APIView):
    """Comments or critiques of a post (the kind comes from the URL)."""

    kind: str = ""
    # The body each kind takes and the object it answers with (urls.py gives each kind's
    # operations these shapes in the schema through `kind_schema`).
    input_serializers = {
        "comment": extend_schema_serializer(component_name="CommentInput")(CommentInputSerializer),
        "critique": extend_schema_serializer(component_name="CritiqueInput")(
            CritiqueInputSerializer
        ),
    }

    @classmethod
    def kind_schema(cls, kind: str) -> dict[str, dict]:
        output = REMARK_OUTPUT[kind]
        return {
            "get": {"responses": {200: output(many=True), 401: UNAUTHENTICATED, 404: NOT_FOUND}},
            "post": {
                "request": cls.input_serializers[kind],
                "responses": {
                    201: output,
                    400: BAD_INPUT,
                    401: UNAUTHENTICATED,
                    404: NOT_FOUND,
                    429: NEW_ACCOUNT_LIMITED,
                },
            },
        }

    @extend_schema(summary="List, oldest first")
    def get(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        model = services.REMARK_MODELS[self.kind]
        remarks = visible_remarks(model=model, post=post, viewer=request.user)
        return Response(REMARK_OUTPUT[self.kind](remarks, many=True).data)

    @extend_schema(summary="Write one")
    def post(self, request, pk: int):
        post = get_visible_post(request.user, pk)
        data = self.input_serializers[self.kind](data=request.data)
        data.is_valid(raise_exception=True)
        remark = services.remark_create(
            kind=self.kind, author=request.user, post=post, **data.validated_data
        )
        return Response(REMARK_OUTPUT[self.kind](remark).data, status=status.HTTP_201_CREATED)


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
        remark = get_live_remark(model=model, post=post, remark_id=remark_pk)
        if remark.author_id != request.user.id:
            raise PermissionDenied("You can only delete your own.")
        services.remark_soft_delete(kind=self.kind, remark=remark)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostMetaApi(APIView):
    class QuerySerializer(serializers.Serializer):
        ids = CommaIdsField(
            limit=100, allow_empty=False, help_text="Comma-separated post ids, at most 100."
        )

    @extend_schema(
        operation_id="post_meta",
        summary="Counts and my appreciations for up to 100 posts; invisible ids are left out",
        parameters=[QuerySerializer],
        responses={200: OpenApiResponse(description="{id: {...}}"), 400: BAD_INPUT},
    )
    def get(self, request):
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(post_meta(request.user, query.validated_data["ids"]))


class PostSeenApi(APIView):
    @extend_schema_serializer(component_name="PostsSeenInput")
    class InputSerializer(serializers.Serializer):
        post_ids = serializers.ListField(
            child=IdField(),
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
