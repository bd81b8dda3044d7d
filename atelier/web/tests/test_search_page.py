"""The /search/ page: a second client of search's selector, with tabs, pages and messages."""

import pytest
from django.utils import timezone

from atelier.collective.tests.factories import ChannelFactory, CollectiveFactory
from atelier.post.tests.factories import PostFactory
from atelier.web.views import SEARCH_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _page(client, **params):
    answer = client.get("/search/", params)
    return answer, answer.content.decode()


@pytest.fixture
def member(client, ana):
    client.force_login(ana)
    return client


def test_without_a_query_the_page_asks_for_one(client):
    answer, html = _page(client)

    assert answer.status_code == 200
    assert 'id="search-prompt"' in html
    assert _page(client, q="   ")[0].status_code == 200


def test_posts_are_tiles_of_what_the_api_finds(member, ana):
    walnut = PostFactory(title="Walnut ink study")
    PostFactory(title="Charcoal")
    hidden = PostFactory(title="Walnut in a private place", channel=ChannelFactory(
        collective__visibility="private"))  # fmt: skip

    answer, html = _page(member, q="walnut inks")

    assert answer.status_code == 200
    assert f'id="tile-{walnut.id}"' in html
    assert f'id="tile-{hidden.id}"' not in html
    assert "1 post matches “walnut inks”" in html
    assert 'id="tab-posts" aria-current="page"' in html


def test_each_tab_searches_its_own_type(member, ben):
    CollectiveFactory(name="Bench Press")

    _, people = _page(member, q="ben", type="people")
    _, collectives = _page(member, q="bench", type="collectives")
    _, tags = _page(member, q="ben", type="tags")

    assert f'id="person-{ben.id}"' in people and 'href="/users/' in people
    assert "Bench Press" in collectives
    assert "Tags are coming soon" in tags


def test_a_visitor_searches_posts_and_is_asked_to_log_in_for_people(client):
    post = PostFactory(title="Walnut ink")

    assert f'id="tile-{post.id}"' in _page(client, q="walnut")[1]
    answer, html = _page(client, q="walnut", type="people")
    assert answer.status_code == 200
    assert 'id="search-login"' in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "x" * 201}, "Ensure this field has no more than 200 characters."),
        ({"q": "ink", "type": "paintings"}, "is not a valid choice."),
        ({"q": "ink", "page": "zero"}, "A valid integer is required."),
    ],
)
def test_bad_input_is_a_400_with_the_apis_message(member, params, message):
    answer, html = _page(member, **params)

    assert answer.status_code == 400
    assert 'id="search-error"' in html
    assert message in html.replace("&quot;", '"')


def test_nothing_found_says_so(member):
    answer, html = _page(member, q="nothing like it")

    assert answer.status_code == 200
    assert "No posts match “nothing like it”" in html


def test_results_are_paged(member):
    now = timezone.now()
    for i in range(SEARCH_PAGE_SIZE + 1):
        PostFactory(title=f"Walnut {i}", created_at=now - timezone.timedelta(minutes=i))

    first, html = _page(member, q="walnut")
    second, html2 = _page(member, q="walnut", page=2)

    assert html.count('class="post-tile"') == SEARCH_PAGE_SIZE
    assert 'id="search-next"' in html and "page=2" in html
    assert html2.count('class="post-tile"') == 1
    assert 'rel="prev"' in html2 and 'id="search-next"' not in html2
    assert _page(member, q="walnut", page=3)[0].status_code == 404


def test_the_header_has_a_search_box_that_remembers_the_query_on_the_search_page(member):
    _, feed = _page(member)
    people_page = member.get("/search/", {"q": "ben", "type": "people"}).content.decode()

    assert 'role="search"' in member.get("/").content.decode()
    assert 'class="site-search"' in feed
    assert 'name="q" aria-label="Search"' in people_page
    assert 'value="ben"' in people_page
    assert '<input type="hidden" name="type" value="people">' in people_page
