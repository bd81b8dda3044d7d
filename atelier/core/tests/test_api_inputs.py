"""Bad request bodies and paths under /api/ are clean JSON 4xx answers, never 500 or HTML.

Regression tests for issue 10, items 1 (deep nesting), 8 (errors that were not JSON)
and 9 (unbounded bodies and file parts).
"""

import logging

import pytest
from django.test import Client

from atelier.core.parsers import MAX_JSON_DEPTH, json_depth_exceeds

pytestmark = pytest.mark.django_db

DEEP = "[" * 1462 + "]" * 1462


def _post_raw(client, url, body, content_type="application/json", **extra):
    return client.generic("POST", url, body, content_type=content_type, **extra)


@pytest.mark.parametrize(
    "url", ["/api/auth/token/", "/api/auth/register/", "/api/posts/", "/api/fellows/requests/"]
)
def test_deeply_nested_json_is_a_400(anon_client, ana_client, url):
    client = anon_client if url.startswith("/api/auth/") else ana_client

    response = _post_raw(client, url, DEEP)

    assert response.status_code == 400
    assert "nested deeper" in response.json()["detail"]


def test_nesting_inside_an_object_counts_too(ana_client):
    body = '{"post_ids": ' + "[" * 40 + "]" * 40 + "}"

    response = _post_raw(ana_client, "/api/posts/seen/", body)

    assert response.status_code == 400


def test_brackets_inside_strings_do_not_count(ana_client):
    title = "[" * 100 + "{" * 100
    body = f'{{"title": "{title}", "post_type": "poem", "body": "\\"]]]"}}'

    response = _post_raw(ana_client, "/api/posts/", body)

    assert response.status_code == 201
    assert response.json()["title"] == title


def test_depth_check():
    assert not json_depth_exceeds(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert json_depth_exceeds(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds(b'["' + b"[" * 100 + b'"]')
    # Many brackets, shallow: counted in order, not just in number.
    assert not json_depth_exceeds(b"[" + b"[]," * 1000 + b"[]]")


def test_a_body_over_the_limit_is_a_413_json(anon_client, settings):
    body = '{"username": "ana", "password": "' + "x" * (2 * 1024 * 1024) + '"}'

    response = _post_raw(anon_client, "/api/auth/token/", body)

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_a_multipart_body_with_a_file_is_refused_unread(anon_client):
    boundary = "XyZ"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n" + "x" * 100_000 + f"\r\n--{boundary}--\r\n"
    )
    response = _post_raw(
        anon_client,
        "/api/auth/token/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert response.status_code == 415
    assert "detail" in response.json()


def test_many_form_fields_are_a_json_4xx_without_an_error_log(anon_client, caplog):
    body = "&".join(f"f{i}=1" for i in range(1500))

    with caplog.at_level(logging.WARNING):
        response = _post_raw(
            anon_client, "/api/auth/token/", body, content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code == 415
    assert response.json()["detail"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_too_many_query_parameters_are_a_400(ana_client, caplog):
    query = "&".join(f"p{i}=1" for i in range(1500))

    with caplog.at_level(logging.WARNING):
        response = ana_client.get(f"/api/collectives/?{query}")

    assert response.status_code == 400
    assert response.json() == {"detail": "Too many parameters."}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "path", ["/api/posts/-1/", "/api/posts/1e3/", "/api/nope/", "/api/nope", "/api/users/x/"]
)
@pytest.mark.parametrize("debug", [True, False])
def test_unknown_api_paths_are_json_404s(anon_client, settings, path, debug):
    settings.DEBUG = debug

    response = anon_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_post_without_the_trailing_slash_is_a_json_404_with_a_hint(anon_client, settings):
    settings.DEBUG = True

    response = anon_client.post("/api/auth/token", {"username": "a", "password": "b"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found. API paths end with a slash: /api/auth/token/"}


def test_django_level_400_under_api_is_json():
    client = Client(HTTP_HOST="evil.example")  # not in ALLOWED_HOSTS: DisallowedHost

    response = client.get("/api/")

    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}


def test_api_root_lists_the_entry_points(anon_client):
    response = anon_client.get("/api/")

    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == "/api/schema/"
    assert "/api/auth/token/" in body["endpoints"]
    assert "/api/posts/{pk}/" in body["endpoints"]
    assert "/api/feed/names/" in body["endpoints"]
    assert "/api/" not in body["endpoints"]


def test_pages_keep_their_html_404(client):
    response = client.get("/nope/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
