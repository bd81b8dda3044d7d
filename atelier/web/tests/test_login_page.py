"""/login/ and /logout/: Django's auth views with Atelier's template."""

import pytest
from pytest_django.asserts import assertRedirects, assertTemplateUsed

pytestmark = pytest.mark.django_db


def test_the_log_in_page_shows_the_form(client):
    response = client.get("/login/")

    assert response.status_code == 200
    assertTemplateUsed(response, "web/login.html")
    page = response.content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_logging_in_lands_on_the_feed(client, ana):
    response = client.post("/login/", {"username": "ana", "password": "pw"})

    assertRedirects(response, "/", fetch_redirect_response=False)
    assert client.get("/").context["user"] == ana


def test_logging_in_follows_next(client, ana):
    response = client.post("/login/", {"username": "ana", "password": "pw", "next": "/dashboard/"})

    assertRedirects(response, "/dashboard/", fetch_redirect_response=False)


def test_logging_in_never_follows_next_to_another_site(client, ana):
    response = client.post(
        "/login/", {"username": "ana", "password": "pw", "next": "https://evil.example/"}
    )

    assertRedirects(response, "/", fetch_redirect_response=False)


def test_wrong_password_shows_the_form_again_with_an_error(client, ana):
    response = client.post("/login/", {"username": "ana", "password": "nope"})

    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_a_signed_in_user_visiting_log_in_goes_to_the_feed(client, ana):
    client.force_login(ana)

    assertRedirects(client.get("/login/"), "/", fetch_redirect_response=False)


def test_logging_out_ends_the_session_and_returns_to_the_feed(client, ana):
    client.force_login(ana)

    response = client.post("/logout/")

    assertRedirects(response, "/", fetch_redirect_response=False)
    assert not client.get("/").context["user"].is_authenticated


def test_logging_out_needs_a_post(client, ana):
    client.force_login(ana)

    assert client.get("/logout/").status_code == 405


def test_the_log_in_page_offers_to_sign_up_and_keeps_next(client):
    # A visitor who taps a heart on the feed lands here: signing up is the way on.
    page = client.get("/login/?next=/posts/5/").content.decode()
    plain = client.get("/login/").content.decode()

    assert '<a href="/signup/?next=/posts/5/">Sign up</a>' in page
    assert '<a href="/signup/?next=/">Sign up</a>' in plain


def test_signing_up_from_the_log_in_link_returns_to_next(client):
    page = client.get("/signup/?next=/posts/5/").content.decode()
    response = client.post(
        "/signup/", {"username": "ines", "password": "s3cret", "next": "/posts/5/"}
    )

    assert 'name="next" value="/posts/5/"' in page
    assert '<a href="/login/?next=/posts/5/">Log in</a>' in page
    assert response["Location"] == "/posts/5/"
