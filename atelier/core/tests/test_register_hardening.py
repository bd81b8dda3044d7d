"""Sign-up hardening (issue 10): weak passwords, case and confusable usernames, races."""

import pytest
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

import config.settings as project_settings
from atelier.core import services
from atelier.core.models import User
from atelier.core.tests.factories import UserFactory
from atelier.core.tests.helpers import run_concurrently

URL = "/api/auth/register/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def default_validators(settings):
    """The project's own password validators (the test suite turns them off)."""
    settings.AUTH_PASSWORD_VALIDATORS = project_settings.AUTH_PASSWORD_VALIDATORS


@pytest.mark.parametrize(
    "username, password",
    [
        ("dora", "a"),
        ("dora", " "),
        ("dora", "password"),
        ("dora", "123"),
        ("dora", "1234567890123"),
        ("doralinda", "doralinda"),
        ("dora", "short7!"),
    ],
)
def test_weak_passwords_are_refused_by_default(anon_client, default_validators, username, password):
    response = anon_client.post(URL, {"username": username, "password": password})

    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.exists()


def test_a_decent_password_is_accepted_by_default(anon_client, default_validators):
    response = anon_client.post(URL, {"username": "dora", "password": "violet-tram-42"})

    assert response.status_code == 201


def test_the_defaults_are_djangos_four_validators():
    names = [v["NAME"].rsplit(".", 1)[1] for v in project_settings.AUTH_PASSWORD_VALIDATORS]

    assert names == [
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "UserAttributeSimilarityValidator",
        "NumericPasswordValidator",
    ]
    assert project_settings.AUTH_PASSWORD_VALIDATORS[0]["OPTIONS"]["min_length"] == 8


@pytest.mark.parametrize(
    "username",
    [
        "\u0430dmin",  # Cyrillic а
        "adm\u0131n",  # dotless ı
        "caf\u00e9",
        "ad\u200bmin",  # zero-width space
    ],
)
def test_non_ascii_usernames_are_refused(anon_client, username):
    response = anon_client.post(URL, {"username": username, "password": "pw"})

    assert response.status_code == 400
    assert "ASCII" in response.json()["username"][0]


def test_a_fullwidth_name_is_normalized_and_then_taken(anon_client):
    UserFactory(username="admin")

    response = anon_client.post(
        URL, {"username": "\uff41\uff44\uff4d\uff49\uff4e", "password": "pw"}
    )

    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}


def test_a_fullwidth_name_is_stored_in_ascii(anon_client):
    response = anon_client.post(URL, {"username": "\uff44\uff4f\uff52\uff41", "password": "pw"})

    assert response.status_code == 201
    assert response.json()["username"] == "dora"


@pytest.mark.parametrize("value", [0, True, None, ["dora"], {"a": 1}])
def test_a_username_must_be_a_string(anon_client, value):
    response = anon_client.post(URL, {"username": value, "password": "pw"})

    assert response.status_code == 400
    assert "username" in response.json()


def test_the_database_refuses_usernames_differing_only_in_case():
    UserFactory(username="racer")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Racer")


def test_a_lost_race_for_a_name_is_a_400(anon_client, monkeypatch):
    """The case-insensitive check passes, then a concurrent sign-up takes the name."""
    real_make_password = services.make_password

    def hash_while_someone_else_signs_up(password):
        UserFactory(username="RACER")
        return real_make_password(password)

    monkeypatch.setattr(services, "make_password", hash_while_someone_else_signs_up)

    response = anon_client.post(URL, {"username": "racer", "password": "pw"})

    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}
    assert list(User.objects.values_list("username", flat=True)) == ["RACER"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_of_one_name_in_any_case_make_one_account():
    names = ["racer", "Racer", "rAcer", "raCer", "racEr", "raceR", "RACER", "RaCeR"]

    codes = run_concurrently(
        lambda client, i: client.post(URL, {"username": names[i], "password": "pw"}).status_code,
        len(names),
    )

    assert sorted(codes) == [201] + [400] * 7
    assert User.objects.count() == 1
    assert Token.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_with_distinct_names_all_succeed():
    codes = run_concurrently(
        lambda client, i: client.post(URL, {"username": f"u{i}", "password": "pw"}).status_code, 8
    )

    assert codes == [201] * 8
    assert User.objects.count() == 8
