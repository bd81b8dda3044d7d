"""Serializers shared across apps."""

from rest_framework import serializers

from atelier.core.models import User


class UserRefSerializer(serializers.ModelSerializer):
    """How a user appears inside other objects: `{id, username, artist_type}`."""

    class Meta:
        model = User
        fields = ["id", "username", "artist_type"]
        read_only_fields = fields
