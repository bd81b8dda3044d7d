"""Reads of galleries: which ones a user may see, with the post ids visible to them."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from atelier.core.selectors import without_blocked
from atelier.gallery.models import Gallery, GalleryItem
from atelier.post.selectors import visible_posts
from atelier.post.visibility import not_suspended


def gallery_base_queryset(viewer) -> QuerySet[Gallery]:
    """The one queryset gallery reads start from; it owns the select/prefetch.

    Each gallery gets `visible_items`: its items, in gallery order, whose post `viewer` may
    see. Visibility is one IN-subquery inside the single prefetch query, so the cost does
    not grow with the number of galleries or items.
    """
    items = (
        GalleryItem.objects.filter(post__in=visible_posts(viewer))
        .only("id", "gallery_id", "post_id", "position")
        .order_by("position", "id")
    )
    return (
        Gallery.objects.filter(is_deleted=False)
        .select_related("creator")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="visible_items"))
    )


def galleries_for(viewer, *, creator_id: int | None = None) -> QuerySet[Gallery]:
    """Return the viewer's galleries (any status) and others' published ones, newest first.

    Galleries of someone blocked either way, and of a suspended member (everything they
    wrote is hidden: docs/moderation.md), are left out (and answer 404 one by one).
    """
    qs = gallery_base_queryset(viewer).filter(
        Q(creator_id=viewer.id) | Q(status=Gallery.Status.PUBLISHED),
        not_suspended("creator_id"),
    )
    qs = without_blocked(qs, viewer.id, "creator_id")
    if creator_id is not None:
        qs = qs.filter(creator_id=creator_id)
    return qs.order_by("-created_at", "-id")


def get_visible_gallery(viewer, gallery_id: int) -> Gallery:
    """Return the gallery if `viewer` may see it; raise Http404 otherwise (drafts stay hidden)."""
    gallery = galleries_for(viewer).filter(pk=gallery_id).first()
    if gallery is None:
        raise Http404("No gallery matches the given query.")
    return gallery
