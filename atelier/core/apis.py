"""HTTP endpoints of the core app: sign-up and tokens, users, fellows and preferences."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.core.api import (
    BAD_INPUT,
    NOT_FOUND,
    THROTTLED,
    UNAUTHENTICATED,
    IdField,
    StrictCharField,
)
from atelier.core.choices import ArtistType, PostType
from atelier.core.models import User, UserFellow
from atelier.core.selectors import (
    fellows_of,
    get_user_profile,
    pending_fellow_requests,
    preferences_of,
    user_profile_queryset,
)
from atelier.core.serializers import UserRefSerializer
from atelier.core.services import (
    auth_token_for,
    fellow_remove,
    fellow_request_accept,
    fellow_request_create,
    fellow_request_decline,
    preferences_update,
    user_register,
)
from atelier.core.throttling import AuthThrottle
from atelier.core.validators import validate_new_username

# No preference list may grow past this, so one request cannot write unbounded rows.
MAX_PREFERENCE_LIST = 1000


class BadCredentials(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Unable to log in with the provided credentials."
    default_code = "authorization"


# --- Auth -----------------------------------------------------------------------------------


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]

    @extend_schema_serializer(component_name="RegisterInput")
    class InputSerializer(serializers.Serializer):
        username = StrictCharField(
            max_length=150,
            help_text="ASCII letters, digits and @ . + - _; unique regardless of case.",
        )
        password = StrictCharField(
            max_length=128, trim_whitespace=False, style={"input_type": "password"}
        )
        email = serializers.EmailField(required=False, allow_blank=True, default="")
        artist_type = serializers.ChoiceField(
            choices=ArtistType.choices, required=False, default=ArtistType.OTHER
        )

        def validate_username(self, value: str) -> str:
            try:
                return validate_new_username(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None

    @extend_schema_serializer(component_name="RegisterOutput")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        token = serializers.CharField()

    @extend_schema(
        operation_id="auth_register",
        summary="Create an account and get its API token",
        request=InputSerializer,
        responses={
            201: OutputSerializer,
            400: BAD_INPUT,
            429: THROTTLED,
        },
        auth=[],
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, token = user_register(**serializer.validated_data)
        data = {"id": user.id, "username": user.username, "token": token.key}
        return Response(self.OutputSerializer(data).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    # Limited where every log-in door is, in the authentication backend (LoginAttempt):
    # a view throttle here would count each attempt twice.
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="TokenInput")
    class InputSerializer(serializers.Serializer):
        username = StrictCharField(max_length=150)
        password = StrictCharField(
            max_length=128, trim_whitespace=False, style={"input_type": "password"}
        )

    @extend_schema_serializer(component_name="TokenOutput")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(
        operation_id="auth_token",
        summary="Exchange a username and password for the API token",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="Missing fields or bad credentials."),
            429: THROTTLED,
        },
        auth=[],
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request, **serializer.validated_data)
        if user is None:
            raise BadCredentials()
        token = auth_token_for(user=user)
        return Response(self.OutputSerializer({"token": token.key}).data)


# --- Users ----------------------------------------------------------------------------------


class UserProfileOutputSerializer(serializers.ModelSerializer):
    fellows_count = serializers.IntegerField()
    posts_count = serializers.IntegerField()

    class Meta:
        model = User
        fields = ["id", "username", "artist_type", "fellows_count", "posts_count"]


class UserDetailApi(APIView):
    @extend_schema(
        operation_id="users_retrieve",
        summary="A user's public profile",
        description="404 for an unknown user and for one blocked either way.",
        responses={200: UserProfileOutputSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        user = get_user_profile(viewer=request.user, user_id=pk)
        return Response(UserProfileOutputSerializer(user).data)


class UserMeApi(APIView):
    @extend_schema_serializer(component_name="UserMeOutput")
    class OutputSerializer(UserProfileOutputSerializer):
        class Meta(UserProfileOutputSerializer.Meta):
            fields = [*UserProfileOutputSerializer.Meta.fields, "email"]

    @extend_schema(
        operation_id="users_me",
        summary="The current user's profile, with their email",
        responses={200: OutputSerializer, 401: UNAUTHENTICATED},
    )
    def get(self, request):
        user = user_profile_queryset().get(pk=request.user.pk)
        return Response(self.OutputSerializer(user).data)


# --- Fellows --------------------------------------------------------------------------------


class FellowRequestOutputSerializer(serializers.ModelSerializer):
    from_user = serializers.IntegerField(source="user_id")
    to_user = serializers.IntegerField(source="fellow_user_id")

    class Meta:
        model = UserFellow
        fields = ["id", "from_user", "to_user", "status", "created_at"]


class FellowRequestListCreateApi(APIView):
    @extend_schema_serializer(component_name="FellowRequestCreateInput")
    class InputSerializer(serializers.Serializer):
        user_id = IdField()

    @extend_schema(
        operation_id="fellows_requests_list",
        summary="My pending fellow requests, sent and received, newest first",
        responses={200: FellowRequestOutputSerializer(many=True), 401: UNAUTHENTICATED},
    )
    def get(self, request):
        requests = pending_fellow_requests(request.user.id)
        return Response(FellowRequestOutputSerializer(requests, many=True).data)

    @extend_schema(
        operation_id="fellows_requests_create",
        summary="Ask a user to become fellows",
        description=(
            "201 with a new pending request (a declined one is reopened from you); 200 with "
            "the existing request if the two of you already have a pending or accepted one, "
            "whoever sent it. 400 for yourself, an unknown user, or one blocked either way."
        ),
        request=InputSerializer,
        responses={
            201: FellowRequestOutputSerializer,
            200: FellowRequestOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
        },
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        relation, created = fellow_request_create(
            from_user=request.user, to_user_id=serializer.validated_data["user_id"]
        )
        return Response(
            FellowRequestOutputSerializer(relation).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class FellowRequestAcceptApi(APIView):
    @extend_schema(
        operation_id="fellows_requests_accept",
        summary="Accept a fellow request addressed to me",
        description="Idempotent. 404 unless you are the addressee; 400 if it was declined.",
        request=None,
        responses={
            200: FellowRequestOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        relation = fellow_request_accept(user=request.user, request_id=pk)
        return Response(FellowRequestOutputSerializer(relation).data)


class FellowRequestDeclineApi(APIView):
    @extend_schema(
        operation_id="fellows_requests_decline",
        summary="Decline a fellow request addressed to me",
        description="Idempotent. 404 unless you are the addressee; 400 if already accepted.",
        request=None,
        responses={
            200: FellowRequestOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        relation = fellow_request_decline(user=request.user, request_id=pk)
        return Response(FellowRequestOutputSerializer(relation).data)


class FellowListApi(APIView):
    @extend_schema(
        operation_id="fellows_list",
        summary="My fellows, by username",
        description="Blocking a fellow keeps the fellowship (their posts are hidden anyway).",
        responses={200: UserRefSerializer(many=True), 401: UNAUTHENTICATED},
    )
    def get(self, request):
        return Response(UserRefSerializer(fellows_of(request.user.id), many=True).data)


class FellowRemoveApi(APIView):
    @extend_schema(
        operation_id="fellows_remove",
        summary="Stop being fellows with a user (for both of you)",
        responses={
            204: None,
            401: UNAUTHENTICATED,
            404: OpenApiResponse(description="Not fellows."),
        },
    )
    def delete(self, request, user_id: int):
        fellow_remove(user=request.user, fellow_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Preferences ----------------------------------------------------------------------------


def _id_list(label: str) -> serializers.ListField:
    return serializers.ListField(
        child=IdField(),
        max_length=MAX_PREFERENCE_LIST,
        help_text=f"Ids of {label}; repeats are dropped.",
    )


class PreferencesApi(APIView):
    @extend_schema_serializer(component_name="PreferencesInput")
    class InputSerializer(serializers.Serializer):
        preferred_post_types = serializers.ListField(
            child=serializers.ChoiceField(choices=PostType.choices),
            max_length=MAX_PREFERENCE_LIST,
        )
        preferred_artist_types = serializers.ListField(
            child=serializers.ChoiceField(choices=ArtistType.choices),
            max_length=MAX_PREFERENCE_LIST,
        )
        muted_collectives = _id_list("collectives you can see")
        blocked_users = _id_list("users (not yourself)")

    @extend_schema_serializer(component_name="PreferencesOutput")
    class OutputSerializer(serializers.Serializer):
        preferred_post_types = serializers.ListField(child=serializers.CharField())
        preferred_artist_types = serializers.ListField(child=serializers.CharField())
        muted_collectives = serializers.ListField(child=serializers.IntegerField())
        blocked_users = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(
        operation_id="user_preferences_retrieve",
        summary="My feed preferences, mutes and blocks",
        responses={200: OutputSerializer, 401: UNAUTHENTICATED},
    )
    def get(self, request):
        return Response(self.OutputSerializer(preferences_of(request.user)).data)

    @extend_schema(
        operation_id="user_preferences_update",
        summary="Replace all four preference lists",
        description=(
            "Every field is required. Unknown types, collectives you cannot see, unknown "
            "users or yourself in `blocked_users`: 400. A block hides posts both ways; "
            "blocking a fellow keeps the fellowship."
        ),
        request=InputSerializer,
        responses={200: OutputSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(
        operation_id="user_preferences_partial_update",
        summary="Replace some of the preference lists",
        description="Only the fields given change; each is replaced as a whole.",
        request=InputSerializer(partial=True),
        responses={200: OutputSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        serializer = self.InputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        preferences_update(user=request.user, **serializer.validated_data)
        return Response(self.OutputSerializer(preferences_of(request.user)).data)
