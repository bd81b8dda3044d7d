"""GET /api/users/me/ and /api/users/<id>/: profiles, which count the user's posts and show
their pinned ones; PATCH /api/users/me/ edits my profile."""

from django.db import transaction
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.core.api import (
    NOT_FOUND,
    UNAUTHENTICATED,
    IdField,
    RejectUnknownFieldsMixin,
    StrictCharField,
    id_list_field,
)
from atelier.core.avatars import avatar_media_id
from atelier.core.models import User
from atelier.core.serializers import UserRefSerializer
from atelier.core.services import profile_update
from atelier.post.profiles import get_user_profile, user_profile_queryset
from atelier.post.selectors import pinned_posts
from atelier.post.serializers import PostOutputSerializer
from atelier.post.services import MAX_PINS, pins_replace

MAX_DISPLAY_NAME = 50
MAX_BIO = 1000


class UserProfileOutputSerializer(UserRefSerializer):
    """A profile: the user object, the bio, the counts, and the pinned posts the viewer may
    see (`pinned_posts`, in the member's order; the view passes them in the context)."""

    bio = serializers.CharField()
    fellows_count = serializers.IntegerField()
    posts_count = serializers.IntegerField()
    pinned_posts = serializers.SerializerMethodField()

    class Meta(UserRefSerializer.Meta):
        fields = [
            *UserRefSerializer.Meta.fields,
            "bio",
            "fellows_count",
            "posts_count",
            "pinned_posts",
        ]
        read_only_fields = fields

    @extend_schema_field(PostOutputSerializer(many=True))
    def get_pinned_posts(self, user: User) -> list[dict]:
        return PostOutputSerializer(self.context.get("pinned", []), many=True).data


def profile_data(viewer, user: User, serializer=UserProfileOutputSerializer) -> dict:
    """A profile as the API shows it to `viewer` (the pins through the visibility rule)."""
    context = {"pinned": pinned_posts(viewer, user.id)}
    return serializer(user, context=context).data


class UserDetailApi(APIView):
    @extend_schema(
        operation_id="users_retrieve",
        summary="A user's public profile",
        description="404 for an unknown user, a suspended one, and one blocked either way.",
        responses={200: UserProfileOutputSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        user = get_user_profile(viewer=request.user, user_id=pk)
        return Response(profile_data(request.user, user))


class ProfileInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """What PATCH /api/users/me/ takes; every field optional (docs/api.md "Users")."""

    display_name = StrictCharField(
        max_length=MAX_DISPLAY_NAME, allow_blank=True, allow_null=True, required=False
    )
    bio = StrictCharField(max_length=MAX_BIO, allow_blank=True, allow_null=True, required=False)
    avatar = IdField(allow_null=True, required=False)
    pinned_posts = id_list_field(max_length=MAX_PINS, required=False)

    def validate_display_name(self, value):
        # One line: newlines and tabs inside a name become single spaces.
        return " ".join(value.split()) if value else ""


class UserMeApi(APIView):
    @extend_schema_serializer(component_name="UserMeOutput")
    class OutputSerializer(UserProfileOutputSerializer):
        avatar_media = serializers.SerializerMethodField()

        class Meta(UserProfileOutputSerializer.Meta):
            fields = [*UserProfileOutputSerializer.Meta.fields, "avatar_media", "email"]
            # Not `email`: a read-only model field loses allow_blank, and "" is an answer.
            read_only_fields = UserProfileOutputSerializer.Meta.fields

        @extend_schema_field(serializers.IntegerField(allow_null=True))
        def get_avatar_media(self, user: User) -> int | None:
            return avatar_media_id(user)

    @extend_schema(
        operation_id="users_me",
        summary="The current user's profile, with their email and avatar's media id",
        responses={200: OutputSerializer, 401: UNAUTHENTICATED},
    )
    def get(self, request):
        user = user_profile_queryset(request.user).get(pk=request.user.pk)
        return Response(profile_data(request.user, user, self.OutputSerializer))

    @extend_schema(
        operation_id="users_me_update",
        summary="Edit my profile: display name, bio, avatar, pinned posts",
        description=(
            "Every field is optional; a field left out is unchanged. `display_name` (at most "
            f"{MAX_DISPLAY_NAME} characters) and `bio` (at most {MAX_BIO}) are plain text, "
            'trimmed; "" or null clears them. `avatar` is the id of an image I uploaded '
            "(its square variant becomes my avatar); null clears it. `pinned_posts` lists "
            f"at most {MAX_PINS} of my own posts, in order, and replaces the pins."
        ),
        request=ProfileInputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                description="Too long, not a string, a NUL, an unknown field, an avatar that "
                "is not an image of mine, more than 3 pins or a post that is not mine."
            ),
            401: UNAUTHENTICATED,
        },
    )
    def patch(self, request):
        data = ProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        pins = fields.pop("pinned_posts", None)
        with transaction.atomic():
            profile_update(user=request.user, **fields)
            if pins is not None:
                pins_replace(user=request.user, post_ids=pins)
        return self.get(request)
