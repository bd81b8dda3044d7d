"""HTTP endpoints of notifications: my list, marking read, the unread count."""

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.core.api import BAD_INPUT, UNAUTHENTICATED, IdField, StrictBooleanField, limit_field
from atelier.core.serializers import UserRefSerializer
from atelier.notification.models import Notification
from atelier.notification.selectors import notification_list, unread_count
from atelier.notification.services import notifications_mark_read

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Marking read takes ids in one IN list; bound it like any list a client sends.
MAX_READ_IDS = 1000


class NotificationListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        unread = StrictBooleanField(
            required=False, default=False, help_text="`true`: only the unread ones."
        )
        limit = limit_field(default=DEFAULT_LIMIT, maximum=MAX_LIMIT)

    @extend_schema_serializer(component_name="Notification")
    class OutputSerializer(serializers.ModelSerializer):
        # Null for a moderation notice (decision, report_decided, appeal_decided).
        actor = UserRefSerializer(allow_null=True)
        post = serializers.IntegerField(source="post_id", allow_null=True)
        created_at = serializers.DateTimeField(source="notified_at")
        target = serializers.SerializerMethodField()

        class Meta:
            model = Notification
            fields = ["id", "kind", "actor", "post", "target", "is_read", "created_at"]

        @extend_schema_field(
            {
                "type": "object",
                "nullable": True,
                "properties": {"type": {"type": "string"}, "id": {"type": "integer"}},
            }
        )
        def get_target(self, obj):
            """What a moderation notice is about (docs/moderation.md); null otherwise."""
            if not obj.target_type:
                return None
            return {"type": obj.target_type, "id": obj.target_id}

    @extend_schema(
        operation_id="notifications_list",
        summary="My notifications, newest first",
        description=(
            "At most `limit` of them. Notifications about deleted posts and from users "
            "blocked either way are left out."
        ),
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        notifications = notification_list(
            user=request.user,
            unread_only=filters.validated_data["unread"],
            limit=filters.validated_data["limit"],
        )
        return Response(self.OutputSerializer(notifications, many=True).data)


class NotificationReadApi(APIView):
    @extend_schema_serializer(component_name="NotificationReadInput")
    class InputSerializer(serializers.Serializer):
        ids = serializers.ListField(
            child=IdField(),
            max_length=MAX_READ_IDS,
            required=False,
            allow_null=True,
            default=None,
            help_text="The notifications to mark read; absent or null marks all of mine.",
        )

    @extend_schema_serializer(component_name="NotificationReadOutput")
    class OutputSerializer(serializers.Serializer):
        marked = serializers.IntegerField(help_text="How many went from unread to read.")

    @extend_schema(
        operation_id="notifications_read",
        summary="Mark my notifications read",
        description="Ids that are not mine are ignored.",
        request=InputSerializer,
        responses={200: OutputSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=request.user, ids=serializer.validated_data["ids"])
        return Response(self.OutputSerializer({"marked": marked}).data)


class NotificationUnreadCountApi(APIView):
    @extend_schema_serializer(component_name="NotificationUnreadCountOutput")
    class OutputSerializer(serializers.Serializer):
        count = serializers.IntegerField()

    @extend_schema(
        operation_id="notifications_unread_count",
        summary="How many of my notifications are unread",
        responses={200: OutputSerializer, 401: UNAUTHENTICATED},
    )
    def get(self, request):
        return Response(self.OutputSerializer({"count": unread_count(user=request.user)}).data)
