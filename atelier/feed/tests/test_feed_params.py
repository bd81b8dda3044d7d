"""GET /api/posts/: parameter validation, paging bounds and the shape of the answer."""

import pytest

from atelier.core.tests.factories import UserFactory
from atelier.feed.tests.helpers import FEED, get_feed, ids, post

BAD_VALUES = [
    ("page", "0"),
    ("page", "-1"),
    ("page", "abc"),
    ("page", "1.5"),
    ("page_size", "0"),
    ("page_size", "101"),
    ("page_size", "abc"),
    ("page_size", "-5"),
    ("ordering", "bogus"),
    ("ordering", "-created_at"),
    ("explain", "maybe"),
    ("unseen", "2"),
    ("invalidate_cache", "x"),
    ("snapshot", "garbage"),
    ("snapshot", "v1e0"),
    ("snapshot", "v1e0.1; DROP TABLE"),
]

pytestmark = pytest.mark.django_db

CLIENTS = ["anon_client", "ana_client"]


@pytest.fixture(params=CLIENTS)
def any_client(request):
    """The feed's two audiences: an anonymous visitor and ana (authenticated)."""
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_a_bad_value_is_400_naming_the_parameter(any_client, name, value):
    response = any_client.get(FEED, {name: value})

    assert response.status_code == 400, response.content
    assert name in response.json()


@pytest.mark.parametrize("value", ["true", "false", "1", "0", "yes", "no", "TRUE", "False"])
@pytest.mark.parametrize("name", ["explain", "unseen", "invalidate_cache"])
def test_booleans_accept_the_usual_words(ana_client, name, value):
    assert ana_client.get(FEED, {name: value}).status_code == 200


@pytest.mark.parametrize("size", [1, 100])
def test_page_size_bounds_are_inclusive(any_client, size):
    post(UserFactory(), 1)

    page = get_feed(any_client, page_size=size)

    assert page["count"] == 1


def test_unknown_parameters_are_ignored(any_client):
    mine = post(UserFactory(), 1)

    page = get_feed(any_client, foo="bar", sort="title", limit="abc", page_size=5)

    assert ids(page) == [mine.id]


def test_page_past_the_end_is_404(any_client):
    for hours in range(3):
        post(UserFactory(), hours + 1)

    assert get_feed(any_client, page=2, page_size=2)["count"] == 3
    assert any_client.get(FEED, {"page": 3, "page_size": 2}).status_code == 404
    assert any_client.get(FEED, {"page": 999, "page_size": 2}).status_code == 404


@pytest.mark.parametrize("page", ["1000001", str(10**30)])
def test_a_huge_page_is_past_the_end_not_a_400_or_500(any_client, page):
    post(UserFactory(), 1)

    assert any_client.get(FEED, {"page": page}).status_code == 404


@pytest.mark.parametrize("ordering", ["personalized", "chronological"])
def test_page_one_of_an_empty_feed_is_200_with_count_0(any_client, ordering):
    page = get_feed(any_client, ordering=ordering)

    assert page["count"] == 0
    assert page["results"] == []
    assert page["next"] is None
    assert page["previous"] is None
    assert any_client.get(FEED, {"page": 2, "ordering": ordering}).status_code == 404


def test_answer_shape_for_a_user(ana_client):
    for hours in range(3):
        post(UserFactory(), hours + 1)

    page = get_feed(ana_client, page_size=2)

    assert {"count", "next", "previous", "results", "ranking"} <= set(page)
    assert page["count"] == 3
    assert page["previous"] is None
    assert "page=2" in page["next"]
    assert {"ordering", "variant", "cached", "calc_version"} <= set(page["ranking"])
    assert page["ranking"]["ordering"] == "personalized"
    assert page["ranking"]["variant"] == "personalized"
    assert page["ranking"]["cached"] is False
    assert isinstance(page["ranking"]["calc_version"], int)
    result = page["results"][0]
    assert set(result) >= {
        "id",
        "author",
        "post_type",
        "title",
        "body",
        "channel",
        "collective",
        "created_at",
        "hearts_count",
        "praise_count",
        "trophy_count",
        "comment_count",
        "critique_count",
    }
    assert "score" not in result and "score_breakdown" not in result and "reason" not in result

    second = get_feed(ana_client, page=2, page_size=2)
    assert second["next"] is None
    assert "page=1" in second["previous"]


def test_answer_shape_for_an_anonymous_visitor(anon_client):
    post(UserFactory(), 1)

    page = get_feed(anon_client)

    assert page["ranking"]["ordering"] == "chronological"
    assert page["ranking"]["variant"] == "chronological"
    assert page["ranking"]["cached"] is False
    assert page["ranking"]["calc_version"] is None


def test_explain_adds_score_breakdown_and_reason(ana_client):
    post(UserFactory(), 1)

    result = get_feed(ana_client, explain=True)["results"][0]

    assert isinstance(result["score"], float)
    assert set(result["score_breakdown"]) == {
        "recency",
        "social",
        "interaction",
        "engagement",
        "collective",
        "post_type",
        "recent_boost",
        "artist_type",
        "seen",
        "diversity",
    }
    assert result["reason"] == "New"


def test_next_link_drops_invalidate_cache_and_keeps_the_other_parameters(ana_client):
    for hours in range(3):
        post(UserFactory(), hours + 1)

    page = get_feed(ana_client, page_size=2, invalidate_cache=True, explain=True)

    assert "invalidate_cache" not in page["next"]
    assert "explain=true" in page["next"]
    assert "page_size=2" in page["next"]
    assert "snapshot=" in page["next"]
