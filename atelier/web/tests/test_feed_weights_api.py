"""GET /api/feed/weights/: the ranking weights the "Why am I seeing this?" panel uses."""

import pytest

from atelier.feed.components import shown
from atelier.feed.config import default_ranking, load_ranking, save_ranking
from atelier.feed.models import RankingConfig

# API.md's components: the others have no weight by default, so they are not shown.
COMPONENTS = shown(default_ranking())

pytestmark = pytest.mark.django_db


def test_anyone_gets_the_default_weights(anon_client):
    response = anon_client.get("/api/feed/weights/")

    assert response.status_code == 200
    body = response.json()
    assert body["components"] == list(COMPONENTS)
    assert body["weights"] == {
        "recency": 0.15,
        "social": 0.25,
        "interaction": 0.20,
        "engagement": 0.15,
        "collective": 0.15,
        "post_type": 0.10,
        "recent_boost": 0.10,
        "artist_type": 0.10,
    }
    assert body["max_points"]["recency"] == 100.0
    assert body["max_points"]["interaction"] == 40.0
    assert body["max_points"]["post_type"] == 50.0
    # The most each signal can add (weight x ceiling), computed by the scorer: the pages
    # draw their bars with it and never multiply a weight by points themselves.
    assert body["max_contributions"] == pytest.approx(
        {
            "recency": 15.0,
            "social": 12.5,
            "interaction": 8.0,
            "engagement": 7.5,
            "collective": 4.5,
            "post_type": 5.0,
            "recent_boost": 2.0,
            "artist_type": 3.0,
        }
    )
    assert (body["seen_factor"], body["diversity_decay"], body["diversity_floor"]) == (
        0.5,
        0.5,
        0.25,
    )
    assert set(body["labels"]) == set(body["help"]) == set(COMPONENTS)


def test_a_staff_change_shows_at_once_with_its_new_version(
    anon_client, django_capture_on_commit_callbacks
):
    before = anon_client.get("/api/feed/weights/").json()["config_version"]
    row = RankingConfig.objects.get(pk=1)
    row.weight_recency = 0.3
    row.engagement_cap = 80.0
    with django_capture_on_commit_callbacks(execute=True):  # the cached copy is dropped on commit
        save_ranking(row)

    body = anon_client.get("/api/feed/weights/").json()

    assert body["config_version"] == load_ranking().version > before
    assert body["weights"]["recency"] == 0.3
    assert body["max_points"]["engagement"] == 80.0
    assert body["max_contributions"]["engagement"] == pytest.approx(0.15 * 80.0)
    assert body["max_contributions"]["recency"] == pytest.approx(0.3 * 100.0)


def test_a_warm_request_costs_no_query(anon_client, django_assert_num_queries):
    anon_client.get("/api/feed/weights/")  # loads the configuration into the cache

    with django_assert_num_queries(0):
        assert anon_client.get("/api/feed/weights/").status_code == 200


def test_it_is_read_only(ana_client):
    assert ana_client.post("/api/feed/weights/").status_code == 405
