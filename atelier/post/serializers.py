"""Output shapes of posts and remarks, shared by the post and feed APIs."""

from rest_framework import serializers

from atelier.core.serializers import UserRefSerializer
from atelier.post.models import Post


class PostOutputSerializer(serializers.ModelSerializer):
    """API.md's post object."""

    author = UserRefSerializer(read_only=True)
    channel = serializers.IntegerField(source="channel_id", allow_null=True)
    collective = serializers.IntegerField(source="collective_id", allow_null=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "author",
            "post_type",
            "title",
            "body",
            "channel",
            "collective",
            "created_at",
            "hearts_count",
            "praise_count",
            "trophy_count",
            "comment_count",
            "critique_count",
        ]
        read_only_fields = fields


class RemarkOutputSerializer(serializers.Serializer):
    """A comment or critique: `{id, author, text, created_at}`."""

    id = serializers.IntegerField()
    author = UserRefSerializer()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
