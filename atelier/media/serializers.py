"""The media object of docs/api.md: `{id, kind, url, thumbnail_url, width, height, placeholder,
content_type, size, alt_text}`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from atelier.media.models import Media
from atelier.media.storage import file_url


class MediaOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Media
        fields = [
            "id",
            "kind",
            "url",
            "thumbnail_url",
            "width",
            "height",
            "placeholder",
            "content_type",
            "size",
            "alt_text",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_url(self, media: Media) -> str:
        return file_url(media.file)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, media: Media) -> str | None:
        return file_url(media.thumbnail)
