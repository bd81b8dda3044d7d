"""Rate limits that a client cannot talk its way around (issue 10, items 3 and 4; issue 17).

* **Who is the client.** `X-Forwarded-For` is believed only when the request comes from a
  proxy listed in `TRUSTED_PROXIES` (addresses or networks; default none). The client is
  then the nearest address in the header that is not itself a trusted proxy. Without
  trusted proxies every request is counted by its socket address, so forging the header
  buys nothing.
* **Where the counts live.** In the default cache. When Redis is unreachable (the cache
  backend's breaker is open) the counts fall back to the database (a table in Django's
  database-cache format), which every server process shares, so logins, sign-ups and
  uploads stay limited site-wide instead of failing open; should the database fail too,
  to this process's memory.
* **Log-in attempts** are limited where every log-in door passes, the authentication
  backend (atelier/core/auth_backend.py), by `LoginAttempt` below: per client address
  (the `auth` rate, shared with sign-ups), per account and client address (`login`) and,
  softer, per account from any address (`login_account`). docs/security.md has the why.
* **New accounts** (younger than `NEW_ACCOUNT_HOURS`) have tighter limits on posts, remarks
  and uploads, kept by `new_account_limit` below in the services that write them, where
  the API and the pages both pass (docs/moderation.md, "New accounts").
* **Every view uses these classes**, never DRF's plain ones (which fail open without
  Redis); a test walks the URLconf to keep it so.
"""

import hashlib
import ipaddress
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError
from django.utils import timezone
from rest_framework.exceptions import Throttled
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from atelier.core.cache_backend import BREAKER

# Where the counts go while Redis is unreachable: the database, shared by every process
# (core.models.ThrottleFallbackEntry); this process's memory if the database fails as well.
SHARED_COUNTS = DatabaseCache("core_throttle_fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
LOCAL_COUNTS = LocMemCache("atelier-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The address to count a request against (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not _is_trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):  # the nearest hop was appended last
        if not _is_trusted(hop):
            return hop[:64]
    return hops[0][:64] if hops else remote


def _redis_down() -> bool:
    return BREAKER.down


class _ThrottleCache:
    """The default cache; while Redis is unreachable, the database's shared counts."""

    def get(self, key, default=None):
        if not _redis_down():
            value = default_cache.get(key, default)
            if not _redis_down():
                return value
        try:
            return SHARED_COUNTS.get(key, default)
        except DatabaseError:
            return LOCAL_COUNTS.get(key, default)

    def set(self, key, value, timeout=None):
        if not _redis_down():
            default_cache.set(key, value, timeout)
            if not _redis_down():
                return
        try:
            SHARED_COUNTS.set(key, value, timeout)
        except DatabaseError:
            LOCAL_COUNTS.set(key, value, timeout)


class HardenedThrottle:
    """Mixin for a DRF throttle: counts per `client_ip`, kept in memory while Redis is down."""

    cache = _ThrottleCache()

    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonThrottle(HardenedThrottle, AnonRateThrottle):
    pass


class UserThrottle(HardenedThrottle, UserRateThrottle):
    pass


class ScopedLimited(Throttled):
    """A scoped limit reached, said in words: "You may file at most 60 reports an hour." """

    default_code = "rate_limited"
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."

    def __init__(self, *, sentence: str, num_requests: int, duration: int, wait: int):
        period = _PERIOD_WORDS.get(duration, f"in {duration} seconds")
        super().__init__(wait=wait, detail=f"You may {sentence % num_requests} {period}.")


class ScopedThrottle(HardenedThrottle, ScopedRateThrottle):
    """Per user (or client address) and the view's `throttle_scope`, e.g. `upload`.

    A view's `throttle_sentence` ("file at most %d reports") makes the 429 say which limit
    was reached (ScopedLimited) instead of DRF's "Request was throttled".
    """

    def allow_request(self, request, view) -> bool:
        if super().allow_request(request, view):
            return True
        sentence = getattr(view, "throttle_sentence", None)
        if sentence is None:
            return False
        raise ScopedLimited(
            sentence=sentence,
            num_requests=self.num_requests,
            duration=self.duration,
            wait=max(1, math.ceil(self.wait() or 1)),
        )


class AuthThrottle(HardenedThrottle, SimpleRateThrottle):
    """Log-in and sign-up attempts per client address (rate `auth`), API and pages alike."""

    scope = "auth"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


# --- Log-in attempts ------------------------------------------------------------------------


class LoginLimited(Throttled):
    """A log-in refused before its password is checked, because a limit is reached (429)."""

    default_detail = "Too many log-in attempts."
    default_code = "login_limited"
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."

    def __init__(self, wait: int):
        super().__init__(wait=wait)


class _Window(HardenedThrottle, SimpleRateThrottle):
    """One sliding-window count (DRF's history of timestamps) for `scope` and `ident`.

    The key and history have the format of the throttles above, so the `auth` window of an
    address is the very count that AuthThrottle keeps for sign-ups at that address.
    """

    def __init__(self, scope: str, ident: str):
        self.scope = scope
        super().__init__()
        self.key = self.cache_format % {"scope": scope, "ident": ident}
        self.history: list[float] = []
        self.now = 0.0

    def get_cache_key(self, request, view) -> str:
        return self.key

    def is_full(self) -> bool:
        """Load the count; return True if it has reached the rate (no room for one more)."""
        if self.rate is None:
            return False
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def seconds_until_free(self) -> int:
        """Whole seconds until the count is below the rate again (is_full() was True)."""
        # Newest first: the entry at index `num_requests - 1` is the last of those that
        # have to expire before there is room for one more.
        last_to_expire = self.history[min(self.num_requests, len(self.history)) - 1]
        return max(1, math.ceil(last_to_expire + self.duration - self.now))

    def add(self) -> None:
        if self.rate is not None:
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)

    def take_back(self) -> None:
        """Remove the entry add() made (re-reading the count others may have changed)."""
        if self.rate is None:
            return
        history = list(self.cache.get(self.key, []))
        if self.now in history:
            history.remove(self.now)
            self.cache.set(self.key, history, self.duration)


def _account_ident(username: str) -> str:
    # Usernames are unique regardless of case, so "ANA" and "ana" are one account's count;
    # hashed, so a key has a fixed length and no client-chosen characters.
    return hashlib.sha256(str(username).casefold().encode("utf-8", "replace")).hexdigest()[:32]


# Check-then-count is one step within a process, so its threads cannot slip between them.
_LOGIN_LOCK = threading.Lock()


class LoginAttempt:
    """One log-in attempt, counted against the three log-in limits before its password is
    checked: raises LoginLimited if any is reached (the right password included).

    * `auth`, per client address: every attempt, right or wrong, in the same count as the
      address's sign-ups.
    * `login`, per account and client address, and `login_account`, per account from any
      address (softer, so guessing from a few addresses cannot lock a member out): the
      failed attempts. The attempt is counted before the (slow) password check, so guesses
      sent in parallel cannot all pass the check before any is counted, and succeeded()
      takes it back.

    A refused attempt is not counted. Without a request (a shell, a management command)
    there is no client address, and only the per-account count applies.
    """

    def __init__(self, request, username: str):
        account = _account_ident(username)
        if request is not None:
            ip = client_ip(request)
            self.per_address = [_Window("auth", ip)]
            self.failures = [_Window("login", f"{account}:{ip}"), _Window("login_account", account)]
        else:
            self.per_address = []
            self.failures = [_Window("login_account", account)]
        windows = self.per_address + self.failures
        with _LOGIN_LOCK:
            full = [window for window in windows if window.is_full()]
            if full:
                raise LoginLimited(wait=max(window.seconds_until_free() for window in full))
            for window in windows:
                window.add()

    def succeeded(self) -> None:
        """The password was right: this attempt is no failure of the account."""
        with _LOGIN_LOCK:
            for window in self.failures:
                window.take_back()


# --- New accounts ---------------------------------------------------------------------------

# What a new account's limits count, and their windows (rates in REST_FRAMEWORK's
# DEFAULT_THROTTLE_RATES, set by THROTTLE_NEW_*_RATE): an hourly and a daily one each.
NEW_ACCOUNT_SCOPES = {
    "post": ("new_post", "new_post_day"),
    "comment": ("new_comment", "new_comment_day"),  # comments and critiques together
    "upload": ("new_upload", "new_upload_day"),
}
_NEW_ACCOUNT_NOUNS = {"post": "posts", "comment": "comments and critiques", "upload": "uploads"}
_PERIOD_WORDS = {1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day"}


class NewAccountLimited(Throttled):
    """A write refused because the account is new and has reached its limit (429)."""

    default_code = "new_account_limited"
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."

    def __init__(self, *, kind: str, window: "_Window", wait: int):
        hours = settings.NEW_ACCOUNT_HOURS
        period = _PERIOD_WORDS.get(window.duration, f"{window.duration} seconds")
        # "New accounts may make at most 10 posts an hour in their first 24 hours."
        detail = (
            f"New accounts may make at most {window.num_requests} {_NEW_ACCOUNT_NOUNS[kind]} "
            f"{period} in their first {hours} hours."
        )
        super().__init__(wait=wait, detail=detail)


def is_new_account(user) -> bool:
    """True if `user` joined less than NEW_ACCOUNT_HOURS ago (staff never are; 0: none is)."""
    hours = settings.NEW_ACCOUNT_HOURS
    if hours <= 0 or user.is_staff:
        return False
    return user.date_joined > timezone.now() - timedelta(hours=hours)


# Check-then-count is one step within a process (as for log-ins).
_NEW_ACCOUNT_LOCK = threading.Lock()


@contextmanager
def new_account_limit(user, kind: str) -> Iterator[None]:
    """Count one `kind` of write ("post", "comment", "upload") by `user` against the limits
    of new accounts; raise NewAccountLimited, before anything is done, when one is reached.

    A no-op for an account that is not new. The write is counted when the block starts, so
    writes sent in parallel cannot all pass the check before any is counted, and taken back
    if the block raises (a refused input is no write). Counts are per account, in the same
    store as every limit here (the database while Redis is down).
    """
    if not is_new_account(user):
        yield
        return
    windows = [_Window(scope, f"user:{user.pk}") for scope in NEW_ACCOUNT_SCOPES[kind]]
    with _NEW_ACCOUNT_LOCK:
        full = [window for window in windows if window.is_full()]
        if full:
            waits = {window: window.seconds_until_free() for window in full}
            longest = max(full, key=waits.__getitem__)
            raise NewAccountLimited(kind=kind, window=longest, wait=waits[longest])
        for window in windows:
            window.add()
    try:
        yield
    except BaseException:
        with _NEW_ACCOUNT_LOCK:
            for window in windows:
                window.take_back()
        raise
