"""GET /api/users/me/ and /api/users/<id>/: profiles, which count the user's posts."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.core.api import NOT_FOUND, UNAUTHENTICATED
from atelier.core.models import User
from atelier.post.profiles import get_user_profile, user_profile_queryset


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
        user = user_profile_queryset(request.user.pk).get(pk=request.user.pk)
        return Response(self.OutputSerializer(user).data)
