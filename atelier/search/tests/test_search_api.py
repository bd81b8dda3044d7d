"""GET /api/search/: its parameters, statuses, pages and the shape of each type's results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.post.serializers import PostOutputSerializer
from atelier.post.tests.factories import PostFactory
from atelier.search.query import MAX_QUERY_LENGTH

pytestmark = pytest.mark.django_db

URL = "/api/search/"


def _posts(n: int, title: str = "Walnut ink study") -> list:
    now = timezone.now()
    return [
        PostFactory(title=f"{title} {i}", created_at=now - timezone.timedelta(minutes=i))
        for i in range(n)
    ]


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "\t\n"}, "q"),
        ({"q": "x" * (MAX_QUERY_LENGTH + 1)}, "q"),
        ({"q": "ink\x00"}, "q"),
        ({"q": "ink", "type": "paintings"}, "type"),
        ({"q": "ink", "page": "0"}, "page"),
        ({"q": "ink", "page": "two"}, "page"),
        ({"q": "ink", "page": str(10**9)}, "page"),
        ({"q": "ink", "page_size": "0"}, "page_size"),
        ({"q": "ink", "page_size": "101"}, "page_size"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(ana_client, params, field):
    answer = ana_client.get(URL, params)

    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == [field]


def test_a_query_of_the_longest_length_is_accepted(ana_client):
    PostFactory(title="ink")

    answer = ana_client.get(URL, {"q": "  " + "ink " * (MAX_QUERY_LENGTH // 4) + "  "})

    assert answer.status_code == 200, answer.content
    assert answer.json()["count"] == 1


def test_type_defaults_to_posts_and_results_are_post_objects_as_the_api_serializes_them(
    ana_client,
):
    post = PostFactory(title="Walnut ink study", body="brown lines")

    answer = ana_client.get(URL, {"q": "walnut"})

    assert answer.status_code == 200
    body = answer.json()
    assert body == {
        "count": 1,
        "count_exact": True,
        "next": None,
        "previous": None,
        "results": [PostOutputSerializer(post).data],
    }


def test_visitors_may_search_posts_and_tags_but_not_people_or_collectives(anon_client):
    PostFactory(title="Walnut ink")

    assert anon_client.get(URL, {"q": "walnut"}).json()["count"] == 1
    assert anon_client.get(URL, {"q": "walnut", "type": "tags"}).status_code == 200
    for kind in ("people", "collectives"):
        answer = anon_client.get(URL, {"q": "walnut", "type": kind})
        assert answer.status_code == 401, kind
        assert answer.json() == {"detail": f"Log in to search {kind}."}


def test_tags_answer_an_empty_page_until_tags_exist(ana_client):
    PostFactory(title="#ink walnut")

    answer = ana_client.get(URL, {"q": "ink", "type": "tags"})

    assert answer.status_code == 200
    assert answer.json() == {
        "count": 0,
        "count_exact": True,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert ana_client.get(URL, {"q": "ink", "type": "tags", "page": 2}).status_code == 404


def test_a_query_with_nothing_to_look_for_is_an_empty_page(ana_client):
    PostFactory(title="ink")

    for q in ("!!!", "-ink", "or", '""', "___"):
        answer = ana_client.get(URL, {"q": q})
        assert answer.status_code == 200, q
        assert answer.json()["results"] == [], q
        assert answer.json()["count"] == 0, q


def test_pages_walk_every_match_once_with_next_and_previous(ana_client):
    posts = _posts(5)
    PostFactory(title="Charcoal")

    seen, url, pages = [], f"{URL}?q=walnut&page_size=2", []
    while url:
        answer = ana_client.get(url)
        assert answer.status_code == 200
        body = answer.json()
        pages.append(body)
        seen += [p["id"] for p in body["results"]]
        url = body["next"]

    assert sorted(seen) == sorted(p.id for p in posts)
    assert [len(p["results"]) for p in pages] == [2, 2, 1]
    assert {p["count"] for p in pages} == {5}
    assert pages[0]["previous"] is None
    assert "page=1" in pages[1]["previous"] and "q=walnut" in pages[1]["previous"]
    assert pages[2]["next"] is None


def test_a_page_past_the_end_is_a_404_and_page_one_never_is(ana_client):
    _posts(3)

    assert ana_client.get(URL, {"q": "walnut", "page_size": 2, "page": 2}).status_code == 200
    assert ana_client.get(URL, {"q": "walnut", "page_size": 2, "page": 3}).status_code == 404
    assert ana_client.get(URL, {"q": "nothing", "page": 1}).status_code == 200
    assert ana_client.get(URL, {"q": "nothing", "page": 2}).status_code == 404
    assert ana_client.get(URL, {"q": "walnut", "page": 10**6}).status_code == 404


def test_people_results_are_user_objects(ana_client, ben):
    answer = ana_client.get(URL, {"q": "ben", "type": "people"})

    assert answer.status_code == 200
    assert answer.json()["results"] == [
        {
            "id": ben.id,
            "username": "ben",
            "display_name": None,  # none set: the pages show the username
            "artist_type": "photographer",
            "avatar": None,
        }
    ]
    ben.display_name = "Ben Lens"
    ben.save(update_fields=["display_name"])
    answer = ana_client.get(URL, {"q": "ben", "type": "people"})
    assert answer.json()["results"][0]["display_name"] == "Ben Lens"


def test_people_search_leaves_out_a_held_member_but_for_themselves(
    ana, ana_client, ben, client_for
):
    from django.utils import timezone

    ben.held_at = timezone.now()
    ben.save(update_fields=["held_at"])

    assert ana_client.get(URL, {"q": "ben", "type": "people"}).json()["results"] == []
    own = client_for(ben).get(URL, {"q": "ben", "type": "people"}).json()["results"]
    assert [p["id"] for p in own] == [ben.id]


def test_collective_results_are_collective_objects_with_my_role(ana, ana_client):
    channel = ChannelFactory(collective__name="Walnut Inkers", name="general")
    MemberFactory(collective=channel.collective, user=ana, role="admin")

    answer = ana_client.get(URL, {"q": "inkers", "type": "collectives"})

    assert answer.status_code == 200
    collective = channel.collective
    assert answer.json()["results"] == [
        {
            "id": collective.id,
            "name": "Walnut Inkers",
            "visibility": "public",
            "members_count": collective.members_count,
            "channels": [{"id": channel.id, "name": "general"}],
            "created_at": collective.created_at.isoformat().replace("+00:00", "Z"),
            "role": "admin",
        }
    ]


def test_a_page_of_posts_runs_a_fixed_number_of_queries(ana_client):
    _posts(30)

    with CaptureQueriesContext(connection) as queries:
        answer = ana_client.get(URL, {"q": "walnut", "page_size": 20})

    assert answer.status_code == 200
    assert len(answer.json()["results"]) == 20
    # The token and its user; the candidates with their count (a window function); their
    # text relevance; the page's posts with their authors. PostgreSQL first asks the
    # planner how many posts match (EXPLAIN).
    expected = 4 + (1 if connection.vendor == "postgresql" else 0)
    assert len(queries) == expected, [q["sql"][:80] for q in queries.captured_queries]
