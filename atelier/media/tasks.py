"""Background task of media: the daily cleanup of unattached uploads and orphan files."""

import logging
from datetime import timedelta

from celery import shared_task

from atelier.media.services import media_prune

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def prune_media(self) -> None:
    """What `atelier prune_media` does with its defaults: media of deleted posts, uploads
    not attached within a day, orphan files as old (idempotent: what is gone stays gone)."""
    result = media_prune(older_than=timedelta(days=1))
    logger.info(
        "media prune: %d of deleted posts, %d unattached, %d orphan files",
        result.of_deleted_posts,
        result.unattached,
        result.orphan_files,
    )
