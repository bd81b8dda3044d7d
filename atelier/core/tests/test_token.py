"""POST /api/auth/token/: a username and password for the API token."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.throttling import ScopedRateThrottle

URL = "/api/auth/token/"


def test_good_credentials_give_the_token(anon_client, ana):
    first = anon_client.post(URL, {"username": "ana", "password": "pw"}, format="json")
    second = anon_client.post(URL, {"username": "ana", "password": "pw"}, format="json")

    assert first.status_code == 200
    assert first.json() == {"token": Token.objects.get(user=ana).key}
    assert second.json() == first.json()


def test_the_token_authenticates(anon_client, ana):
    token = anon_client.post(URL, {"username": "ana", "password": "pw"}, format="json").json()

    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    assert anon_client.get("/api/users/me/").json()["id"] == ana.id


@pytest.mark.parametrize("username, password", [("ana", "wrong"), ("nobody", "pw"), ("ANA", "pw")])
def test_bad_credentials_are_400_with_detail(anon_client, ana, username, password):
    response = anon_client.post(URL, {"username": username, "password": password}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Unable to log in with the provided credentials."}
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(anon_client, ana):
    ana.is_active = False
    ana.save()

    response = anon_client.post(URL, {"username": "ana", "password": "pw"}, format="json")

    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"password": "pw"}, "username"),
        ({"username": "ana"}, "password"),
        ({"username": "ana", "password": "p" * 129}, "password"),
    ],
)
def test_missing_or_bad_fields_are_400(anon_client, body, field):
    response = anon_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_token_is_throttled_by_the_auth_scope(anon_client, ana, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "2/min")

    codes = [
        anon_client.post(URL, {"username": "ana", "password": "wrong"}, format="json").status_code
        for _ in range(3)
    ]

    assert codes == [400, 400, 429]
