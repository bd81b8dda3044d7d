"""GET /api/feed/cache-stats/: the feed caches' hit rates, for staff.

It answered 500 to staff (KeyError 'fellows'): it still read the building-block levels
of an older cache layout, and no test asked it for a 200.
"""

import pytest

from atelier.core.tests.factories import UserFactory
from atelier.feed import cache as feed_cache
from atelier.feed.tests.helpers import get_feed, post

pytestmark = pytest.mark.django_db

STATS = "/api/feed/cache-stats/"


def test_staff_read_the_hit_rates_of_every_level(ana_client, ben, client_for):
    post(ben, 1)
    feed_cache.reset_hit_rates()
    get_feed(ana_client)  # misses: relations and snapshot are built
    get_feed(ana_client)  # hits: both come from the cache

    response = client_for(UserFactory(is_staff=True)).get(STATS)

    assert response.status_code == 200, response.content
    answer = response.json()
    assert set(answer["levels"]) == set(feed_cache.LEVELS)
    relations = answer["levels"]["relations"]
    assert relations["hits"] + relations["misses"] >= 1
    assert answer["building_blocks"] == {
        "hits": relations["hits"],
        "lookups": relations["hits"] + relations["misses"],
        "hit_rate": relations["hit_rate"],
    }
    assert answer["levels"]["snapshot"]["hits"] >= 1


def test_members_are_refused_and_visitors_asked_to_log_in(ana_client, anon_client):
    assert ana_client.get(STATS).status_code == 403
    assert anon_client.get(STATS).status_code == 401
