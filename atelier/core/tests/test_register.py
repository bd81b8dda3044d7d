"""POST /api/auth/register/: sign-up with Django's username and password rules."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.throttling import ScopedRateThrottle

from atelier.core.models import User

URL = "/api/auth/register/"


@pytest.mark.django_db
def test_register_creates_user_and_token(anon_client):
    response = anon_client.post(
        URL,
        {"username": "dora", "password": "s3cret-pw", "email": "dora@example.com"},
        format="json",
    )

    assert response.status_code == 201
    user = User.objects.get(username="dora")
    assert response.json() == {
        "id": user.id,
        "username": "dora",
        "token": Token.objects.get(user=user).key,
    }
    assert user.artist_type == "other"
    assert user.email == "dora@example.com"
    assert user.check_password("s3cret-pw")


@pytest.mark.django_db
def test_the_returned_token_authenticates(anon_client):
    token = anon_client.post(
        URL, {"username": "dora", "password": "pw", "artist_type": "musician"}, format="json"
    ).json()["token"]

    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = anon_client.get("/api/users/me/")

    assert me.status_code == 200
    assert me.json()["username"] == "dora"
    assert me.json()["artist_type"] == "musician"


@pytest.mark.django_db
def test_password_whitespace_is_kept(anon_client):
    anon_client.post(URL, {"username": "dora", "password": " pw "}, format="json")

    assert User.objects.get(username="dora").check_password(" pw ")


@pytest.mark.parametrize("taken", ["ana", "ANA", "Ana"])
def test_taken_username_is_400_whatever_the_case(anon_client, ana, taken):
    response = anon_client.post(URL, {"username": taken, "password": "pw"}, format="json")

    assert response.status_code == 400
    assert "username" in response.json()
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"password": "pw"}, "username"),
        ({"username": "", "password": "pw"}, "username"),
        ({"username": "two words", "password": "pw"}, "username"),
        ({"username": "slash/y", "password": "pw"}, "username"),
        ({"username": "x" * 151, "password": "pw"}, "username"),
        ({"username": "nul\x00l", "password": "pw"}, "username"),
        ({"username": ["dora"], "password": "pw"}, "username"),
        ({"username": "dora"}, "password"),
        ({"username": "dora", "password": ""}, "password"),
        ({"username": "dora", "password": "p" * 129}, "password"),
        ({"username": "dora", "password": "pw", "email": "not-an-email"}, "email"),
        ({"username": "dora", "password": "pw", "artist_type": "sculptor"}, "artist_type"),
        ({"username": "dora", "password": "pw", "artist_type": None}, "artist_type"),
    ],
)
def test_bad_input_is_400_on_the_field(anon_client, body, field):
    response = anon_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_settings_password_validators_apply(anon_client, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 8},
        },
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    ]

    short = anon_client.post(URL, {"username": "dora", "password": "short"}, format="json")
    like_name = anon_client.post(
        URL, {"username": "doralinda", "password": "doralinda"}, format="json"
    )
    fine = anon_client.post(URL, {"username": "dora", "password": "long enough"}, format="json")

    assert short.status_code == 400
    assert "password" in short.json()
    assert like_name.status_code == 400
    assert "password" in like_name.json()
    assert fine.status_code == 201


@pytest.mark.django_db
def test_malformed_json_is_400(anon_client):
    response = anon_client.post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400


@pytest.mark.django_db
def test_register_is_throttled_by_the_auth_scope(anon_client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "2/min")

    codes = [
        anon_client.post(URL, {"username": f"u{i}", "password": "pw"}, format="json").status_code
        for i in range(3)
    ]

    assert codes == [201, 201, 429]
