"""Two `atelier serve` instances on one database and one Redis: what one invalidates, the
other sees at once (the feed caches and their version counters live in Redis)."""

import json
import os
import secrets

import pytest

from atelier.ops.tests.server import ServedAtelier, get, post_json, served_environment

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="two servers share state through Redis: run with REDIS_URL (as .ci/run does)",
    ),
]


def register(server, name: str) -> dict:
    status, account = post_json(
        f"{server.url}/api/auth/register/",
        {"username": name, "password": "s3cret-pass", "artist_type": "photographer"},
    )
    assert status == 201, account
    return {"Authorization": f"Token {account['token']}"}


def feed(server, auth: dict) -> dict:
    status, _, body = get(
        f"{server.url}/api/posts/?ordering=personalized&explain=true", headers=auth
    )
    assert status == 200, body
    return json.loads(body)


def test_an_invalidation_through_one_server_is_seen_by_the_other(served_database_url):
    environment = served_environment(served_database_url, WEB_CONCURRENCY="1")
    suffix = secrets.token_hex(3)
    with ServedAtelier(environment) as first, ServedAtelier(environment) as second:
        ana = register(first, f"ana{suffix}")
        ben = register(second, f"ben{suffix}")
        status, post = post_json(
            f"{first.url}/api/posts/", {"title": "Dusk", "post_type": "image"}, headers=ben
        )
        assert status == 201, post

        # Ana's feed, ranked by the second server, then served from the shared cache.
        built = feed(second, ana)
        cached = feed(second, ana)
        assert cached["ranking"]["cached"] is True
        assert cached["ranking"]["calc_version"] == built["ranking"]["calc_version"]
        assert [item["id"] for item in cached["results"]] == [post["id"]]

        # Ana hearts Ben's post through the first server...
        status, _ = post_json(f"{first.url}/api/posts/{post['id']}/heart/", {}, headers=ana)
        assert status == 201

        # ...and the second server's very next answer is ranked anew, with the heart in it.
        after = feed(second, ana)
        assert after["ranking"]["cached"] is False
        assert after["ranking"]["calc_version"] > cached["ranking"]["calc_version"]
        (item,) = after["results"]
        assert item["hearts_count"] == 1
        assert item["score_breakdown"] != cached["results"][0]["score_breakdown"]
        # The first server sees the same version: one counter, in Redis.
        assert feed(first, ana)["ranking"]["calc_version"] == after["ranking"]["calc_version"]
