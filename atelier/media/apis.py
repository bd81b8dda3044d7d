"""Media endpoints: upload, read, delete (docs/api.md "Media"), and the file URLs themselves."""

import mimetypes
import os

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from atelier.core.api import RejectUnknownFieldsMixin, StrictCharField
from atelier.core.throttling import ScopedThrottle, UserThrottle
from atelier.media import services, storage
from atelier.media.processing import UploadRejected
from atelier.media.selectors import (
    can_view_media_file,
    get_visible_media,
    is_public_file,
    media_for_file,
)
from atelier.media.serializers import MediaOutputSerializer

MAX_ALT_TEXT = 1000
NOT_FOUND = OpenApiResponse(description="No such media, or not visible to you.")
UNAUTHENTICATED = OpenApiResponse(description="Not authenticated.")
# Multipart overhead allowed on top of the largest file before the body is even read.
REQUEST_OVERHEAD = 2**20


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The file is too large."
    default_code = "too_large"


class MediaUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]
    # The hardened classes: DRF's plain ones let every upload through while Redis is down.
    throttle_classes = [UserThrottle, ScopedThrottle]
    throttle_scope = "upload"

    @extend_schema_serializer(component_name="MediaUploadInput")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(use_url=False)
        cover = serializers.FileField(use_url=False, required=False)

    @extend_schema(
        operation_id="media_upload",
        summary="Upload an image, audio or video file (multipart `file`; `cover` for audio "
        "and video)",
        request={"multipart/form-data": InputSerializer},
        responses={
            201: MediaOutputSerializer,
            400: OpenApiResponse(description='Not an accepted file: {"file": [...]}.'),
            401: UNAUTHENTICATED,
            413: OpenApiResponse(description="Over the size limit of its kind."),
            429: OpenApiResponse(
                description="Too many uploads (THROTTLE_UPLOAD_RATE; a new account's "
                "THROTTLE_NEW_UPLOAD_RATE)."
            ),
        },
    )
    def post(self, request):
        # Refuse an oversized body from its declared length, before reading any of it.
        declared = request.META.get("CONTENT_LENGTH") or "0"
        largest = max(settings.MEDIA_MAX_BYTES.values())
        if declared.isdigit() and int(declared) > largest + REQUEST_OVERHEAD:
            raise PayloadTooLarge({"file": [f"Uploads may be at most {largest} bytes."]})
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            media = services.media_upload(
                owner=request.user,
                upload=data.validated_data["file"],
                cover=data.validated_data.get("cover"),
            )
        except UploadRejected as rejected:
            body = {rejected.field: [rejected.message]}
            if rejected.too_large:
                raise PayloadTooLarge(body) from None
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(MediaOutputSerializer(media).data, status=status.HTTP_201_CREATED)


class MediaDetailApi(APIView):
    @extend_schema(
        operation_id="media_detail",
        summary="A media object: mine, or attached to a post I can see",
        responses={200: MediaOutputSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        media = get_visible_media(request.user, pk)
        if media is None:
            raise Http404("No media matches the given query.")
        return Response(MediaOutputSerializer(media).data)

    @extend_schema_serializer(component_name="MediaUpdateInput")
    class UpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
        alt_text = StrictCharField(max_length=MAX_ALT_TEXT, allow_blank=True, trim_whitespace=True)

    @extend_schema(
        operation_id="media_update",
        summary='Set the alt text of my upload (`{alt_text}`; "" clears it)',
        request=UpdateSerializer,
        responses={
            200: MediaOutputSerializer,
            400: OpenApiResponse(description="Over 1000 characters, a NUL, an unknown field."),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(description="Not mine (attached to a post I can see)."),
            404: NOT_FOUND,
        },
    )
    def patch(self, request, pk: int):
        media = get_visible_media(request.user, pk)
        if media is None:
            raise Http404("No media matches the given query.")
        if media.owner_id != request.user.id:
            raise PermissionDenied("Only the uploader can describe it.")
        data = self.UpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        media = services.media_describe(media=media, alt_text=data.validated_data["alt_text"])
        return Response(MediaOutputSerializer(media).data)

    @extend_schema(
        operation_id="media_delete",
        summary="Delete my upload that is not attached to a post",
        responses={
            204: None,
            401: UNAUTHENTICATED,
            403: OpenApiResponse(description="Not mine, or attached to a post."),
            404: NOT_FOUND,
        },
    )
    def delete(self, request, pk: int):
        media = get_visible_media(request.user, pk)
        if media is None:
            raise Http404("No media matches the given query.")
        if media.owner_id != request.user.id:
            raise PermissionDenied("Only the uploader can delete it.")
        if media.square and media.square == request.user.avatar_file:
            raise PermissionDenied("It is your avatar; choose another one first.")
        if not services.media_delete(media=media):
            raise PermissionDenied("It is attached to a post; delete the post instead.")
        return Response(status=status.HTTP_204_NO_CONTENT)


# How long a cache may reuse a public post's file without asking again (docs/media.md,
# "Caching"): the longest a deleted post's picture stays in a shared cache.
PUBLIC_MAX_AGE = 60


class MediaFileView(APIView):
    """GET /media/<name>: the stored file, to those who may see the media (else 404).

    An APIView so that token-authenticated clients can fetch files of private posts too.
    Caching is chosen so that removal takes effect (docs/media.md, "Caching"): a public
    post's file may be reused for PUBLIC_MAX_AGE seconds, then must be revalidated; any
    other file is revalidated on every use (`private, no-cache`). Revalidation sends the
    ETag / Last-Modified back and is answered 304 - only after the access check, so a
    viewer who lost access gets the 404, never a 304.
    """

    permission_classes = [AllowAny]

    def perform_content_negotiation(self, request, force=False):
        # An <img> may send `Accept: image/webp` only; the answer is the file either way
        # (errors as JSON), so negotiation must never fail with a 406.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(exclude=True)
    def get(self, request, name: str):
        if not storage.is_stored_name(name):
            raise Http404("No such file.")
        media = media_for_file(name)
        if media is None or not can_view_media_file(request.user, media, name):
            raise Http404("No such file.")
        public = is_public_file(media, name)
        try:
            local_path = default_storage.path(name)
        except NotImplementedError:  # an object store: send the viewer to a signed URL
            response = HttpResponseRedirect(default_storage.url(name))
            response["Cache-Control"] = "private, no-store"
            return response
        try:
            stat = os.stat(local_path)
        except FileNotFoundError:
            raise Http404("No such file.") from None
        # Names are never reused, so size and time of the file identify its bytes.
        etag = quote_etag(f"{stat.st_size:x}-{stat.st_mtime_ns:x}")
        last_modified = int(stat.st_mtime)
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            content_type = (
                media.content_type
                if name == media.file
                else mimetypes.guess_type(name)[0] or "application/octet-stream"
            )
            try:
                response = FileResponse(open(local_path, "rb"), content_type=content_type)
            except FileNotFoundError:
                raise Http404("No such file.") from None
            response["X-Content-Type-Options"] = "nosniff"
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = (
            f"public, max-age={PUBLIC_MAX_AGE}, must-revalidate" if public else "private, no-cache"
        )
        return response
