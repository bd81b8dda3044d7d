"""atelier prune_media: files of deleted posts, stale uploads and orphans go; the rest stays."""

import os
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from atelier.media.models import Media
from atelier.post.services import post_create, post_soft_delete

pytestmark = pytest.mark.django_db


def prune(*args) -> str:
    out = StringIO()
    call_command("prune_media", *args, stdout=out)
    return out.getvalue()


def test_prunes_deleted_posts_and_stale_uploads_only(ana, ana_client, uploaded, stored_files):
    kept_post = post_create(
        author=ana, title="Kept", post_type="image", media_ids=[uploaded(ana_client)]
    )
    gone_post = post_create(
        author=ana, title="Gone", post_type="image", media_ids=[uploaded(ana_client)]
    )
    post_soft_delete(post=gone_post)
    fresh = uploaded(ana_client)
    stale = uploaded(ana_client)
    Media.objects.filter(pk=stale).update(created_at=timezone.now() - timedelta(hours=25))
    assert len(stored_files()) == 8

    assert "would remove: 1 media of deleted posts, 1 unattached" in prune("--dry-run")
    assert len(stored_files()) == 8

    output = prune()

    assert "removed: 1 media of deleted posts, 1 unattached uploads, 0 orphan" in output
    left = Media.objects.all()
    assert {m.post_id for m in left} == {kept_post.id, None}
    assert {m.pk for m in left if m.post_id is None} == {fresh}
    assert sorted(stored_files()) == sorted(n for m in left for n in m.stored_names())


def test_old_orphan_files_are_swept(ana_client, uploaded, _media_root, stored_files):
    uploaded(ana_client)
    orphan = Path(_media_root) / "m" / "zz" / "zzleftbycrash.webp"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    recent = orphan.with_name("zzbeingwritten.webp")
    recent.write_bytes(b"y")
    day_ago = time.time() - 2 * 86400
    os.utime(orphan, (day_ago, day_ago))

    assert "1 orphan files" in prune()

    assert not orphan.exists() and recent.exists()
    assert len(stored_files()) == 3  # the upload's two files and the recent one


def test_hours_must_not_be_negative(db):
    with pytest.raises(CommandError):
        prune("--hours", "-1")
