"""HTTP endpoints of moderation (docs/api.md, "Moderation"; docs/moderation.md).

Every `/api/moderation/` path answers 401 to a visitor and 404 to a member who is not
staff, except the two a member uses about decisions concerning them (the list of
decisions about me and the appeal of one).
"""

from django.contrib.auth import authenticate
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.core.api import (
    BAD_INPUT,
    NOT_FOUND,
    THROTTLED,
    UNAUTHENTICATED,
    IdField,
    StrictCharField,
    id_list_field,
)
from atelier.core.auth_backend import AccountSuspended
from atelier.core.exceptions import InvalidInput, InvalidState, NotFound
from atelier.core.serializers import UserRefSerializer
from atelier.core.throttling import ScopedThrottle, UserThrottle
from atelier.moderation import selectors, services
from atelier.moderation.models import (
    AUDIT_ACTIONS,
    Action,
    Appeal,
    Category,
    Report,
    TargetType,
)


class IsStaffOr404(BasePermission):
    """Staff only; a member who is not staff is told nothing exists here (404)."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_staff:
            raise Http404
        return True


STAFF = [IsAuthenticated, IsStaffOr404]


# --- Paging (like the feed: count, next, previous, results; 404 past the end) -----------------


class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=1_000_000, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=20)


def _link(request, page: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def paged(request, items, count: int | None = None):
    """(page items, envelope without results) for a queryset or list."""
    q = PageQuery(data=request.query_params)
    q.is_valid(raise_exception=True)
    page, size = q.validated_data["page"], q.validated_data["page_size"]
    total = items.count() if count is None else count
    start = (page - 1) * size
    if page > 1 and start >= total:
        raise NotFound("No such page.")
    chosen = list(items[start : start + size])
    envelope = {
        "count": total,
        "next": _link(request, page + 1) if start + size < total else None,
        "previous": _link(request, page - 1) if page > 1 else None,
    }
    return chosen, envelope


# --- Serializers ----------------------------------------------------------------------------


class DecisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    category = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="MyReport")
class MyReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    category = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField()
    decision = DecisionRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="StaffReport")
class StaffReportSerializer(MyReportSerializer):
    reporter_id = serializers.IntegerField()
    snapshot = serializers.JSONField()


class StaffDecisionSerializer(DecisionRefSerializer):
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    actor_id = serializers.IntegerField(allow_null=True)
    reversed_at = serializers.DateTimeField(allow_null=True)
    # The collective whose moderators decided; null for staff.
    collective_id = serializers.IntegerField(allow_null=True)


class HistorySerializer(serializers.Serializer):
    reports = StaffReportSerializer(many=True)
    decisions = StaffDecisionSerializer(many=True)


class QueueItemSerializer(serializers.Serializer):
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    target_user_id = serializers.IntegerField(allow_null=True)
    reports_count = serializers.IntegerField()
    weighted_count = serializers.FloatField(
        help_text="What the open reports filed since the target's latest decision weigh "
        "toward a hold (each reporter 1 / (1 + their reports dismissed lately)).",
    )
    held_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the target was held (seen by its author alone until a decision), "
        "or null.",
    )
    first_reported_at = serializers.DateTimeField()
    snapshot = serializers.JSONField()
    reports = StaffReportSerializer(many=True)
    history = HistorySerializer()


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision_id = serializers.IntegerField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    outcome = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


@extend_schema_serializer(component_name="ModerationDecision")
class DecisionSerializer(serializers.Serializer):
    """A decision as its affected member reads it: the statement of reasons, no reporter."""

    id = serializers.IntegerField()
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    action = serializers.CharField()
    category = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    reversed_at = serializers.DateTimeField(allow_null=True)
    collective_id = serializers.IntegerField(allow_null=True)  # its moderators decided
    appeal = serializers.SerializerMethodField()

    def get_appeal(self, obj) -> dict | None:
        appeal = getattr(obj, "appeal", None)
        return _appeal_data(appeal) if appeal is not None else None


def _appeal_data(appeal: Appeal) -> dict:
    return {
        "id": appeal.pk,
        "decision_id": appeal.decision_id,
        "text": appeal.text,
        "created_at": appeal.created_at,
        "outcome": appeal.outcome or None,
        "reason": appeal.reason,
        "decided_at": appeal.decided_at,
    }


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    actor_id = serializers.IntegerField(allow_null=True)
    actor_name = serializers.CharField()
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    target_name = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


def _page_serializer(name: str, item):
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


PAGE_QUERY = [PageQuery]


# --- Reports --------------------------------------------------------------------------------


class ReportCreateApi(APIView):
    """POST /api/reports/: report a post, comment, critique, member or collective."""

    throttle_classes = [UserThrottle, ScopedThrottle]
    throttle_scope = "report"
    throttle_sentence = "file at most %d reports"  # the 429 says so (core.throttling)

    @extend_schema_serializer(component_name="ReportInput")
    class InputSerializer(serializers.Serializer):
        target_type = serializers.ChoiceField(choices=TargetType.choices)
        target_id = IdField()
        category = serializers.ChoiceField(choices=Category.choices)
        text = StrictCharField(required=False, allow_blank=True, max_length=2_000, default="")

    @extend_schema(
        request=InputSerializer,
        responses={
            201: MyReportSerializer,
            200: MyReportSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            429: THROTTLED,
        },
        description="File a report (201), or update my open report on the same target (200).",
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report, created = services.report_create(reporter=request.user, **serializer.validated_data)
        report = Report.objects.select_related("decision").get(pk=report.pk)
        return Response(
            MyReportSerializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MyReportsApi(APIView):
    """GET /api/reports/mine/: my reports, each with its status and decision."""

    @extend_schema(
        parameters=PAGE_QUERY,
        responses={200: _page_serializer("MyReportPage", MyReportSerializer), 401: UNAUTHENTICATED},
    )
    def get(self, request):
        items, envelope = paged(request, selectors.my_reports(request.user))
        return Response({**envelope, "results": MyReportSerializer(items, many=True).data})


# --- Staff ----------------------------------------------------------------------------------


class QueueApi(APIView):
    """GET /api/moderation/reports/?status=open: one item per target, oldest first."""

    permission_classes = STAFF

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Report.Status.choices, default="open")

    @extend_schema(
        parameters=[FilterSerializer, PageQuery],
        responses={
            200: _page_serializer("ModerationQueuePage", QueueItemSerializer),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def get(self, request):
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        state = f.validated_data["status"]
        groups = selectors.queue_groups(state)
        page, envelope = paged(request, groups, count=groups.count())
        items = selectors.queue_items(page, state)
        return Response({**envelope, "results": QueueItemSerializer(items, many=True).data})


class ActionApi(APIView):
    """POST /api/moderation/actions/: act on a target, with a statement of reasons."""

    permission_classes = STAFF

    @extend_schema_serializer(component_name="ModerationActionInput")
    class InputSerializer(serializers.Serializer):
        target_type = serializers.ChoiceField(choices=TargetType.choices)
        target_id = IdField()
        action = serializers.ChoiceField(choices=Action.choices)
        reason = StrictCharField(required=False, allow_blank=True, max_length=5_000, default="")
        category = serializers.ChoiceField(choices=Category.choices, required=False)
        report_ids = id_list_field(max_length=1_000, required=False)
        content_warning = StrictCharField(required=False, max_length=200)

    @extend_schema(
        request=InputSerializer,
        responses={
            201: StaffDecisionSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = services.moderation_act(
            actor=request.user,
            target_type=data["target_type"],
            target_id=data["target_id"],
            action=data["action"],
            reason=data["reason"],
            category=data.get("category"),
            report_ids=data.get("report_ids"),
            content_warning=data.get("content_warning"),
        )
        body = StaffDecisionSerializer(decision).data
        body["reports_resolved"] = list(decision.reports.values_list("id", flat=True))
        return Response(body, status=status.HTTP_201_CREATED)


class AppealDecideApi(APIView):
    """POST /api/moderation/appeals/{id}/decide/: uphold or reverse, with reasons."""

    permission_classes = STAFF

    @extend_schema_serializer(component_name="AppealDecideInput")
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=Appeal.Outcome.choices)
        reason = StrictCharField(max_length=5_000)

    @extend_schema(
        request=InputSerializer,
        responses={201: AppealSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appeal = services.appeal_decide(
            actor=request.user, appeal_id=pk, **serializer.validated_data
        )
        return Response(_appeal_data(appeal), status=status.HTTP_201_CREATED)


class StaffAppealSerializer(AppealSerializer):
    """An appeal as staff read it: the decision appealed and who appealed."""

    decision = StaffDecisionSerializer()
    appellant = UserRefSerializer()

    def to_representation(self, appeal):
        body = super().to_representation(appeal)
        body["outcome"] = appeal.outcome or None
        return body


class AppealListApi(APIView):
    """GET /api/moderation/appeals/?status=open|decided: appeals for staff to decide."""

    permission_classes = STAFF

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["open", "decided"], default="open")

    @extend_schema(
        parameters=[FilterSerializer, PageQuery],
        responses={
            200: _page_serializer("StaffAppealPage", StaffAppealSerializer),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def get(self, request):
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        items, envelope = paged(request, selectors.appeals(f.validated_data["status"]))
        return Response({**envelope, "results": StaffAppealSerializer(items, many=True).data})


class AuditLogApi(APIView):
    """GET /api/moderation/log/: the audit log, newest first, filtered."""

    permission_classes = STAFF

    class FilterSerializer(serializers.Serializer):
        actor = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
        target_type = serializers.ChoiceField(choices=TargetType.choices, required=False)
        # Empty values count as missing, as everywhere in the API (the log page sends its
        # empty choices that way); an unknown action is a 400, not an empty page.
        action = serializers.ChoiceField(choices=AUDIT_ACTIONS, required=False)

    @extend_schema(
        parameters=[FilterSerializer, PageQuery],
        responses={
            200: _page_serializer("AuditLogPage", AuditEntrySerializer),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def get(self, request):
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        qs = selectors.audit_log(
            actor=f.validated_data.get("actor"),
            target_type=f.validated_data.get("target_type"),
            action=f.validated_data.get("action"),
        )
        items, envelope = paged(request, qs)
        return Response({**envelope, "results": AuditEntrySerializer(items, many=True).data})


# --- The affected member ----------------------------------------------------------------------


class MyDecisionsApi(APIView):
    """GET /api/moderation/decisions/: the decisions about me (any signed-in member)."""

    @extend_schema(
        parameters=PAGE_QUERY,
        responses={
            200: _page_serializer("ModerationDecisionPage", DecisionSerializer),
            401: UNAUTHENTICATED,
        },
    )
    def get(self, request):
        items, envelope = paged(request, selectors.decisions_about(request.user))
        return Response({**envelope, "results": DecisionSerializer(items, many=True).data})


class AppealCreateApi(APIView):
    """POST /api/moderation/decisions/{id}/appeal/: appeal a decision about me, once."""

    @extend_schema_serializer(component_name="AppealInput")
    class InputSerializer(serializers.Serializer):
        text = StrictCharField(max_length=5_000)

    @extend_schema(
        request=InputSerializer,
        responses={201: AppealSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def post(self, request, pk: int):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appeal = services.appeal_create(
            user=request.user, decision_id=pk, text=serializer.validated_data["text"]
        )
        return Response(_appeal_data(appeal), status=status.HTTP_201_CREATED)


class SuspensionAppealApi(APIView):
    """POST /api/moderation/suspension-appeal/: a suspended member, who cannot log in,
    appeals the suspension with their username and password."""

    permission_classes = [AllowAny]
    authentication_classes = []  # the credentials are in the body; no session, no CSRF

    @extend_schema_serializer(component_name="SuspensionAppealInput")
    class InputSerializer(serializers.Serializer):
        username = StrictCharField(max_length=150)
        password = StrictCharField(
            max_length=128, trim_whitespace=False, style={"input_type": "password"}
        )
        text = StrictCharField(max_length=5_000)

    @extend_schema(
        request=InputSerializer,
        responses={201: AppealSerializer, 400: BAD_INPUT, 429: THROTTLED},
        auth=[],
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appeal = self.appeal(request, **serializer.validated_data)
        return Response(_appeal_data(appeal), status=status.HTTP_201_CREATED)

    @staticmethod
    def appeal(request, *, username: str, password: str, text: str) -> Appeal:
        """Check the credentials (counted by the log-in limits like any log-in, in the
        authentication backend), then appeal the suspension (also the log-in page's)."""
        try:
            user = authenticate(request=request, username=username, password=password)
        except AccountSuspended as suspended:
            return services.suspension_appeal_create(user=suspended.user, text=text)
        if user is None:
            raise InvalidInput("Unable to log in with the provided credentials.")
        raise InvalidState("This account is not suspended; log in to appeal a decision.")
