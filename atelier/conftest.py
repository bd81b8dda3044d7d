"""Shared pytest fixtures: API clients for named personas and a clean cache per test."""

import subprocess

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.core.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _child_processes_only_where_marked(request, monkeypatch):
    # `make test-fast` leaves out `-m subprocess`: a test that starts a process (atelier
    # serve, a worker, a command in a child) must carry the marker, or it fails here.
    # Browser tests start Chromium and are left out by their own marker.
    if request.node.get_closest_marker("subprocess") or request.node.get_closest_marker("browser"):
        return

    def refuse(self, args, *more, **options):
        raise AssertionError(
            f"this test starts a child process ({args!r}): mark it @pytest.mark.subprocess"
        )

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@pytest.fixture(autouse=True)
def _lenient_passwords(settings):
    # Tests sign up with short passwords ("pw"); the default validators have their own
    # tests (atelier/core/tests/test_register.py), which put them back.
    settings.AUTH_PASSWORD_VALIDATORS = []


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    # Uploaded files of a test land in a fresh folder of their own, never in var/media.
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _clean_cache():
    from atelier.core.throttling import LOCAL_COUNTS

    cache.clear()
    LOCAL_COUNTS.clear()
    yield
    cache.clear()
    LOCAL_COUNTS.clear()


@pytest.fixture(autouse=True)
def _exposure_buffer(settings):
    # Feed pages are buffered for analytics and written after a response when due; in tests
    # they are written only by an explicit exposures.flush(), so that no request's query
    # count depends on how long the test took, and nothing leaks from one test to the next.
    from atelier.analytics import exposures

    settings.EXPOSURE_FLUSH_PAGES = 10**9
    settings.EXPOSURE_FLUSH_SECONDS = 10**9
    exposures.reset()
    yield
    exposures.reset()


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for():
    """Return a function that gives an APIClient authenticated by token as `user`."""

    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def ana(db):
    """Ana, a writer: the usual acting user."""
    return UserFactory(username="ana", artist_type="writer")


@pytest.fixture
def ben(db):
    """Ben, a photographer: the other side of most interactions."""
    return UserFactory(username="ben", artist_type="photographer")


@pytest.fixture
def cleo(db):
    """Cleo, a musician: a bystander."""
    return UserFactory(username="cleo", artist_type="musician")


@pytest.fixture
def ana_client(ana, client_for) -> APIClient:
    return client_for(ana)


@pytest.fixture
def ben_client(ben, client_for) -> APIClient:
    return client_for(ben)


@pytest.fixture
def cleo_client(cleo, client_for) -> APIClient:
    return client_for(cleo)
