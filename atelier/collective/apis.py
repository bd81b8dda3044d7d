"""HTTP endpoints for collectives, their members and channels."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.collective.models import Collective, CollectiveMember
from atelier.collective.selectors import (
    collective_base_queryset,
    collective_members,
    collectives_for,
    get_visible_collective,
)
from atelier.collective.services import (
    channel_create,
    collective_create,
    collective_join,
    collective_leave,
    collective_member_invite,
)
from atelier.core.api import BAD_INPUT, UNAUTHENTICATED, IdField, StrictCharField, limit_field
from atelier.core.models import User
from atelier.core.serializers import UserRefSerializer

NOT_ADMIN = OpenApiResponse(description="Not an admin of this collective.")
NOT_FOUND = OpenApiResponse(description="No such collective, or a private one you are not in.")


class ChannelOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CollectiveOutputSerializer(serializers.Serializer):
    """A collective as its viewer sees it; `role` is the viewer's role or null."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    visibility = serializers.ChoiceField(choices=Collective.Visibility.choices)
    members_count = serializers.IntegerField()
    channels = ChannelOutputSerializer(many=True)
    created_at = serializers.DateTimeField()
    role = serializers.ChoiceField(
        source="my_role", choices=CollectiveMember.Role.choices, allow_null=True
    )


class MemberOutputSerializer(serializers.Serializer):
    user = UserRefSerializer()
    role = serializers.ChoiceField(choices=CollectiveMember.Role.choices)
    joined_at = serializers.DateTimeField()


def _collective_response(user, collective_id: int, http_status: int = status.HTTP_200_OK):
    """Serialize the collective freshly read (counter, channels and role after a write)."""
    collective = collective_base_queryset(user).get(pk=collective_id)
    return Response(CollectiveOutputSerializer(collective).data, status=http_status)


def _require_admin_role(collective: Collective) -> None:
    if collective.my_role != CollectiveMember.Role.ADMIN:
        raise PermissionDenied("Only an admin of this collective can do this.")


class CollectiveListCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = StrictCharField(min_length=1, max_length=100)
        visibility = serializers.ChoiceField(
            choices=Collective.Visibility.choices, default=Collective.Visibility.PUBLIC
        )

        class Meta:
            ref_name = "CollectiveCreateInput"

    class FilterSerializer(serializers.Serializer):
        limit = limit_field(default=100, maximum=500)

    @extend_schema(
        operation_id="collectives_list",
        summary="List public collectives and mine",
        description=(
            "Collectives I belong to come first (those I administer, then the others), "
            "then public ones, newest first; at most `limit` of them."
        ),
        parameters=[FilterSerializer],
        responses={
            200: CollectiveOutputSerializer(many=True),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
        },
    )
    def get(self, request):
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        collectives = collectives_for(request.user)[: params.validated_data["limit"]]
        return Response(CollectiveOutputSerializer(collectives, many=True).data)

    @extend_schema(
        operation_id="collectives_create",
        summary="Create a collective",
        description="The creator becomes its admin; a channel `general` is created with it.",
        request=InputSerializer,
        responses={201: CollectiveOutputSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        collective = collective_create(creator=request.user, **serializer.validated_data)
        return _collective_response(request.user, collective.pk, status.HTTP_201_CREATED)


class CollectiveDetailApi(APIView):
    @extend_schema(
        operation_id="collectives_retrieve",
        summary="Get a collective",
        responses={200: CollectiveOutputSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        collective = get_visible_collective(request.user, pk)
        return Response(CollectiveOutputSerializer(collective).data)


class CollectiveJoinApi(APIView):
    @extend_schema(
        operation_id="collectives_join",
        summary="Join a public collective",
        description=(
            "Idempotent: joining a collective you belong to answers 200 as well. A private "
            "collective is entered by invitation only; one you are not in is a 404. A member "
            "banned from the collective is refused (403) until the ban is lifted."
        ),
        request=None,
        responses={
            200: CollectiveOutputSerializer,
            401: UNAUTHENTICATED,
            403: OpenApiResponse(description="Banned from this collective."),
            404: OpenApiResponse(
                description="No such collective, or a private one you are not in (alike)."
            ),
        },
    )
    def post(self, request, pk: int):
        # A private collective I am not in answers exactly like a missing one (docs/api.md).
        collective = get_visible_collective(request.user, pk)
        collective_join(collective=collective, user=request.user)
        return _collective_response(request.user, collective.pk)


class CollectiveLeaveApi(APIView):
    class OutputSerializer(serializers.Serializer):
        detail = serializers.CharField()

        class Meta:
            ref_name = "CollectiveLeaveOutput"

    @extend_schema(
        operation_id="collectives_leave",
        summary="Leave a collective",
        description=(
            "Idempotent: leaving a collective you are not in answers 200 as well. If the "
            "last admin leaves, the longest-standing remaining member becomes admin."
        ),
        request=None,
        responses={200: OutputSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        collective = get_visible_collective(request.user, pk)
        left = collective_leave(collective=collective, user=request.user)
        detail = "You left the collective." if left else "You are not a member of this collective."
        return Response({"detail": detail})


class CollectiveMembersApi(APIView):
    class FilterSerializer(serializers.Serializer):
        limit = limit_field(default=200, maximum=1000)

    class InputSerializer(serializers.Serializer):
        user_id = IdField()

        class Meta:
            ref_name = "CollectiveMemberInviteInput"

        def validate_user_id(self, value: int) -> User:
            user = User.objects.filter(pk=value, is_active=True).first()
            if user is None:
                raise serializers.ValidationError("No such user.")
            return user

    @extend_schema(
        operation_id="collectives_members_list",
        summary="List the members of a collective",
        description="Longest-standing first; at most `limit` of them.",
        parameters=[FilterSerializer],
        responses={
            200: MemberOutputSerializer(many=True),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk: int):
        collective = get_visible_collective(request.user, pk)
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        members = collective_members(collective.pk)[: params.validated_data["limit"]]
        return Response(MemberOutputSerializer(members, many=True).data)

    @extend_schema(
        operation_id="collectives_members_add",
        summary="Invite a user into a collective",
        description=(
            "Collective admins only. 201 with the new membership; 200 with the existing one "
            "if the user already belongs."
        ),
        request=InputSerializer,
        responses={
            200: MemberOutputSerializer,
            201: MemberOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_ADMIN,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        collective = get_visible_collective(request.user, pk)
        _require_admin_role(collective)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitee = serializer.validated_data["user_id"]  # a User, resolved by validation
        member, created = collective_member_invite(
            collective=collective, admin=request.user, user=invitee
        )
        return Response(
            MemberOutputSerializer(member).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CollectiveChannelCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = StrictCharField(min_length=1, max_length=100)

        class Meta:
            ref_name = "ChannelCreateInput"

    @extend_schema(
        operation_id="collectives_channels_create",
        summary="Create a channel in a collective",
        description="Collective admins only; channel names are unique in a collective.",
        request=InputSerializer,
        responses={
            201: ChannelOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_ADMIN,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        collective = get_visible_collective(request.user, pk)
        _require_admin_role(collective)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = channel_create(
            collective=collective, admin=request.user, name=serializer.validated_data["name"]
        )
        return Response(ChannelOutputSerializer(channel).data, status=status.HTTP_201_CREATED)
