"""Log-in and sign-up limits hold against forged headers, a dead Redis and the login page.

Regression tests for issue 10, items 3 and 4.
"""

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from atelier.core import cache_backend
from atelier.core.cache_backend import BREAKER
from atelier.core.throttling import client_ip

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
DEAD_REDIS = {
    "default": {
        "BACKEND": "atelier.core.cache_backend.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
    }
}


@pytest.fixture
def auth_rate_10(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "auth", "10/min")


def _reset_breaker() -> None:
    with BREAKER.lock:
        BREAKER.down = False
        BREAKER.down_until = 0.0


@pytest.fixture
def redis_down():
    _reset_breaker()
    with override_settings(CACHES=DEAD_REDIS):
        assert isinstance(caches["default"], cache_backend.ResilientRedisCache)
        yield
    _reset_breaker()


def _wrong(client, i=0, **extra):
    return client.post(TOKEN, {"username": "ana", "password": "wrong"}, **extra).status_code


def test_a_forged_forwarded_for_does_not_reset_the_count(anon_client, ana, auth_rate_10):
    codes = [_wrong(anon_client, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}") for i in range(30)]
    right = anon_client.post(
        TOKEN, {"username": "ana", "password": "pw"}, HTTP_X_FORWARDED_FOR="10.0.0.99"
    )

    assert codes == [400] * 10 + [429] * 20
    assert right.status_code == 429
    assert not Token.objects.exists()


def test_behind_a_trusted_proxy_each_client_has_its_own_count(
    anon_client, ana, auth_rate_10, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR

    first = [_wrong(anon_client, HTTP_X_FORWARDED_FOR="203.0.113.1") for _ in range(11)]
    second = _wrong(anon_client, HTTP_X_FORWARDED_FOR="203.0.113.2")
    # What the client put in front of the proxy's own entry is not believed.
    forged = _wrong(anon_client, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.1")

    assert first == [400] * 10 + [429]
    assert second == 400
    assert forged == 429


def test_client_ip():
    factory = RequestFactory()

    def ip(remote, forwarded=None, proxies=()):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        with override_settings(TRUSTED_PROXIES=list(proxies)):
            return client_ip(factory.get("/", **extra))

    assert ip("192.0.2.1", "10.0.0.1") == "192.0.2.1"
    assert ip("10.1.1.1", "192.0.2.9", proxies=["10.0.0.0/8"]) == "192.0.2.9"
    assert ip("10.1.1.1", "1.1.1.1, 192.0.2.9, 10.2.2.2", proxies=["10.0.0.0/8"]) == "192.0.2.9"
    assert ip("10.1.1.1", "10.3.3.3, 10.2.2.2", proxies=["10.0.0.0/8"]) == "10.3.3.3"
    assert ip("10.1.1.1", None, proxies=["10.0.0.0/8"]) == "10.1.1.1"
    assert ip("192.0.2.1", "10.0.0.1", proxies=["10.0.0.0/8"]) == "192.0.2.1"


def test_login_stays_limited_when_redis_is_down(anon_client, ana, auth_rate_10, redis_down):
    codes = [_wrong(anon_client) for _ in range(30)]

    assert codes == [400] * 10 + [429] * 20
    assert BREAKER.down


def test_registration_stays_limited_when_redis_is_down(anon_client, auth_rate_10, redis_down):
    codes = [
        anon_client.post("/api/auth/register/", {"username": f"u{i}", "password": "pw"}).status_code
        for i in range(12)
    ]

    assert codes == [201] * 10 + [429] * 2


def test_the_login_page_is_throttled(client, ana, auth_rate_10):
    codes = [
        client.post("/login/", {"username": "ana", "password": f"wrong{i}"}).status_code
        for i in range(40)
    ]
    right = client.post("/login/", {"username": "ana", "password": "pw"})

    assert codes == [200] * 10 + [429] * 30
    assert right.status_code == 429
    assert "Too many attempts" in right.content.decode()
    assert int(right["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_the_login_page_and_the_api_share_one_count(client, anon_client, ana, auth_rate_10):
    for _ in range(10):
        client.post("/login/", {"username": "ana", "password": "wrong"})

    assert _wrong(anon_client) == 429
