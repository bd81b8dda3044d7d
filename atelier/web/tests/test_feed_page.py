"""GET /: the feed page shell for visitors and members (its data comes from the API)."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed

import atelier.web
from atelier.analytics.models import FeedRollout
from atelier.analytics.rollout import save_rollout
from atelier.core.tests.factories import UserFactory
from atelier.feed.config import load_ranking, save_ranking
from atelier.feed.models import RankingConfig

pytestmark = pytest.mark.django_db


def test_the_site_root_is_the_feed_page():
    assert reverse("web:feed") == "/"


def test_a_visitor_gets_the_newest_public_feed_with_a_log_in_link(client):
    response = client.get("/")

    assert response.status_code == 200
    assertTemplateUsed(response, "web/feed.html")
    page = response.content.decode()
    assert 'data-ordering="chronological"' in page
    assert 'data-authenticated="false"' in page
    assert 'href="/login/?next=/"' in page
    assert "Newest on Atelier" in page
    # No "For you" toggle and no ranking explanation for someone without a personal feed.
    assert 'data-ordering="personalized"' not in page
    assert 'id="how-ranked"' not in page


def test_a_visitor_cannot_ask_for_the_personalized_feed(client):
    response = client.get("/?ordering=personalized")

    assert 'data-ordering="chronological"' in response.content.decode()


def test_a_member_gets_the_personalized_feed_by_default(client, ana):
    client.force_login(ana)

    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="feed" class="cards" data-ordering="personalized"' in page
    assert 'data-authenticated="true"' in page
    assert "@ana" in page
    assert 'action="/logout/"' in page
    assert 'id="how-ranked"' in page
    # Only staff see the dashboard link.
    assert 'href="/dashboard/"' not in page


@pytest.mark.parametrize(
    ("query", "ordering", "explicit"),
    [
        ("?ordering=chronological", "chronological", "true"),
        ("?ordering=personalized", "personalized", "true"),
        ("?ordering=bogus", "personalized", "false"),
    ],
)
def test_a_member_can_open_either_ordering(client, ana, query, ordering, explicit):
    client.force_login(ana)

    response = client.get("/" + query)

    assert (
        f'id="feed" class="cards" data-ordering="{ordering}" data-explicit="{explicit}"'
        in response.content.decode()
    )


@pytest.fixture
def comparison_group(django_capture_on_commit_callbacks):
    """The experiment serves every member without an explicit ordering newest first."""
    with django_capture_on_commit_callbacks(execute=True):
        save_rollout(FeedRollout(pk=1, personalized_enabled=False))


def test_a_member_of_the_comparison_group_sees_newest_pressed_and_no_announcement(
    client, ana, comparison_group
):
    client.force_login(ana)

    page = client.get("/").content.decode()

    # The page is rendered for what the API will serve this member: newest first.
    assert 'data-ordering="chronological" data-explicit="false"' in page
    assert 'data-ordering="chronological" aria-pressed="true">Newest' in page
    assert 'data-ordering="personalized" aria-pressed="false">For you' in page
    assert "comparison" not in page.lower() and "experiment" not in page.lower()
    script = (Path(atelier.web.__file__).parent / "static/web/feed.js").read_text()
    assert "comparison group" not in script


def test_a_members_explicit_choice_overrides_the_experiment(client, ana, comparison_group):
    client.force_login(ana)

    page = client.get("/?ordering=personalized").content.decode()
    served = client.get("/api/posts/?ordering=personalized").json()["ranking"]

    assert 'data-ordering="personalized" data-explicit="true"' in page
    assert 'data-ordering="personalized" aria-pressed="true">For you' in page
    assert (served["ordering"], served["variant"]) == ("personalized", "personalized")


def test_cards_get_the_labels_of_the_choices(client, ana):
    client.force_login(ana)

    labels = json.loads(_json_script(client.get("/"), "choice-labels"))

    assert labels["artist_types"]["visual_artist"] == "Visual Artist"
    assert labels["post_types"]["poem"] == "Poem"


def test_staff_see_a_link_to_the_dashboard(client):
    client.force_login(UserFactory(username="stella", is_staff=True))

    response = client.get("/")

    assert 'href="/dashboard/"' in response.content.decode()


def test_the_page_embeds_the_current_ranking_weights(
    client, ana, django_capture_on_commit_callbacks
):
    row = RankingConfig.objects.get_or_create(pk=1)[0]
    row.weight_social = 0.5
    with django_capture_on_commit_callbacks(execute=True):
        save_ranking(row)
    client.force_login(ana)

    response = client.get("/")

    weights = json.loads(_json_script(response, "ranking-weights"))
    assert weights["config_version"] == load_ranking().version
    assert weights["weights"]["social"] == 0.5
    assert "0.5" in response.content.decode()  # the "How is For you ordered?" list


def test_the_page_loads_its_css_and_script_from_static_files(client):
    page = client.get("/").content.decode()

    assert "/static/web/atelier.css" in page
    assert "/static/web/feed.js" in page
    assert "//cdn" not in page and "https://" not in page


def test_the_feed_page_takes_only_safe_methods(client):
    assert client.post("/").status_code == 405
    assert client.head("/").status_code == 200


def _json_script(response, element_id: str) -> str:
    page = response.content.decode()
    start = page.index(f'<script id="{element_id}" type="application/json">')
    start = page.index(">", start) + 1
    return page[start : page.index("</script>", start)]
