"""GET, PUT and PATCH /api/user/preferences/: types, muted collectives, blocks and the
sensitive-content preference."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.collective.preferences import preferences_of, preferences_update
from atelier.core.api import BAD_INPUT, UNAUTHENTICATED, IdField, StrictBooleanField
from atelier.core.choices import ArtistType, PostType

# No preference list may grow past this, so one request cannot write unbounded rows.
MAX_PREFERENCE_LIST = 1000


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
        # Optional in PUT too: it came after the four lists, and a client that replaces
        # them must not have to know it (absent: unchanged).
        show_sensitive_content = StrictBooleanField(
            required=False,
            help_text=(
                "Show posts with a content warning unfolded and unblurred (the warning "
                "stays as a label). Absent: unchanged; default false."
            ),
        )

    @extend_schema_serializer(component_name="PreferencesOutput")
    class OutputSerializer(serializers.Serializer):
        preferred_post_types = serializers.ListField(child=serializers.CharField())
        preferred_artist_types = serializers.ListField(child=serializers.CharField())
        muted_collectives = serializers.ListField(child=serializers.IntegerField())
        blocked_users = serializers.ListField(child=serializers.IntegerField())
        show_sensitive_content = serializers.BooleanField()

    @extend_schema(
        operation_id="user_preferences_retrieve",
        summary="My feed preferences, mutes, blocks and the sensitive-content preference",
        responses={200: OutputSerializer, 401: UNAUTHENTICATED},
    )
    def get(self, request):
        return Response(self.OutputSerializer(preferences_of(request.user)).data)

    @extend_schema(
        operation_id="user_preferences_update",
        summary="Replace all four preference lists",
        description=(
            "Every list is required; `show_sensitive_content` is optional (absent: "
            "unchanged). Unknown types, collectives you cannot see, unknown "
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
