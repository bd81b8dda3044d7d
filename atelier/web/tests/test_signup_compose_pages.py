"""/signup/ (create an account and log in) and /new/ (the composer's shell)."""

import pytest

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.models import User
from atelier.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signing_up_creates_the_account_and_logs_in(client):
    response = client.post(
        "/signup/",
        {"username": "ines", "password": "s3cret", "artist_type": "writer", "next": "/new/"},
    )

    assert response.status_code == 302 and response["Location"] == "/new/"
    user = User.objects.get(username="ines")
    assert user.artist_type == "writer" and user.check_password("s3cret")
    assert client.get("/new/").status_code == 200  # logged in


@pytest.mark.parametrize(
    "form, field",
    [
        ({"username": "", "password": "x"}, "username"),
        ({"username": "bad name!", "password": "x"}, "username"),
        ({"username": "ANA", "password": "x"}, "username"),  # taken, whatever the case
        ({"username": "ines", "password": ""}, "password"),
        ({"username": "ines", "password": "x", "artist_type": "juggler"}, "artist_type"),
        ({"username": "ines", "password": "x", "email": "not-an-email"}, "email"),
    ],
)
def test_bad_sign_ups_say_why_and_create_nothing(client, form, field):
    UserFactory(username="ana")

    response = client.post("/signup/", form)

    assert response.status_code == 400
    assert field in response.context["errors"]
    assert not User.objects.filter(username="ines").exists()
    assert "_auth_user_id" not in client.session


def test_sign_up_never_redirects_off_site(client):
    response = client.post(
        "/signup/", {"username": "ines", "password": "x", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_composer_needs_a_login_and_lists_my_channels(client, ana):
    assert client.get("/new/").status_code == 302

    mine = ChannelFactory(name="sketches", collective__name="Inkers")
    MemberFactory(collective=mine.collective, user=ana)
    ChannelFactory(name="secret", collective__name="Vault")
    client.force_login(ana)
    page = client.get("/new/").content.decode()

    assert f'value="{mine.id}">Inkers › #sketches' in page
    assert "Vault" not in page


def test_the_composer_does_not_preselect_a_kind(client, ana):
    # A text-only post must not go out as an "Image" because the first option was taken.
    client.force_login(ana)

    page = client.get("/new/").content.decode()

    select = page[page.index('<select id="id_post_type"') : page.index("</select>")]
    assert '<option value="" selected disabled>Choose a kind…</option>' in select
    assert select.count("selected") == 1
