"""Feed exposures and post opens: buffered in process, written in batches after responses.

A served feed page costs the request no query: `page_served` appends it to a bounded
in-process buffer (the oldest page is dropped, and counted, when it is full). From Django's
`request_finished` signal - after the response has been sent - once the buffer holds
EXPOSURE_FLUSH_PAGES pages or its oldest entry is EXPOSURE_FLUSH_SECONDS old, and at
process exit, the whole buffer becomes ONE task, `write_exposures` (atelier/analytics/
tasks.py): a task worker writes it with bulk inserts, retried until it succeeds; without a
task broker (the demo, the tests) the task runs inline, right there. Every exposure and
open carries a unique key (page id and position; open id), so a batch written twice - a
worker killed after its commit, before acknowledging the task - adds nothing twice. Tests
call `flush()`.

What can be lost is a web process's buffer when the process is killed (at most one buffer
per process); what must not happen is a slower or failing feed request.
"""

import contextlib
import contextvars
import json
import logging
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from kombu.exceptions import OperationalError

from atelier.analytics import metrics
from atelier.analytics.dwell import mark_served
from atelier.analytics.exposure_rows import prune, write_batch
from atelier.analytics.rollout import load_rollout

logger = logging.getLogger(__name__)
decisions = logging.getLogger("atelier.feed.decisions")

# Only the top of a page is recorded: what a user can have looked at, and a bounded row
# count per request whatever the page size.
MAX_POSTS_PER_PAGE = 50
# A page whose response is still being rendered (its time not known yet) waits this long
# before it is written without one.
UNFINISHED_GRACE_SECONDS = 60.0
PRUNE_EVERY_SECONDS = 3600
PRUNE_LOCK_KEY = "analytics:prune"
# Opportunistic pruning after a flush deletes at most this many batches; the management
# command `prune_exposures` deletes everything due.
OPPORTUNISTIC_PRUNE_BATCHES = 5


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


@dataclass
class ServedPage:
    """One feed page as served: who, which variant, and its posts in order."""

    page_id: uuid.UUID
    user_id: int
    variant: str
    explicit_ordering: bool
    served_at: datetime
    # (post_id, position, score, breakdown, post_type, author_id) per recorded post.
    rows: list[tuple]
    queued_at: float
    response_ms: float | None = None
    finished: bool = False


@dataclass
class _Open:
    user_id: int
    post_id: int
    opened_at: datetime
    queued_at: float
    open_id: uuid.UUID


# What the current request queued, when someone watches (`watch_queued`).
_queued_here: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "analytics_queued_here", default=None
)


@contextlib.contextmanager
def watch_queued():
    """Within the block, collect the kind ("page", "open") of every record queued in this
    context: a request run again (atelier/ops/middleware.py, a lost database connection)
    must not queue its page or open twice, so it is run again only if this stays empty."""
    queued: list[str] = []
    token = _queued_here.set(queued)
    try:
        yield queued
    finally:
        _queued_here.reset(token)


class _Buffer:
    """Pages and opens waiting to be written; every access holds the lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: deque[ServedPage] = deque()
        self.opens: deque[_Open] = deque()
        self.dropped_pages = 0
        self.dropped_opens = 0
        self.last_prune = 0.0

    def push(self, queue: deque, item, kind: str) -> None:
        limit = _setting("EXPOSURE_BUFFER_PAGES", 10_000)
        with self.lock:
            while len(queue) >= limit:
                queue.popleft()
                if kind == "page":
                    self.dropped_pages += 1
                else:
                    self.dropped_opens += 1
                metrics.ANALYTICS_RECORDS_DROPPED.labels(kind).inc()
            queue.append(item)
        watching = _queued_here.get()
        if watching is not None:
            watching.append(kind)

    def is_due(self) -> bool:
        with self.lock:
            if not self.pages and not self.opens:
                return False
            if len(self.pages) >= _setting("EXPOSURE_FLUSH_PAGES", 100):
                return True
            oldest = min(q[0].queued_at for q in (self.pages, self.opens) if q)
        return time.monotonic() - oldest >= _setting("EXPOSURE_FLUSH_SECONDS", 10)

    def take(self, *, ready_only: bool) -> tuple[list[ServedPage], list[_Open]]:
        """Remove and return what is to be written (with ready_only: not the pages whose
        response is still being rendered, unless they have waited too long)."""
        now = time.monotonic()
        with self.lock:
            pages, waiting = [], []
            for page in self.pages:
                ready = page.finished or now - page.queued_at >= UNFINISHED_GRACE_SECONDS
                (pages if ready or not ready_only else waiting).append(page)
            self.pages = deque(waiting)
            opens = list(self.opens)
            self.opens.clear()
        return pages, opens


_buffer = _Buffer()


# --- Recording (on the request path: no query) --------------------------------------------


def page_served(request, page, *, start: int, explicit_ordering: bool) -> ServedPage | None:
    """Record a feed page served to a signed-in user; log the ranking decision at DEBUG.

    `page` is atelier.feed.service.FeedPage, `start` the offset of its first post. The
    page's response time is filled in by RequestMetricsMiddleware once it is known.
    Anonymous pages are not recorded: nobody could engage with them, and they would dilute
    the chronological variant's rates.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    rows = []
    for i, post in enumerate(page.posts[:MAX_POSTS_PER_PAGE]):
        scored = page.scored.get(post.id)
        rows.append(
            (
                post.id,
                start + i + 1,
                scored.score if scored else None,
                scored.breakdown() if scored else None,
                post.post_type,
                post.author_id,
            )
        )
    served = ServedPage(
        page_id=uuid.uuid4(),
        user_id=user.id,
        variant=page.variant,
        explicit_ordering=explicit_ordering,
        served_at=timezone.now(),
        rows=rows,
        queued_at=time.monotonic(),
    )
    # Time on screen is capped per served page; a report may come before this page's
    # exposures are written (atelier/analytics/dwell.py).
    mark_served(
        user_id=user.id,
        page_id=served.page_id,
        served_at=served.served_at,
        post_ids=[row[0] for row in rows],
    )
    metrics.FEED_PAGES_SERVED.labels(page.variant).inc()
    if decisions.isEnabledFor(logging.DEBUG):
        _log_decision(served, page)
    # The middleware sees the Django request, not DRF's wrapper around it.
    http_request = getattr(request, "_request", request)
    http_request.analytics_served_page = served
    _buffer.push(_buffer.pages, served, "page")
    return served


def page_finished(request, seconds: float) -> None:
    """Give the page served by this request (if any) its response time; it may be written."""
    served = getattr(request, "analytics_served_page", None)
    if served is not None:
        served.response_ms = seconds * 1000.0
        served.finished = True


def post_opened(*, user_id: int, post_id: int) -> None:
    """Record that a signed-in user opened a post's detail (for click-through)."""
    _buffer.push(
        _buffer.opens,
        _Open(
            user_id=user_id,
            post_id=post_id,
            opened_at=timezone.now(),
            queued_at=time.monotonic(),
            open_id=uuid.uuid4(),
        ),
        "open",
    )


def _log_decision(served: ServedPage, page) -> None:
    top = []
    for post_id, position, score, breakdown, _type, author_id in served.rows[:5]:
        entry = {"post": post_id, "position": position, "author": author_id, "score": score}
        if breakdown:
            entry["breakdown"] = breakdown
        top.append(entry)
    decisions.debug(
        "feed decision user=%s variant=%s explicit=%s cached=%s calc_version=%s "
        "config_version=%s top=%s",
        served.user_id,
        served.variant,
        served.explicit_ordering,
        page.cached,
        page.calc_version,
        page.config_version,
        json.dumps(top, default=str),
    )


# --- Writing (after the response) ---------------------------------------------------------


def flush(*, ready_only: bool = False) -> int:
    """Hand every buffered page and open to the write_exposures task (run inline without a
    broker); return the number of exposed-post rows handed over."""
    pages, opens = _buffer.take(ready_only=ready_only)
    if not pages and not opens:
        return 0
    from atelier.analytics.tasks import write_exposures  # the task's module: the worker's

    batch = batch_payload(pages, opens)
    try:
        try:
            write_exposures.delay(batch)
        except OperationalError:
            # The broker is unreachable (publishing was retried briefly): write here rather
            # than lose the batch.
            logger.warning("task broker unreachable: writing %d exposed pages here", len(pages))
            write_batch(batch)
    except Exception:
        logger.warning(
            "could not write %d exposed pages and %d post opens; dropped",
            len(pages),
            len(opens),
            exc_info=True,
        )
        with _buffer.lock:
            _buffer.dropped_pages += len(pages)
            _buffer.dropped_opens += len(opens)
        metrics.ANALYTICS_RECORDS_DROPPED.labels("page").inc(len(pages))
        metrics.ANALYTICS_RECORDS_DROPPED.labels("open").inc(len(opens))
        return 0
    return sum(len(page.rows) for page in pages)


def batch_payload(pages: list[ServedPage], opens: list[_Open]) -> dict:
    """A batch as the task's JSON argument."""
    return {
        "pages": [
            {
                "page_id": str(page.page_id),
                "user_id": page.user_id,
                "variant": page.variant,
                "explicit_ordering": page.explicit_ordering,
                "served_at": page.served_at.isoformat(),
                "response_ms": page.response_ms,
                "rows": [list(row) for row in page.rows],
            }
            for page in pages
        ],
        "opens": [
            {
                "open_id": str(o.open_id),
                "user_id": o.user_id,
                "post_id": o.post_id,
                "opened_at": o.opened_at.isoformat(),
            }
            for o in opens
        ],
    }


def flush_if_due(**kwargs) -> None:
    """request_finished receiver: write the buffer if it is full enough or old enough,
    and prune old rows at most once an hour. Never raises."""
    if not _buffer.is_due():
        return
    connection = connections[DEFAULT_DB_ALIAS]
    # Django closed this thread's connection just before (close_old_connections runs first
    # on request_finished when connections are not persistent): close the one we open too.
    opened_here = connection.connection is None
    try:
        flush(ready_only=True)
        if settings.TASKS_INLINE:
            # No scheduler without a task broker: prune a little now and then instead.
            maybe_prune()
    except Exception:
        logger.warning("writing analytics failed", exc_info=True)
    finally:
        if opened_here and not connection.in_atomic_block:
            connection.close()


def flush_at_exit() -> None:
    try:
        flush()
    except Exception:
        logger.warning("could not write analytics at exit", exc_info=True)


def buffer_stats() -> dict:
    """Pages and opens waiting, and how many were dropped, in this process."""
    with _buffer.lock:
        return {
            "pending_pages": len(_buffer.pages),
            "pending_opens": len(_buffer.opens),
            "dropped_pages": _buffer.dropped_pages,
            "dropped_opens": _buffer.dropped_opens,
        }


def reset() -> None:
    """Forget everything buffered and the drop counts (tests)."""
    with _buffer.lock:
        _buffer.pages.clear()
        _buffer.opens.clear()
        _buffer.dropped_pages = 0
        _buffer.dropped_opens = 0
        _buffer.last_prune = 0.0


# --- Retention ----------------------------------------------------------------------------


def maybe_prune() -> int:
    """Prune a little, at most once an hour per process and (through the cache) per site."""
    now = time.monotonic()
    with _buffer.lock:
        if _buffer.last_prune and now - _buffer.last_prune < PRUNE_EVERY_SECONDS:
            return 0
        _buffer.last_prune = now
    try:
        if not cache.add(PRUNE_LOCK_KEY, 1, timeout=PRUNE_EVERY_SECONDS):
            return 0
    except Exception:
        return 0
    return prune(
        older_than_days=load_rollout().retention_days, max_batches=OPPORTUNISTIC_PRUNE_BATCHES
    )
