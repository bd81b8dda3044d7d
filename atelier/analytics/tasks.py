"""Background tasks of analytics: exposure batches, the daily rollup, pruning.

Each task may run twice (a worker killed before acknowledging it: settings, task engine)
and is written so that the second run changes nothing: exposure rows carry unique keys,
a rollup replaces its day, pruning deletes what is still due. Failures are retried with
backoff; inline (no broker) they raise in the caller instead.
"""

import logging

from celery import shared_task

from atelier.analytics import exposure_rows, rollup
from atelier.analytics.dwell import prune_dwell
from atelier.analytics.rollout import load_rollout

logger = logging.getLogger(__name__)

# Retried for about an hour in all: a database restart or failover is over by then.
MAX_RETRIES = 8


def _retry(task, exc: Exception):
    if task.request.is_eager:
        raise exc
    # 2, 4, 8 ... 256 s.
    raise task.retry(exc=exc, countdown=2 ** (task.request.retries + 1), max_retries=MAX_RETRIES)


@shared_task(bind=True)
def write_exposures(self, batch: dict) -> int:
    """Write one flushed buffer of feed exposures and post opens (idempotent)."""
    try:
        written = exposure_rows.write_batch(batch)
    except Exception as exc:
        _retry(self, exc)
    return written


@shared_task(bind=True)
def rollup_analytics(self, all_hours: bool = False) -> int:
    """Roll up the settled days that need it (all of them within the retention with
    all_hours); return how many days were rolled up."""
    try:
        days = rollup.rollup_due(all_hours=all_hours)
    except Exception as exc:
        _retry(self, exc)
    logger.info("analytics rollup: %d day(s) %s", len(days), [d.isoformat() for d in days])
    return len(days)


@shared_task(bind=True)
def prune_analytics(self) -> int:
    """Delete the exposures, post opens and time-on-screen reports older than the
    retention (as atelier prune_exposures does); return the count."""
    try:
        days = load_rollout().retention_days
        deleted = exposure_rows.prune(older_than_days=days) + prune_dwell(older_than_days=days)
    except Exception as exc:
        _retry(self, exc)
    logger.info("analytics prune: %d row(s) deleted", deleted)
    return deleted
