"""Reads of media: who may see an upload, and a post's media for many posts at once."""

from collections.abc import Iterable

from django.db.models import Q

from atelier.media.models import Media
from atelier.post.profiles import is_member_visible_to
from atelier.post.selectors import is_post_visible_to


def media_base_queryset():
    """The one queryset media reads start from (the post decides visibility)."""
    return Media.objects.select_related("post", "owner")


def is_avatar_file(media: Media, name: str) -> bool:
    """True if `name` is the square variant that is now its owner's avatar."""
    return bool(media.square) and name == media.square == media.owner.avatar_file


def can_view_media_file(user, media: Media, name: str) -> bool:
    """The one rule for a stored file (docs/media.md): a member's current avatar is seen by
    whoever may see the member (post.profiles.is_member_visible_to: not suspended, no
    block either way, visitors included); every other file follows its media."""
    if is_avatar_file(media, name) and is_member_visible_to(user, media.owner):
        return True
    return can_view_media(user, media)


def is_public_file(media: Media, name: str) -> bool:
    """True if a visitor may see the file `name` of `media` (it may sit in a shared cache)."""
    if is_avatar_file(media, name):
        return is_member_visible_to(None, media.owner)
    return is_public_media(media)


def can_view_media(user, media: Media) -> bool:
    """Mine, or attached to a post `user` can see (docs/api.md "Media")."""
    if user is not None and user.is_authenticated and media.owner_id == user.id:
        return True
    return media.post_id is not None and is_post_visible_to(media.post, user)


def is_public_media(media: Media) -> bool:
    """True if a visitor may see `media`: attached to a post that the visibility rule shows
    to anyone. Only such a file may sit in a shared cache (media's file view)."""
    return media.post_id is not None and is_post_visible_to(media.post, None)


def get_visible_media(user, media_id: int) -> Media | None:
    """The media if `user` may see it, else None (the caller answers 404 either way)."""
    if not 1 <= media_id < 2**63:  # beyond any id the databases hold: never an overflow
        return None
    media = media_base_queryset().filter(pk=media_id).first()
    if media is None or not can_view_media(user, media):
        return None
    return media


def media_for_file(name: str) -> Media | None:
    """The upload that stored file `name` (its main file, thumbnail or square)."""
    return media_base_queryset().filter(Q(file=name) | Q(thumbnail=name) | Q(square=name)).first()


def attach_media_lists(posts: Iterable) -> None:
    """Give every post an `attached_media` list, in its order, in at most one query.

    Posts count their media (`media_count`), so a page without media costs no query at
    all and a page with some costs one, however many posts it has.
    """
    posts = [p for p in posts if not hasattr(p, "attached_media")]
    wanted = [p.id for p in posts if p.media_count]
    by_post: dict[int, list[Media]] = {}
    if wanted:
        for media in Media.objects.filter(post_id__in=wanted).order_by("post_id", "position"):
            by_post.setdefault(media.post_id, []).append(media)
    for post in posts:
        post.attached_media = by_post.get(post.id, [])


def images_of(owner, *, limit: int = 24):
    """`owner`'s latest pictures, newest first (to choose an avatar from)."""
    return Media.objects.filter(owner=owner, kind=Media.Kind.IMAGE).order_by("-created_at", "-id")[
        :limit
    ]
