"""Every log-in door shares one set of limits, kept in the authentication backend.

Regression tests for issue 17, defect 1: DRF's browsable log-in (/api-auth/login/) and the
admin's (/admin/login/) had no limit, so the right password still logged in after any
number of wrong ones. The doors: the /login/ page, POST /api/auth/token/, /api-auth/login/,
/admin/login/ and any view that calls authenticate().
"""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import aauthenticate, authenticate
from django.test import Client, RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from atelier.core.auth_backend import BACKEND_PATH
from atelier.core.cache_backend import BREAKER
from atelier.core.tests.factories import UserFactory
from atelier.core.tests.helpers import redis_down
from atelier.core.throttling import LoginLimited

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
PAGE = "/login/"
BROWSABLE = "/api-auth/login/"
ADMIN = "/admin/login/"


@pytest.fixture
def rates(monkeypatch):
    """Set log-in rates for one test: rates(auth="10/min", login=..., login_account=...)."""

    def set_rates(**scopes: str) -> None:
        for scope, rate in scopes.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return set_rates


@pytest.fixture
def root(db):
    """Root, a staff member who uses the admin."""
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _form(client: Client, url: str, username: str, password: str, addr="127.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=addr)


def _token(username: str, password: str, addr="127.0.0.1") -> int:
    client = Client()
    response = client.post(
        TOKEN,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=addr,
    )
    return response.status_code


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_browsable_api_login_is_limited_after_the_page_refused(client, ana, rates):
    rates(auth="10/min")
    page = [_form(client, PAGE, "ana", f"wrong{i}").status_code for i in range(11)]

    wrong = [_form(client, BROWSABLE, "ana", f"wrong{i}").status_code for i in range(29)]
    right = _form(client, BROWSABLE, "ana", "pw")

    assert page == [200] * 10 + [429]
    assert wrong == [429] * 29
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 0
    assert "Too many log-in attempts" in right.content.decode()
    assert not _logged_in(client)


def test_the_browsable_api_login_is_limited_on_its_own(client, ana, rates):
    rates(auth="10/min")

    wrong = [_form(client, BROWSABLE, "ana", f"wrong{i}").status_code for i in range(29)]
    right = _form(client, BROWSABLE, "ana", "pw")

    assert wrong == [200] * 10 + [429] * 19
    assert right.status_code == 429
    assert not _logged_in(client)


def test_the_admin_login_is_limited(client, root, rates):
    rates(auth="10/min")

    wrong = [_form(client, ADMIN, "root", f"wrong{i}").status_code for i in range(24)]
    right = _form(client, ADMIN, "root", "pw")

    assert wrong == [200] * 10 + [429] * 14
    assert right.status_code == 429
    assert "Too many log-in attempts" in right.content.decode()
    assert not _logged_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the log-in form


def test_wrong_guesses_on_each_door_count_on_the_others(ana, rates):
    # A generous per-address rate: the per-(account, address) count is the one at work.
    rates(auth="1000/min", login="10/min", login_account="1000/min")
    client = Client()
    codes = [_form(client, PAGE, "ana", "wrong").status_code for _ in range(3)]
    codes += [_token("ana", "wrong") for _ in range(3)]
    codes += [_form(client, BROWSABLE, "ana", "wrong").status_code for _ in range(2)]
    codes += [_form(client, ADMIN, "ana", "wrong").status_code for _ in range(2)]

    assert codes == [200] * 3 + [400] * 3 + [200] * 4
    assert _token("ana", "pw") == 429
    assert _form(client, PAGE, "ana", "pw").status_code == 429
    assert _form(client, BROWSABLE, "ana", "pw").status_code == 429
    assert _form(client, ADMIN, "ana", "pw").status_code == 429
    assert not _logged_in(client)
    assert not Token.objects.exists()


def test_the_per_account_limit_holds_across_many_addresses(ana, rates):
    rates(auth="1000/min", login="10/min", login_account="20/min")

    wrong = [_token("ana", "wrong", addr=f"198.51.100.{i}") for i in range(20)]
    right = _token("ana", "pw", addr="203.0.113.1")

    assert wrong == [400] * 20
    assert right == 429
    # Another account is not affected.
    UserFactory(username="ben")
    assert _token("ben", "pw", addr="203.0.113.1") == 200


def test_a_stranger_at_one_address_cannot_lock_a_member_out(ana, rates):
    rates(auth="10/min", login="10/min", login_account="50/min")

    stranger = [_token("ana", "wrong", addr="198.51.100.7") for _ in range(60)]
    member = _token("ana", "pw", addr="203.0.113.1")

    assert stranger == [400] * 10 + [429] * 50
    assert member == 200


def test_right_passwords_are_not_failures_of_the_account(ana, rates):
    rates(auth="1000/min", login="3/min", login_account="3/min")

    codes = [_token("ana", "pw") for _ in range(6)]

    assert codes == [200] * 6


def test_usernames_differing_in_case_share_the_account_count(ana, rates):
    rates(auth="1000/min", login="1000/min", login_account="4/min")

    names = ["ana", "ANA", "Ana", "aNa"]
    codes = [_token(name, "wrong", addr=f"198.51.100.{i}") for i, name in enumerate(names)]

    assert codes == [400] * 4
    assert _token("ana", "pw", addr="203.0.113.1") == 429


def test_a_view_added_later_is_limited_too(ana, rates):
    # Any code path that calls authenticate() passes the backend, and so the limits.
    rates(auth="3/min")
    request = RequestFactory().post("/any/", REMOTE_ADDR="192.0.2.5")
    for _ in range(3):
        assert authenticate(request, username="ana", password="wrong") is None

    with pytest.raises(LoginLimited) as refused:
        authenticate(request, username="ana", password="pw")

    assert refused.value.wait > 0


def test_without_a_request_only_the_account_count_applies(ana, rates):
    rates(auth="1/min", login="1/min", login_account="3/min")

    results = [authenticate(username="ana", password="wrong") for _ in range(3)]

    assert results == [None] * 3
    with pytest.raises(LoginLimited):
        authenticate(username="ana", password="pw")


def test_the_token_answer_when_limited(ana, rates):
    rates(auth="1/min")
    _token("ana", "wrong")
    client = Client()

    response = client.post(
        TOKEN, {"username": "ana", "password": "pw"}, content_type="application/json"
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Too many log-in attempts. Try again in")


def test_the_only_backend_is_the_limited_one(settings):
    assert settings.AUTHENTICATION_BACKENDS == [BACKEND_PATH]


def test_every_door_stays_limited_when_redis_is_down(client, ana, root, rates):
    rates(auth="10/min")
    with redis_down():
        page = [_form(client, PAGE, "ana", "wrong").status_code for _ in range(4)]
        token = [_token("ana", "wrong") for _ in range(3)]
        admin = [_form(client, ADMIN, "root", "wrong").status_code for _ in range(3)]
        right = [
            _form(client, BROWSABLE, "ana", "pw").status_code,
            _form(client, ADMIN, "root", "pw").status_code,
            _token("ana", "pw"),
        ]

        assert BREAKER.down
    assert page + token + admin == [200] * 4 + [400] * 3 + [200] * 3
    assert right == [429] * 3
    assert not _logged_in(client)


def test_the_async_path_is_limited_too(ana, rates):
    rates(auth="2/min")
    request = RequestFactory().post("/any/", REMOTE_ADDR="192.0.2.6")
    check = async_to_sync(aauthenticate)

    assert check(request, username="ana", password="pw") == ana
    assert check(request, username="ana", password="wrong") is None
    with pytest.raises(LoginLimited):
        check(request, username="ana", password="pw")
