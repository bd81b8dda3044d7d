"""App configuration for uploaded media (images, audio, video)."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "atelier.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        from drf_spectacular.utils import extend_schema_field

        from atelier.media.selectors import attach_media_lists
        from atelier.media.serializers import MediaOutputSerializer
        from atelier.media.services import media_attach
        from atelier.post import attachments
        from atelier.post.serializers import PostOutputSerializer

        # Posts get their media through this hook: media sits above post (it serves files
        # with post's visibility rule), so post does not import media.
        attachments.register(
            attach=media_attach,
            attach_lists=attach_media_lists,
            output=lambda media: MediaOutputSerializer(media, many=True).data,
        )
        extend_schema_field(MediaOutputSerializer(many=True))(PostOutputSerializer.get_media)
