"""Every write that changes a ranking input shows in the next feed request, through the
real path: the HTTP API, the service, the version bump after commit. No invalidate_cache."""

import pytest

from atelier.core.tests.factories import FellowFactory
from atelier.feed.tests.helpers import channel_of, get_feed, ids, post

pytestmark = pytest.mark.django_db


def warm(client, **params) -> dict:
    """Request the feed twice; the second answer comes from the cache. Return it."""
    get_feed(client, explain=True, page_size=100, **params)
    page = get_feed(client, explain=True, page_size=100, **params)
    assert page["ranking"]["cached"] is True
    return page


def breakdown(page: dict, target) -> dict | None:
    """The score breakdown of `target` on the page, None if it is not there."""
    for result in page["results"]:
        if result["id"] == target.id:
            return result["score_breakdown"]
    return None


def changed(before: dict, client) -> dict:
    """The next request (no invalidate_cache): a new version, freshly ranked."""
    after = get_feed(client, explain=True, page_size=100)
    assert after["ranking"]["calc_version"] > before["ranking"]["calc_version"]
    assert after["ranking"]["cached"] is False
    return after


def unchanged(before: dict, client) -> dict:
    after = get_feed(client, explain=True, page_size=100)
    assert after["ranking"]["calc_version"] == before["ranking"]["calc_version"]
    assert after["ranking"]["cached"] is True
    return after


@pytest.fixture
def bens_post(ben):
    return post(ben, 2, post_type="poem")


@pytest.fixture
def anas_post(ana):
    return post(ana, 3)


# --- Appreciations -----------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "engagement"), [("heart", 1.0), ("praise", 2.0), ("trophy", 5.0)])
def test_giving_an_appreciation(ana_client, bens_post, committed, kind, engagement):
    before = warm(ana_client)
    assert breakdown(before, bens_post)["interaction"] == 0.0

    with committed():
        assert ana_client.post(f"/api/posts/{bens_post.id}/{kind}/").status_code == 201

    after = changed(before, ana_client)
    assert breakdown(after, bens_post)["interaction"] == 5.0
    assert breakdown(after, bens_post)["engagement"] == engagement
    assert breakdown(after, bens_post)["recent_boost"] > 19.9


@pytest.mark.parametrize("kind", ["heart", "praise", "trophy"])
def test_taking_an_appreciation_back(ana_client, bens_post, committed, kind):
    with committed():
        ana_client.post(f"/api/posts/{bens_post.id}/{kind}/")
    before = warm(ana_client)
    assert breakdown(before, bens_post)["interaction"] == 5.0

    with committed():
        assert ana_client.delete(f"/api/posts/{bens_post.id}/{kind}/").status_code == 204

    after = changed(before, ana_client)
    assert breakdown(after, bens_post)["interaction"] == 0.0
    assert breakdown(after, bens_post)["engagement"] == 0.0
    assert breakdown(after, bens_post)["recent_boost"] == 0.0


# --- Fellows -------------------------------------------------------------------------------


def test_fellow_accept_changes_both_feeds(
    ana, ben, ana_client, ben_client, bens_post, anas_post, committed
):
    with committed():
        request_id = ben_client.post("/api/fellows/requests/", {"user_id": ana.id}).json()["id"]
    anas_before, bens_before = warm(ana_client), warm(ben_client)
    assert breakdown(anas_before, bens_post)["social"] == 0.0

    with committed():
        response = ana_client.post(f"/api/fellows/requests/{request_id}/accept/")
        assert response.status_code == 200

    assert breakdown(changed(anas_before, ana_client), bens_post)["social"] == 50.0
    assert breakdown(changed(bens_before, ben_client), anas_post)["social"] == 50.0


def test_unfriend_changes_both_feeds(
    ana, ben, ana_client, ben_client, bens_post, anas_post, committed
):
    FellowFactory(user=ben, fellow_user=ana)
    anas_before, bens_before = warm(ana_client), warm(ben_client)
    assert breakdown(anas_before, bens_post)["social"] == 50.0

    with committed():
        assert ana_client.delete(f"/api/fellows/{ben.id}/").status_code == 204

    assert breakdown(changed(anas_before, ana_client), bens_post)["social"] == 0.0
    assert breakdown(changed(bens_before, ben_client), anas_post)["social"] == 0.0


# --- Collectives ---------------------------------------------------------------------------


def test_joining_a_collective_shows_its_posts(ana_client, cleo, committed):
    channel = channel_of("public", cleo)
    theirs = post(cleo, 1, channel=channel)
    before = warm(ana_client)
    assert theirs.id not in ids(before)

    with committed():
        response = ana_client.post(f"/api/collectives/{channel.collective_id}/join/")
        assert response.status_code == 200

    after = changed(before, ana_client)
    assert breakdown(after, theirs)["collective"] == 30.0


def test_leaving_a_collective_hides_its_posts(ana, ana_client, cleo, committed):
    channel = channel_of("private", ana, cleo)
    theirs = post(cleo, 1, channel=channel)
    before = warm(ana_client)
    assert breakdown(before, theirs)["collective"] == 30.0

    with committed():
        response = ana_client.post(f"/api/collectives/{channel.collective_id}/leave/")
        assert response.status_code == 200

    assert theirs.id not in ids(changed(before, ana_client))


def test_an_invitation_shows_the_collective_to_the_invited(
    ana, ana_client, cleo, cleo_client, committed
):
    channel = channel_of("private", admin=cleo)
    theirs = post(cleo, 1, channel=channel)
    before = warm(ana_client)
    assert theirs.id not in ids(before)

    with committed():
        response = cleo_client.post(
            f"/api/collectives/{channel.collective_id}/members/", {"user_id": ana.id}
        )
        assert response.status_code == 201

    assert breakdown(changed(before, ana_client), theirs)["collective"] == 30.0


# --- Preferences, hides, blocks, seen marks --------------------------------------------------


def _preferences(**lists) -> dict:
    return {
        "preferred_post_types": [],
        "preferred_artist_types": [],
        "muted_collectives": [],
        "blocked_users": [],
        **lists,
    }


def test_preferences_put(ana_client, ben, bens_post, committed):
    before = warm(ana_client)
    assert breakdown(before, bens_post)["post_type"] == 0.0

    with committed():
        response = ana_client.put(
            "/api/user/preferences/",
            _preferences(preferred_post_types=["poem"], preferred_artist_types=["photographer"]),
            format="json",
        )
        assert response.status_code == 200

    after = breakdown(changed(before, ana_client), bens_post)
    assert after["post_type"] == 50.0
    assert after["artist_type"] == 30.0


def test_muting_a_collective(ana, ana_client, cleo, committed):
    channel = channel_of("public", ana, cleo)
    theirs = post(cleo, 1, channel=channel)
    before = warm(ana_client)
    assert theirs.id in ids(before)

    with committed():
        response = ana_client.patch(
            "/api/user/preferences/", {"muted_collectives": [channel.collective_id]}, format="json"
        )
        assert response.status_code == 200

    assert theirs.id not in ids(changed(before, ana_client))


def test_hide_and_unhide(ana_client, bens_post, committed):
    before = warm(ana_client)
    assert bens_post.id in ids(before)

    with committed():
        assert ana_client.post(f"/api/posts/{bens_post.id}/hide/").status_code == 204
    hidden = changed(before, ana_client)
    assert bens_post.id not in ids(hidden)

    with committed():
        assert ana_client.delete(f"/api/posts/{bens_post.id}/hide/").status_code == 204
    assert bens_post.id in ids(changed(hidden, ana_client))


def test_block_through_preferences_changes_both_feeds(
    ana, ben, ana_client, ben_client, bens_post, anas_post, committed
):
    anas_before, bens_before = warm(ana_client), warm(ben_client)
    assert bens_post.id in ids(anas_before) and anas_post.id in ids(bens_before)

    with committed():
        response = ana_client.put(
            "/api/user/preferences/", _preferences(blocked_users=[ben.id]), format="json"
        )
        assert response.status_code == 200

    assert bens_post.id not in ids(changed(anas_before, ana_client))
    assert anas_post.id not in ids(changed(bens_before, ben_client))

    with committed():  # and unblocking brings both back
        ana_client.put("/api/user/preferences/", _preferences(), format="json")
    assert bens_post.id in ids(get_feed(ana_client))
    assert anas_post.id in ids(get_feed(ben_client))


def test_marking_seen(ana_client, bens_post, committed):
    before = warm(ana_client)
    assert breakdown(before, bens_post)["seen"] is False

    with committed():
        response = ana_client.post("/api/posts/seen/", {"post_ids": [bens_post.id]}, format="json")
        assert response.status_code == 204

    assert breakdown(changed(before, ana_client), bens_post)["seen"] is True


# --- New posts -----------------------------------------------------------------------------


def test_my_new_post_appears_at_once_in_my_feed(ana_client, bens_post, committed):
    before = warm(ana_client)

    with committed():
        response = ana_client.post("/api/posts/", {"title": "Mine", "post_type": "poem"})
        assert response.status_code == 201

    after = changed(before, ana_client)
    assert ids(after)[0] == response.json()["id"]


def test_another_users_new_post_does_not_bump_my_version(
    ana_client, ben_client, bens_post, committed
):
    anas_before, bens_before = warm(ana_client), warm(ben_client)

    with committed():
        response = ben_client.post("/api/posts/", {"title": "His", "post_type": "poem"})
        assert response.status_code == 201
    new_id = response.json()["id"]

    assert new_id not in ids(unchanged(anas_before, ana_client))  # until the snapshot expires
    assert new_id in ids(changed(bens_before, ben_client))  # his own feed: at once
    assert new_id in ids(get_feed(ana_client, invalidate_cache=True))  # or a refresh
