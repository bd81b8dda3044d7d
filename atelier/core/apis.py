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
from atelier.core.choices import ArtistType
from atelier.core.models import UserFellow
from atelier.core.selectors import (
    fellows_of,
    pending_fellow_requests,
)
from atelier.core.serializers import UserRefSerializer
from atelier.core.services import (
    auth_token_for,
    fellow_remove,
    fellow_request_accept,
    fellow_request_create,
    fellow_request_decline,
    user_register,
)
from atelier.core.throttling import AuthThrottle
from atelier.core.validators import validate_new_username


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
            403: OpenApiResponse(
                description="The right password of a suspended account: "
                '`{"detail": "This account is suspended.", suspended_at, decision, appeal}`.'
            ),
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
