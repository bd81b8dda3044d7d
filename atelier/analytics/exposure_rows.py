"""The stored exposures and post opens: writing a flushed batch, and pruning by age.

Below both exposures.py (which buffers on the request path and hands batches on) and
tasks.py (whose worker writes them), so neither imports the other back: exposures ->
tasks -> exposure_rows, and exposures -> exposure_rows for its inline fallback.
"""

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from atelier.analytics import metrics
from atelier.analytics.models import ExposedPost, PostOpen

PRUNE_BATCH_SIZE = 5_000
WRITE_BATCH_SIZE = 1_000


def write_batch(batch: dict) -> int:
    """Write a batch (batch_payload's form) in one transaction; rows already written (the
    batch ran before) are skipped. Return the number of exposed-post rows in the batch."""
    exposed = [
        ExposedPost(
            user_id=page["user_id"],
            variant=page["variant"],
            explicit_ordering=page["explicit_ordering"],
            post_id=post_id,
            position=position,
            score=score,
            breakdown=breakdown,
            post_type=post_type,
            author_id=author_id,
            page_id=uuid.UUID(page["page_id"]),
            served_at=datetime.fromisoformat(page["served_at"]),
            response_ms=page["response_ms"],
        )
        for page in batch["pages"]
        for post_id, position, score, breakdown, post_type, author_id in page["rows"]
    ]
    opened = [
        PostOpen(
            open_id=uuid.UUID(o["open_id"]),
            user_id=o["user_id"],
            post_id=o["post_id"],
            opened_at=datetime.fromisoformat(o["opened_at"]),
        )
        for o in batch["opens"]
    ]
    with transaction.atomic():
        ExposedPost.objects.bulk_create(exposed, batch_size=WRITE_BATCH_SIZE, ignore_conflicts=True)
        PostOpen.objects.bulk_create(opened, batch_size=WRITE_BATCH_SIZE, ignore_conflicts=True)
    metrics.EXPOSURES_WRITTEN.inc(len(exposed))
    metrics.POST_OPENS_WRITTEN.inc(len(opened))
    return len(exposed)


def prune(*, older_than_days: int, max_batches: int | None = None) -> int:
    """Delete exposures and opens older than the retention, in batches of ids (short
    transactions, no long lock on a big table); return the number of rows deleted."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return delete_older(
        ((ExposedPost, "served_at"), (PostOpen, "opened_at")), cutoff, max_batches=max_batches
    )


def delete_older(tables, cutoff: datetime, *, max_batches: int | None = None) -> int:
    """Delete the rows of each (model, time field) in `tables` older than `cutoff`, a batch
    of PRUNE_BATCH_SIZE ids at a time (at most `max_batches` per model); return how many."""
    deleted = 0
    for model, field in tables:
        batches = 0
        while max_batches is None or batches < max_batches:
            ids = list(
                model.objects.filter(**{f"{field}__lt": cutoff}).values_list("id", flat=True)[
                    :PRUNE_BATCH_SIZE
                ]
            )
            if not ids:
                break
            deleted += model.objects.filter(id__in=ids).delete()[0]
            batches += 1
    return deleted
