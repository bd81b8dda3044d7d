"""Read replicas (DATABASE_REPLICA_URLS): reads of a request may go to a replica; writes,
everything outside a request, and a user's requests for a few seconds after their own
write go to the primary.

The router asks one question, `reads_may_use_replica()`, which is True only inside a
request that `PrimaryPinMiddleware` found eligible: a safe method (GET, HEAD, OPTIONS)
from a client that has not written within REPLICA_PIN_SECONDS. Management commands,
tests and the work done after a response (analytics flushes) see the default, False.
"""

import contextvars
import hashlib
import random

from django.conf import settings
from django.core.cache import cache
from django.db import connections

_replica_reads = contextvars.ContextVar("atelier_replica_reads", default=False)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read by every request to find its user, or written as part of logging in: a replica a
# moment behind would answer "no such token" (a 401) or "no such session" right after a
# registration or a login.
# django_cache: the rate-limit counts kept in the database while Redis is down.
PRIMARY_ONLY_APPS = frozenset({"authtoken", "sessions", "django_cache"})


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def reads_may_use_replica() -> bool:
    return _replica_reads.get()


def pin_key(identity: str) -> str:
    """The cache key that pins a client (its token or session) to the primary."""
    return f"ops:primary-pin:{hashlib.sha256(identity.encode()).hexdigest()[:40]}"


class PrimaryReplicaRouter:
    """Reads to a random replica when the request allows it, everything else to default."""

    def db_for_read(self, model, **hints):
        if (
            not reads_may_use_replica()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            # Inside a transaction, read what the transaction sees.
            or connections["default"].in_atomic_block
        ):
            return "default"
        replicas = replica_aliases()
        return random.choice(replicas) if replicas else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # replicas follow the primary's schema by replication


def _identities(request, response=None) -> list[str]:
    """Who the client is, without a query: its Authorization header, its session cookie
    (and the new session cookie a login sets)."""
    found = []
    if authorization := request.headers.get("Authorization"):
        found.append(f"auth:{authorization}")
    if session := request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        found.append(f"session:{session}")
    if response is not None and settings.SESSION_COOKIE_NAME in response.cookies:
        if new_session := response.cookies[settings.SESSION_COOKIE_NAME].value:
            found.append(f"session:{new_session}")
    return found


class PrimaryPinMiddleware:
    """Decide per request whether its reads may use a replica; pin writers to the primary.

    A successful unsafe request (POST, PUT, PATCH, DELETE) pins its client to the primary
    for REPLICA_PIN_SECONDS, so the client reads its own write (a heart, a post) at once
    even while the replicas are a moment behind.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        identities = _identities(request)
        eligible = request.method in SAFE_METHODS and not (
            identities and cache.get_many([pin_key(identity) for identity in identities])
        )
        token = _replica_reads.set(eligible)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            pins = {pin_key(identity): 1 for identity in _identities(request, response)}
            if pins:
                cache.set_many(pins, timeout=settings.REPLICA_PIN_SECONDS)
        return response
