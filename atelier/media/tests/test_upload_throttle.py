"""The upload limit holds while Redis is down (issue 17, defect 4).

MediaUploadApi used DRF's plain throttles, which count in the default cache only: with
Redis stopped, 20 of 20 uploads were accepted at 5/hour.
"""

import pytest
from django.db import DatabaseError
from rest_framework.throttling import SimpleRateThrottle

from atelier.core.cache_backend import BREAKER
from atelier.core.models import ThrottleFallbackEntry
from atelier.core.tests.helpers import redis_down
from atelier.core.throttling import LOCAL_COUNTS, SHARED_COUNTS

pytestmark = pytest.mark.django_db


def test_uploads_stay_limited_when_redis_is_down(ana_client, upload_as, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "upload", "5/hour")

    with redis_down():
        codes = [upload_as(ana_client).status_code for _ in range(8)]
        assert BREAKER.down

    assert codes == [201] * 5 + [429] * 3


def test_the_user_rate_holds_for_uploads_when_redis_is_down(ana_client, upload_as, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/min")

    with redis_down():
        codes = [upload_as(ana_client).status_code for _ in range(5)]

    assert codes == [201] * 3 + [429] * 2


def test_every_process_shares_the_count_while_redis_is_down(ana_client, upload_as, monkeypatch):
    """With several server processes, a count kept in each one's memory let every process
    accept its own five (20 uploads at 5/hour got through 5 workers): the counts while
    Redis is down live in the database, which all of them share. Each upload here comes
    from a "fresh process": this process's memory is emptied before it."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "upload", "5/hour")

    codes = []
    with redis_down():
        for _ in range(8):
            LOCAL_COUNTS.clear()
            codes.append(upload_as(ana_client).status_code)

    assert codes == [201] * 5 + [429] * 3
    assert ThrottleFallbackEntry.objects.exists()


def test_the_memory_of_the_process_is_the_last_resort(ana_client, upload_as, monkeypatch):
    """Should the database refuse the counts too, the process still counts alone."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "upload", "5/hour")

    def refuse(*args, **kwargs):
        raise DatabaseError("no throttle table")

    monkeypatch.setattr(SHARED_COUNTS, "get", refuse)
    monkeypatch.setattr(SHARED_COUNTS, "set", refuse)
    with redis_down():
        codes = [upload_as(ana_client).status_code for _ in range(7)]

    assert codes == [201] * 5 + [429] * 2
