"""The upload limit holds while Redis is down (issue 17, defect 4).

MediaUploadApi used DRF's plain throttles, which count in the default cache only: with
Redis stopped, 20 of 20 uploads were accepted at 5/hour.
"""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from atelier.core.cache_backend import BREAKER
from atelier.core.tests.helpers import redis_down

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
