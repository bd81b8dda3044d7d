"""HTTP endpoints of a collective's own moderation: its moderators, its bans, and posts its
moderators remove (docs/api.md, "Collective moderators and bans"; docs/moderation.md).

Each answers 401 to a visitor and 404 for a collective the member may not see (a private one
they are not in), then 403 to a member without the role (the owner for moderators; a
moderator or the owner for bans and removals), then 400 for bad input.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.collective.selectors import collective_bans, collective_moderators
from atelier.collective.selectors import get_visible_collective as visible_collective
from atelier.core.api import (
    BAD_INPUT,
    MAX_ID,
    UNAUTHENTICATED,
    IdField,
    StrictCharField,
    limit_field,
)
from atelier.core.models import User
from atelier.core.serializers import UserRefSerializer
from atelier.moderation import services
from atelier.moderation.apis import StaffDecisionSerializer
from atelier.moderation.models import Category

NOT_FOUND = OpenApiResponse(description="No such collective, or a private one you are not in.")
NOT_OWNER = OpenApiResponse(description="Not the collective's owner.")
NOT_MODERATOR = OpenApiResponse(description="Not a moderator of this collective.")


def _existing_user(value: int) -> User:
    user = User.objects.filter(pk=value).first()
    if user is None:
        raise serializers.ValidationError("No such user.")
    return user


class UserIdInput(serializers.Serializer):
    """`{user_id}`: the member a moderator or ban is about (resolved to the user)."""

    user_id = IdField()

    class Meta:
        ref_name = "CollectiveModerationUserInput"

    def validate_user_id(self, value: int) -> User:
        return _existing_user(value)


class UserIdQuery(serializers.Serializer):
    """`?user_id=`, for a DELETE from a client that cannot send a body."""

    user_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def validate_user_id(self, value: int) -> User:
        return _existing_user(value)


def user_to_remove(request) -> User:
    """The user a DELETE names: `{user_id}` in the body, else `?user_id=`; 400 otherwise."""
    if request.data:
        serializer = UserIdInput(data=request.data)
    else:
        serializer = UserIdQuery(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data["user_id"]


class ModeratorSerializer(serializers.Serializer):
    user = UserRefSerializer()
    appointed_by_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class BanSerializer(serializers.Serializer):
    user = UserRefSerializer()
    reason = serializers.CharField()
    banned_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class BanInput(serializers.Serializer):
    """`{user_id, reason}`: a reason is required (the audit log and the ban keep it)."""

    user_id = IdField()
    reason = StrictCharField(min_length=1, max_length=2_000)

    class Meta:
        ref_name = "CollectiveBanInput"

    def validate_user_id(self, value: int) -> User:
        return _existing_user(value)


class ListQuery(serializers.Serializer):
    limit = limit_field(default=200, maximum=1000)

    class Meta:
        ref_name = "CollectiveModerationListQuery"


# OpenAPI describes no body for a DELETE, so the schema names the query form; the body
# `{user_id}` is read first (docs/api.md).
REMOVE_BY_QUERY = OpenApiParameter(
    "user_id",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.QUERY,
    required=False,
    description="The user, unless the body names them as `{user_id}`.",
)


class CollectiveModeratorsApi(APIView):
    """GET, POST, DELETE /api/collectives/{id}/moderators/."""

    @extend_schema(
        operation_id="collectives_moderators_list",
        summary="List a collective's moderators",
        description="Whoever may see the collective may see its moderators (as its members).",
        parameters=[ListQuery],
        responses={
            200: ModeratorSerializer(many=True),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk: int):
        collective = visible_collective(request.user, pk)
        query = ListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        moderators = collective_moderators(collective.pk)[: query.validated_data["limit"]]
        return Response(ModeratorSerializer(moderators, many=True).data)

    @extend_schema(
        operation_id="collectives_moderators_add",
        summary="Name a moderator of a collective",
        description=(
            "The owner only. 201 with the new moderator; 200 with the existing one. The user "
            "must be a member, and not an admin (who moderates already)."
        ),
        request=UserIdInput,
        responses={
            200: ModeratorSerializer,
            201: ModeratorSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_OWNER,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        collective = visible_collective(request.user, pk)
        services.require_collective_owner(request.user, collective)
        serializer = UserIdInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        moderator, created = services.collective_moderator_add(
            actor=request.user, collective=collective, user=serializer.validated_data["user_id"]
        )
        return Response(
            ModeratorSerializer(moderator).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        operation_id="collectives_moderators_remove",
        summary="Remove a moderator of a collective",
        description=(
            "The owner only; the user (`{user_id}` in a JSON body, or `?user_id=`) stays a "
            "member. 204 also if they were none."
        ),
        parameters=[REMOVE_BY_QUERY],
        responses={
            204: None,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_OWNER,
            404: NOT_FOUND,
        },
    )
    def delete(self, request, pk: int):
        collective = visible_collective(request.user, pk)
        services.require_collective_owner(request.user, collective)
        user = user_to_remove(request)
        services.collective_moderator_remove(actor=request.user, collective=collective, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollectiveBansApi(APIView):
    """GET, POST, DELETE /api/collectives/{id}/bans/."""

    @extend_schema(
        operation_id="collectives_bans_list",
        summary="List a collective's bans",
        description="Moderators and the owner only; newest first.",
        parameters=[ListQuery],
        responses={
            200: BanSerializer(many=True),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_MODERATOR,
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk: int):
        collective = visible_collective(request.user, pk)
        services.require_collective_moderator(request.user, collective)
        query = ListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        bans = collective_bans(collective.pk)[: query.validated_data["limit"]]
        return Response(BanSerializer(bans, many=True).data)

    @extend_schema(
        operation_id="collectives_bans_create",
        summary="Ban a member from a collective",
        description=(
            "Moderators and the owner. The membership (and any moderator role) ends; the "
            "banned user cannot join again, be invited or post in its channels until the "
            "ban is lifted. 201 with the ban; 200 with the existing one. The owner cannot "
            "be banned, nor can you ban yourself (400); only the owner bans a moderator (403)."
        ),
        request=BanInput,
        responses={
            200: BanSerializer,
            201: BanSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_MODERATOR,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        collective = visible_collective(request.user, pk)
        services.require_collective_moderator(request.user, collective)
        serializer = BanInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        ban, created = services.collective_ban(
            actor=request.user,
            collective=collective,
            user=serializer.validated_data["user_id"],
            reason=serializer.validated_data["reason"],
        )
        return Response(
            BanSerializer(ban).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        operation_id="collectives_bans_remove",
        summary="Lift a ban",
        description=(
            "Moderators and the owner; the user as `{user_id}` in a JSON body, or "
            "`?user_id=`. 204 also if there was none."
        ),
        parameters=[REMOVE_BY_QUERY],
        responses={
            204: None,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_MODERATOR,
            404: NOT_FOUND,
        },
    )
    def delete(self, request, pk: int):
        collective = visible_collective(request.user, pk)
        services.require_collective_moderator(request.user, collective)
        user = user_to_remove(request)
        services.collective_unban(actor=request.user, collective=collective, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollectiveActionInput(serializers.Serializer):
    post_id = IdField()
    action = serializers.ChoiceField(choices=list(services.COLLECTIVE_POST_ACTIONS))
    reason = StrictCharField(min_length=1, max_length=5_000)
    category = serializers.ChoiceField(choices=Category.choices, required=False)

    class Meta:
        ref_name = "CollectiveModerationActionInput"


class CollectiveActionsApi(APIView):
    """POST /api/collectives/{id}/actions/: remove a post from the channels, or restore it."""

    @extend_schema(
        operation_id="collectives_actions_create",
        summary="Remove a post from a collective, or restore it",
        description=(
            "Moderators and the owner, for posts in the collective's channels. As a staff "
            "action: a decision with its statement of reasons, a notice to the author (who "
            "may appeal to staff) and an audit entry. A post staff removed is restored by "
            "staff only (403)."
        ),
        request=CollectiveActionInput,
        responses={
            201: StaffDecisionSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_MODERATOR,
            404: OpenApiResponse(
                description="No such collective (or a private one you are not in), or no "
                "such post in it."
            ),
        },
    )
    def post(self, request, pk: int):
        collective = visible_collective(request.user, pk)
        services.require_collective_moderator(request.user, collective)
        serializer = CollectiveActionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = services.collective_post_act(
            actor=request.user,
            collective=collective,
            post_id=data["post_id"],
            action=data["action"],
            reason=data["reason"],
            category=data.get("category"),
        )
        return Response(StaffDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
