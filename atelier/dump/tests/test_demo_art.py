"""seed_demo's pictures: image and comic posts get drawn artworks, music and video covers."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Q
from PIL import Image

from atelier.collective.selectors import member_collective_ids
from atelier.core.models import User
from atelier.core.selectors import fellow_ids
from atelier.dump import demo_art
from atelier.media.models import Media
from atelier.post.models import Post

pytestmark = pytest.mark.django_db

TINY = ("--users", "20", "--posts", "120", "--interactions", "100", "--days", "10")


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *TINY, "--now", "2026-03-01T12:00:00Z", *args, stdout=out)
    return out.getvalue()


@pytest.mark.slow
def test_the_newest_posts_get_pictures_and_covers(_media_root, client):
    output = seed("--pictures", "30", "--covers", "6")

    assert "Drew 30 pictures and 6 covers" in output
    pictured = Post.objects.filter(media_count=1)
    assert pictured.filter(post_type__in=["image", "comic"]).count() == 30
    assert pictured.filter(post_type__in=["music", "video"]).count() == 6
    assert Media.objects.filter(post__isnull=False).count() == 36
    assert not Post.objects.filter(media_count=1, media__isnull=True).exists()
    # The newest image post has one, and so do posts from the demo account's circle.
    newest = Post.objects.filter(post_type="image", is_deleted=False).order_by("-created_at")
    assert newest.first().media_count == 1
    demo = User.objects.get(username="demo")
    circle = pictured.filter(
        Q(author_id__in=fellow_ids(demo.id)) | Q(collective_id__in=member_collective_ids(demo.id))
    )
    assert circle.filter(post_type__in=["image", "comic"]).exists()
    for media in Media.objects.all()[:5]:
        for name in media.stored_names():
            assert (Path(_media_root) / name).is_file()
        assert media.owner_id == media.post.author_id
    # Served like any upload to those who may see the post.
    public = Media.objects.filter(post__collective__isnull=True).first()
    response = client.get(f"/media/{public.thumbnail}")
    assert response.status_code == 200


def test_every_image_and_comic_post_gets_its_own_picture_by_default(_media_root, client):
    """Issue 17: the demo drew 200 pictures for its 10,000 posts, so profile and collective
    grids were rows of blank tiles. Now every image and comic post has its own."""
    output = seed("--posts", "600", "--covers", "0")

    drawable = Post.objects.filter(post_type__in=["image", "comic"], is_deleted=False)
    assert drawable.count() > 200  # more than the old default
    assert f"Drew {drawable.count()} pictures" in output
    assert not drawable.filter(media_count=0).exists()
    media = Media.objects.filter(post__in=drawable)
    assert media.count() == drawable.count()
    # Each its own: distinct files, and all the thumbnails differ.
    assert len(set(media.values_list("file", flat=True))) == media.count()
    sample = media.order_by("?")[:20]
    contents = {(Path(_media_root) / m.thumbnail).read_bytes() for m in sample}
    assert len(contents) == len(sample)
    served = client.get(f"/media/{media.filter(post__collective__isnull=True).first().file}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"


def test_no_pictures_when_asked(db):
    assert "Drew 0 pictures and 0 covers" in seed("--pictures", "0", "--covers", "0")
    assert not Media.objects.exists()


def test_an_artists_pictures_share_a_style_and_are_deterministic():
    first = demo_art.artwork(author_id=3, post_id=10)
    again = demo_art.artwork(author_id=3, post_id=10)
    other_post = demo_art.artwork(author_id=3, post_id=11)

    assert first.tobytes() == again.tobytes()
    assert first.tobytes() != other_post.tobytes()
    assert demo_art.STYLES[3 % len(demo_art.STYLES)]  # one style per artist


@pytest.mark.parametrize("post_type", ["image", "comic", "music", "video"])
def test_render_makes_stored_variants(post_type):
    processed = demo_art.render((5, 2, post_type))

    display = Image.open(io.BytesIO(processed.display))
    thumbnail = Image.open(io.BytesIO(processed.thumbnail))
    assert display.format == thumbnail.format == "JPEG"
    assert display.size == (processed.width, processed.height)
    assert max(thumbnail.size) <= 480
    assert processed.placeholder.startswith("#")
