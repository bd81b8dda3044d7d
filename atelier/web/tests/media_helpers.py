"""Pictures for the pages' tests: stored exactly as an upload would be."""

from PIL import Image

from atelier.media import processing
from atelier.media.services import media_attach, media_store_processed
from atelier.post.models import Post


def picture_for(post: Post, colour=(180, 60, 40), size=(800, 600)):
    """Attach a stored picture of one colour to `post`; return the media."""
    processed = processing.variants(Image.new("RGB", size, colour))
    media = media_store_processed(owner_id=post.author_id, processed=processed)
    media_attach(post=post, owner=post.author, media_ids=[media.pk])
    Post.objects.filter(pk=post.pk).update(media_count=1)
    media.refresh_from_db()
    return media
