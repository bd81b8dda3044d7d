"""Writes on media: upload, delete, attach to a new post, prune what is no longer needed."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from atelier.core.avatars import AvatarNotUsable
from atelier.core.models import User
from atelier.core.throttling import new_account_limit
from atelier.media import processing, storage
from atelier.media.models import Media

# Post's rules for a post's media (post/attachments.py), re-exported for media's callers.
from atelier.post.attachments import MAX_MEDIA_PER_POST, MediaNotAttachable  # noqa: F401


def media_upload(*, owner, upload, cover=None) -> Media:
    """Check, process and store an upload; raise `processing.UploadRejected` otherwise.

    Everything is checked and encoded in memory first, so a refused upload stores nothing;
    if storing or the insert fails half-way, the files already written are removed. A new
    account that has reached its limit is refused first (NewAccountLimited), before any
    decoding, on every door that uploads.
    """
    with new_account_limit(owner, "upload"):
        return _store_upload(owner=owner, upload=upload, cover=cover)


def _store_upload(*, owner, upload, cover) -> Media:
    sniffed = processing.sniff(upload)
    processing.check_size(upload, sniffed.kind)
    image = cover_image = None
    if sniffed.kind == "image":
        if cover is not None:
            raise processing.UploadRejected("Only audio and video take a cover.", field="cover")
        image = processing.process_image(upload)
    elif cover is not None:
        try:
            cover_image = processing.process_image_upload(cover)
        except processing.UploadRejected as rejected:
            rejected.field = "cover"
            raise

    stem = storage.new_stem()
    written: list[str] = []
    try:
        if image is not None:
            file = storage.save_bytes(f"{stem}.webp", image.display)
            written.append(file)
            content_type, size = "image/webp", len(image.display)
        else:
            file = storage.save_upload(f"{stem}.{sniffed.extension}", upload)
            written.append(file)
            content_type, size = sniffed.content_type, upload.size
        shown = image or cover_image
        thumbnail = ""
        if shown is not None:
            thumbnail = storage.save_bytes(
                f"{stem}-{processing.THUMBNAIL_SIZE}.webp", shown.thumbnail
            )
            written.append(thumbnail)
        return Media.objects.create(
            owner=owner,
            kind=sniffed.kind,
            file=file,
            content_type=content_type,
            size=size,
            thumbnail=thumbnail,
            width=shown.width if shown else None,
            height=shown.height if shown else None,
            placeholder=shown.placeholder if shown else processing.AV_PLACEHOLDER[sniffed.kind],
            created_at=timezone.now(),
        )
    except BaseException:
        storage.delete_files(written)
        raise


def media_attach(*, post, owner, media_ids: Sequence[int]) -> None:
    """Attach the listed media to a new post, in order; raise MediaNotAttachable otherwise.

    Call inside the post's transaction: on an error it rolls back and nothing stays half
    attached. Each row is claimed by a conditional UPDATE, so two posts racing for the same
    upload cannot both get it.
    """
    for position, media_id in enumerate(media_ids):
        claimed = Media.objects.filter(pk=media_id, owner=owner, post__isnull=True).update(
            post=post, position=position
        )
        if not claimed:
            raise MediaNotAttachable(media_id)


def media_store_processed(*, owner_id: int, processed: processing.ProcessedImage) -> Media:
    """Store the variants of a picture made on the server (the demo's artworks) as an
    unattached upload."""
    stem = storage.new_stem()
    written: list[str] = []
    try:
        file = storage.save_bytes(f"{stem}.webp", processed.display)
        written.append(file)
        thumbnail = storage.save_bytes(
            f"{stem}-{processing.THUMBNAIL_SIZE}.webp", processed.thumbnail
        )
        written.append(thumbnail)
        return Media.objects.create(
            owner_id=owner_id,
            kind=Media.Kind.IMAGE,
            file=file,
            content_type="image/webp",
            size=len(processed.display),
            thumbnail=thumbnail,
            width=processed.width,
            height=processed.height,
            placeholder=processed.placeholder,
            created_at=timezone.now(),
        )
    except BaseException:
        storage.delete_files(written)
        raise


def media_describe(*, media: Media, alt_text: str) -> Media:
    """Set the alt text of an upload (its owner's; checked by the caller)."""
    Media.objects.filter(pk=media.pk).update(alt_text=alt_text)
    media.alt_text = alt_text
    return media


def avatar_square(*, owner, media_id: int) -> str:
    """The stored name of the square avatar variant of `owner`'s picture `media_id`, made
    from its 1600 px variant the first time it is chosen (docs/media.md, "Avatars");
    AvatarNotUsable for an unknown id, someone else's upload, or audio and video."""
    media = Media.objects.filter(pk=media_id, owner=owner).first()
    if media is None or media.kind != Media.Kind.IMAGE:
        raise AvatarNotUsable()
    if media.square:
        return media.square
    try:
        with default_storage.open(media.file, "rb") as stored:
            data = processing.square_variant(stored)
    except Exception:  # noqa: BLE001 - a file gone from storage, or unreadable
        raise AvatarNotUsable("This picture can no longer be read; upload it again.") from None
    stem = media.file.rsplit(".", 1)[0]
    name = storage.save_bytes(f"{stem}-{processing.AVATAR_SIZE}sq.webp", data)
    # Conditional: of two requests racing to make it, one keeps its file.
    if not Media.objects.filter(pk=media.pk, square="").update(square=name):
        storage.delete_files([name])
        return Media.objects.values_list("square", flat=True).get(pk=media.pk)
    return name


def avatar_media_id(user) -> int | None:
    """The id of the media whose square is `user`'s avatar."""
    return (
        Media.objects.filter(owner_id=user.pk, square=user.avatar_file)
        .values_list("id", flat=True)
        .first()
    )


def _avatars():
    """The square names that are some member's avatar (kept by delete and prune)."""
    return User.objects.exclude(avatar_file="").values("avatar_file")


@transaction.atomic
def media_delete(*, media: Media) -> bool:
    """Delete an unattached upload and, after commit, its files; False if it is attached
    or is its owner's avatar."""
    deleted, _ = (
        Media.objects.filter(pk=media.pk, post__isnull=True).exclude(square__in=_avatars()).delete()
    )
    if not deleted:
        return False
    names = media.stored_names()
    transaction.on_commit(lambda: storage.delete_files(names))
    return True


@dataclass
class PruneResult:
    of_deleted_posts: int = 0
    unattached: int = 0
    orphan_files: int = 0


def media_prune(*, older_than: timedelta = timedelta(days=1), dry_run: bool = False) -> PruneResult:
    """Remove the media of deleted posts, uploads never attached within `older_than`, and
    stored files that no media row names (left by a crash) once they are that old."""
    cutoff = timezone.now() - older_than
    result = PruneResult()
    groups = {
        "of_deleted_posts": Media.objects.filter(post__is_deleted=True),
        "unattached": Media.objects.filter(post__isnull=True, created_at__lt=cutoff).exclude(
            square__in=_avatars()
        ),
    }
    for field, queryset in groups.items():
        for media in queryset.iterator(chunk_size=500):
            setattr(result, field, getattr(result, field) + 1)
            if dry_run:
                continue
            # Row first: a file is never served once its row is gone, and a crash between
            # the two leaves an orphan file that the sweep below removes next time.
            Media.objects.filter(pk=media.pk).delete()
            storage.delete_files(media.stored_names())
    result.orphan_files = _sweep_orphans(cutoff, dry_run=dry_run)
    return result


def _sweep_orphans(cutoff, *, dry_run: bool) -> int:
    """Delete files under `m/` older than `cutoff` that no media row refers to."""
    removed = 0
    if not default_storage.exists("m"):
        return 0
    folders, _ = default_storage.listdir("m")
    for folder in folders:
        prefix = f"m/{folder}/"
        _, files = default_storage.listdir(prefix)
        known = set()
        for field in ("file", "thumbnail", "square"):
            known |= set(
                Media.objects.filter(**{f"{field}__startswith": prefix}).values_list(
                    field, flat=True
                )
            )
        for filename in files:
            name = prefix + filename
            if name in known:
                continue
            try:
                modified = default_storage.get_modified_time(name)
            except (NotImplementedError, OSError):
                continue
            if modified >= cutoff:
                continue  # maybe an upload being stored right now
            removed += 1
            if not dry_run:
                default_storage.delete(name)
    return removed
