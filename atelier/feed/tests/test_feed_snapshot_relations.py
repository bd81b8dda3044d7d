"""An old `snapshot=` token keeps its order but counts and explains with the relations as
they are now (issue 17, defect 8): no "From your fellow ..." after an unfellow, no count
that still includes what a left collective or a block took away."""

import pytest

from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.feed.tests.helpers import channel_of, get_feed, get_url, ids, post
from atelier.feed.tests.test_feed_paging import token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def strangers(ana):
    """Four public posts, hours old, by four different authors."""
    return [post(UserFactory(), hours) for hours in range(2, 6)]


def test_an_old_token_no_longer_explains_a_post_by_an_unfellowed_member(
    ana, ana_client, ben, strangers, committed
):
    FellowFactory(user=ana, fellow_user=ben)
    bens = post(ben, 1)
    first = get_feed(ana_client, page_size=2, explain=True)
    assert ids(first)[0] == bens.id
    assert first["results"][0]["reason"] == "From your fellow ben"
    token = token_of(first)

    with committed():
        assert ana_client.delete(f"/api/fellows/{ben.id}/").status_code == 204
    again = get_feed(ana_client, page_size=2, explain=True, snapshot=token)

    assert again["ranking"]["cached"] is True  # the same snapshot: the same order
    assert ids(again) == ids(first)
    explained = again["results"][0]
    assert explained["reason"] != "From your fellow ben"
    assert explained["score_breakdown"]["social"] == 0
    assert explained["score"] < first["results"][0]["score"]
    # The next page of the same snapshot is explained the same way.
    second = get_url(ana_client, again["next"])
    assert all("fellow" not in p["reason"] for p in second["results"])


def test_an_old_token_counts_the_feed_as_it_is_now(ana, ana_client, cleo, strangers, committed):
    channel = channel_of("public", ana, cleo, name="Inkers")
    for hours in (1, 1.5):
        post(cleo, hours, channel=channel)
    first = get_feed(ana_client, page_size=2, explain=True)
    assert first["count"] == 6
    assert first["results"][0]["reason"] == "In your collective Inkers"

    with committed():
        leave = ana_client.post(f"/api/collectives/{channel.collective_id}/leave/")
        assert leave.status_code == 200
    rest = [get_url(ana_client, first["next"])]
    while rest[-1]["next"]:
        rest.append(get_url(ana_client, rest[-1]["next"]))

    assert [page["count"] for page in rest] == [4, 4]
    # The walk goes on to the snapshot's end: every stranger's post is served once.
    served = ids(first) + [pid for page in rest for pid in ids(page)]
    assert sorted(pid for pid in served if pid in {p.id for p in strangers}) == sorted(
        p.id for p in strangers
    )
    again = get_feed(ana_client, page_size=2, explain=True, snapshot=token_of(first))
    assert again["count"] == 4
    assert all(p["reason"] != "In your collective Inkers" for p in again["results"])


def test_a_token_whose_relations_did_not_move_keeps_its_count(
    ana, ana_client, strangers, committed
):
    first = get_feed(ana_client, page_size=2)
    with committed():  # a heart moves the feed version, not the relations
        assert ana_client.post(f"/api/posts/{ids(first)[1]}/heart/").status_code == 201
    post(UserFactory(), 1)  # a new post the snapshot does not count
    second = get_url(ana_client, first["next"])
    assert second["ranking"]["cached"] is True
    assert second["count"] == first["count"] == 4
