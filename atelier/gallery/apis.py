"""HTTP endpoints for galleries."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.core.api import MAX_ID, UNAUTHENTICATED, IdField, StrictCharField, limit_field
from atelier.core.serializers import UserRefSerializer
from atelier.gallery.models import Gallery
from atelier.gallery.selectors import galleries_for, get_visible_gallery
from atelier.gallery.services import gallery_create, gallery_delete, gallery_update

MAX_POSTS = 200

BAD_INPUT = OpenApiResponse(description="Invalid input, or a post you cannot see.")
NOT_CREATOR = OpenApiResponse(description="Not the creator of this gallery.")
NOT_FOUND = OpenApiResponse(description="No such gallery, or someone else's draft.")


def _post_ids_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=IdField(),
        max_length=MAX_POSTS,
        help_text="Post ids in gallery order (repeats are dropped); each visible to you.",
        **kwargs,
    )


class GalleryOutputSerializer(serializers.Serializer):
    """A gallery as its viewer sees it: `post_ids` holds only posts the viewer may see."""

    id = serializers.IntegerField()
    creator = UserRefSerializer()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=Gallery.Status.choices)
    post_ids = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_post_ids(self, gallery: Gallery) -> list[int]:
        return [item.post_id for item in gallery.visible_items]


def _require_creator(gallery: Gallery, user) -> None:
    """403 before looking at the body: a stranger's edit is refused whatever it says."""
    if gallery.creator_id != user.id:
        raise PermissionDenied("Only the creator of this gallery can change it.")


def _gallery_response(viewer, gallery_id: int, http_status: int = status.HTTP_200_OK):
    """Serialize the gallery freshly read, so `post_ids` is filtered like any read."""
    gallery = get_visible_gallery(viewer, gallery_id)
    return Response(GalleryOutputSerializer(gallery).data, status=http_status)


class GalleryListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        creator = serializers.IntegerField(
            min_value=1, max_value=MAX_ID, required=False, help_text="Only this user's galleries."
        )
        limit = limit_field(default=50, maximum=200)

    class InputSerializer(serializers.Serializer):
        title = StrictCharField(max_length=200)
        description = StrictCharField(max_length=5_000, allow_blank=True, default="")
        status = serializers.ChoiceField(
            choices=Gallery.Status.choices, default=Gallery.Status.DRAFT
        )
        post_ids = _post_ids_field(default=list)

        class Meta:
            ref_name = "GalleryCreateInput"

    @extend_schema(
        operation_id="galleries_list",
        summary="List galleries",
        description=(
            "My galleries (any status) and the published galleries of others, newest first."
        ),
        parameters=[FilterSerializer],
        responses={
            200: GalleryOutputSerializer(many=True),
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
        },
    )
    def get(self, request):
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        galleries = galleries_for(request.user, creator_id=params.validated_data.get("creator"))
        galleries = galleries[: params.validated_data["limit"]]
        return Response(GalleryOutputSerializer(galleries, many=True).data)

    @extend_schema(
        operation_id="galleries_create",
        summary="Create a gallery",
        request=InputSerializer,
        responses={201: GalleryOutputSerializer, 400: BAD_INPUT, 401: UNAUTHENTICATED},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        gallery = gallery_create(creator=request.user, **serializer.validated_data)
        return _gallery_response(request.user, gallery.pk, status.HTTP_201_CREATED)


class GalleryDetailApi(APIView):
    class UpdateInputSerializer(serializers.Serializer):
        title = StrictCharField(max_length=200, required=False)
        description = StrictCharField(max_length=5_000, allow_blank=True, required=False)
        status = serializers.ChoiceField(choices=Gallery.Status.choices, required=False)
        post_ids = _post_ids_field(required=False)

        class Meta:
            ref_name = "GalleryUpdateInput"

    @extend_schema(
        operation_id="galleries_retrieve",
        summary="Get a gallery",
        responses={200: GalleryOutputSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        gallery = get_visible_gallery(request.user, pk)
        return Response(GalleryOutputSerializer(gallery).data)

    @extend_schema(
        operation_id="galleries_partial_update",
        summary="Change a gallery",
        description="Creator only. `post_ids`, when given, replaces the whole list.",
        request=UpdateInputSerializer,
        responses={
            200: GalleryOutputSerializer,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: NOT_CREATOR,
            404: NOT_FOUND,
        },
    )
    def patch(self, request, pk: int):
        gallery = get_visible_gallery(request.user, pk)
        _require_creator(gallery, request.user)
        serializer = self.UpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        gallery_update(gallery=gallery, actor=request.user, **serializer.validated_data)
        return _gallery_response(request.user, gallery.pk)

    @extend_schema(
        operation_id="galleries_destroy",
        summary="Delete a gallery",
        description="Creator only; a soft delete.",
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: UNAUTHENTICATED,
            403: NOT_CREATOR,
            404: NOT_FOUND,
        },
    )
    def delete(self, request, pk: int):
        gallery = get_visible_gallery(request.user, pk)
        gallery_delete(gallery=gallery, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
