"""Output shapes of posts and remarks, shared by the post and feed APIs."""

from rest_framework import serializers

from atelier.core.serializers import UserRefSerializer
from atelier.post import attachments
from atelier.post.models import Post


class PostListSerializer(serializers.ListSerializer):
    """Many posts: their media are fetched for the whole list at once (no N+1)."""

    def to_representation(self, data):
        posts = list(data.all() if hasattr(data, "all") else data)
        attachments.attach_lists(posts)
        return super().to_representation(posts)


class PostOutputSerializer(serializers.ModelSerializer):
    """docs/api.md's post object; `media` in the order the author gave."""

    author = UserRefSerializer(read_only=True)
    media = serializers.SerializerMethodField()
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
            "media",
            "content_warning",
        ]
        read_only_fields = fields
        list_serializer_class = PostListSerializer

    # Its schema (a list of media objects) is declared by the media app, in its ready().
    def get_media(self, post: Post) -> list[dict]:
        return attachments.media_of(post)


class RemarkOutputSerializer(serializers.Serializer):
    """A critique: `{id, author, text, created_at}` (a comment adds `reply_to`)."""

    id = serializers.IntegerField()
    author = UserRefSerializer()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class CommentOutputSerializer(RemarkOutputSerializer):
    """A comment: a remark and `reply_to`, the id of its thread's top comment or null."""

    reply_to = serializers.IntegerField(
        source="reply_to_id",
        allow_null=True,
        help_text="The top comment this one answers (one level of threading), or null.",
    )


# The output shape of each kind of remark: only comments have replies.
REMARK_OUTPUT = {"comment": CommentOutputSerializer, "critique": RemarkOutputSerializer}
