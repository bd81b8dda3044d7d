"""/signup/ counts against the `auth` limit, the same count as POST /api/auth/register/.

Regression tests for issue 17, defect 2: the page created 15 accounts a minute from one
address at THROTTLE_AUTH_RATE=10/min.
"""

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from atelier.core.models import User
from atelier.core.tests.helpers import redis_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth_rate_10(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "auth", "10/min")


def _sign_up(username: str):
    # A fresh client each time: a signed-up client is logged in and would be redirected.
    return Client().post("/signup/", {"username": username, "password": "pw"})


def test_the_signup_page_is_limited(auth_rate_10):
    codes = [_sign_up(f"u{i}").status_code for i in range(15)]
    refused = _sign_up("late")

    assert codes == [302] * 10 + [429] * 5
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many attempts" in refused.content.decode()
    assert User.objects.count() == 10


def test_the_signup_page_and_the_register_api_share_one_count(anon_client, auth_rate_10):
    page = [_sign_up(f"page{i}").status_code for i in range(5)]
    api = [
        anon_client.post("/api/auth/register/", {"username": f"api{i}", "password": "pw"})
        for i in range(5)
    ]

    assert page == [302] * 5
    assert [r.status_code for r in api] == [201] * 5
    assert _sign_up("page5").status_code == 429
    assert (
        anon_client.post("/api/auth/register/", {"username": "x", "password": "pw"}).status_code
        == 429
    )


def test_sign_ups_and_log_ins_share_the_address_count(ana, auth_rate_10):
    signups = [_sign_up(f"u{i}").status_code for i in range(9)]
    wrong = Client().post("/login/", {"username": "ana", "password": "wrong"})

    assert signups == [302] * 9
    assert wrong.status_code == 200
    assert _sign_up("u9").status_code == 429
    assert Client().post("/login/", {"username": "ana", "password": "pw"}).status_code == 429


def test_the_signup_page_stays_limited_when_redis_is_down(auth_rate_10):
    with redis_down():
        codes = [_sign_up(f"u{i}").status_code for i in range(12)]

    assert codes == [302] * 10 + [429] * 2
