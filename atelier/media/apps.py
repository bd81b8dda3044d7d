"""App configuration for uploaded media (images, audio, video)."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "atelier.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        from drf_spectacular.utils import extend_schema_field

        from atelier.core import avatars
        from atelier.media.selectors import attach_media_lists
        from atelier.media.serializers import MediaOutputSerializer
        from atelier.media.services import avatar_media_id, avatar_square, media_attach
        from atelier.post import attachments
        from atelier.post.serializers import PostOutputSerializer

        # Posts get their media through this hook: media sits above post (it serves files
        # with post's visibility rule), so post does not import media.
        attachments.register(
            attach=media_attach,
            attach_lists=attach_media_lists,
            output=lambda media: MediaOutputSerializer(media, many=True).data,
        )
        # Core keeps a member's avatar as a file name; the square is made here.
        avatars.register(square_for=avatar_square, media_of=avatar_media_id)
        extend_schema_field(MediaOutputSerializer(many=True))(PostOutputSerializer.get_media)
