"""Serializers shared across apps."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from atelier.core.models import User


def avatar_url(user: User) -> str | None:
    """The URL of the member's square avatar, or None. The file is served at /media/<name>
    by the media app, to whoever may see the member (docs/media.md, "Avatars")."""
    if not user.avatar_file:
        return None
    return reverse("media-file", kwargs={"name": user.avatar_file})


class UserRefSerializer(serializers.ModelSerializer):
    """How a user appears inside other objects:
    `{id, username, display_name, artist_type, avatar}`.

    Both profile fields come from the user row itself, so a page of posts whose authors
    are joined costs no query more for them.
    """

    display_name = serializers.SerializerMethodField()
    avatar = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "artist_type", "avatar"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_display_name(self, user: User) -> str | None:
        return user.display_name or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_avatar(self, user: User) -> str | None:
        return avatar_url(user)
