"""Writes on galleries: create, update (including the ordered posts), soft delete."""

from collections.abc import Iterable

from django.db import transaction

from atelier.core.exceptions import InvalidInput, NotAllowed, NotFound
from atelier.core.models import User
from atelier.gallery.models import Gallery, GalleryItem
from atelier.post.selectors import visible_posts


def _checked_post_ids(*, creator: User, post_ids: Iterable[int]) -> list[int]:
    """Return `post_ids` without repeats, in order; 400 unless the creator may see each one.

    The error names the offending ids but never says whether such a post exists.
    """
    ordered = list(dict.fromkeys(post_ids))
    if not ordered:
        return ordered
    visible = set(visible_posts(creator).filter(pk__in=ordered).values_list("pk", flat=True))
    rejected = [pid for pid in ordered if pid not in visible]
    if rejected:
        listed = ", ".join(str(pid) for pid in rejected)
        raise InvalidInput(
            f"These posts do not exist or are not visible to you: {listed}.", field="post_ids"
        )
    return ordered


def _replace_items(*, gallery: Gallery, post_ids: list[int]) -> None:
    GalleryItem.objects.filter(gallery=gallery).delete()
    GalleryItem.objects.bulk_create(
        GalleryItem(gallery=gallery, post_id=pid, position=position)
        for position, pid in enumerate(post_ids)
    )


def _require_creator(*, gallery: Gallery, actor: User) -> None:
    if gallery.creator_id != actor.id:
        raise NotAllowed("Only the creator of this gallery can change it.")


@transaction.atomic
def gallery_create(
    *,
    creator: User,
    title: str,
    description: str = "",
    status: str = Gallery.Status.DRAFT,
    post_ids: Iterable[int] = (),
) -> Gallery:
    """Create a gallery of posts, in the given order, each visible to its creator."""
    ordered = _checked_post_ids(creator=creator, post_ids=post_ids)
    gallery = Gallery.objects.create(
        creator=creator, title=title, description=description, status=status
    )
    _replace_items(gallery=gallery, post_ids=ordered)
    return gallery


@transaction.atomic
def gallery_update(
    *,
    gallery: Gallery,
    actor: User,
    title: str | None = None,
    description: str | None = None,
    status: str | None = None,
    post_ids: Iterable[int] | None = None,
) -> Gallery:
    """Change the given fields (None leaves one as it is); `post_ids` replaces the items.

    Replacing the items drops any the creator can no longer see (say, after leaving a
    collective), since they could not have listed them.
    """
    _require_creator(gallery=gallery, actor=actor)
    # The row lock serialises concurrent edits: two item replacements interleaving would
    # otherwise trip the (gallery, post) unique constraint.
    gallery = (
        Gallery.objects.select_for_update(no_key=True).filter(pk=gallery.pk, is_deleted=False)
    ).first()
    if gallery is None:  # deleted by a concurrent request since the caller read it
        raise NotFound("No gallery matches the given query.")
    changes = {"title": title, "description": description, "status": status}
    for field, value in changes.items():
        if value is not None:
            setattr(gallery, field, value)
    if post_ids is not None:
        _replace_items(
            gallery=gallery, post_ids=_checked_post_ids(creator=actor, post_ids=post_ids)
        )
    gallery.save(update_fields=[*(f for f, v in changes.items() if v is not None), "updated_at"])
    return gallery


@transaction.atomic
def gallery_delete(*, gallery: Gallery, actor: User) -> None:
    """Soft-delete the gallery: it disappears for everyone, its rows stay."""
    _require_creator(gallery=gallery, actor=actor)
    gallery.is_deleted = True
    gallery.save(update_fields=["is_deleted", "updated_at"])
