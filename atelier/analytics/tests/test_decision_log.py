"""The ranking decision log: one DEBUG line per served page, for whoever tunes the weights."""

import json
import logging

import pytest

from atelier.feed.components import shown
from atelier.feed.config import default_ranking
from atelier.feed.tests.helpers import get_feed, post

# What a default breakdown holds: docs/api.md's components.
COMPONENTS = shown(default_ranking())

pytestmark = pytest.mark.django_db

LOGGER = "atelier.feed.decisions"


@pytest.fixture
def many_posts(ben, cleo):
    return [post(ben if i % 2 else cleo, i + 1) for i in range(8)]


def decision_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER]


def test_a_personalized_page_logs_user_variant_and_top_five_with_breakdowns(
    ana, ana_client, many_posts, caplog
):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    page = get_feed(ana_client, page_size=8)

    [record] = decision_lines(caplog)
    message = record.getMessage()
    assert record.levelno == logging.DEBUG
    assert f"user={ana.id} variant=personalized" in message
    top = json.loads(message.split("top=", 1)[1])
    assert [entry["post"] for entry in top] == [p["id"] for p in page["results"][:5]]
    assert [entry["position"] for entry in top] == [1, 2, 3, 4, 5]
    for entry in top:
        assert set(COMPONENTS) | {"seen", "diversity"} == set(entry["breakdown"])
        assert entry["score"] > 0


def test_a_chronological_page_logs_its_variant_without_breakdowns(ana_client, many_posts, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    get_feed(ana_client, ordering="chronological")

    [record] = decision_lines(caplog)
    assert "variant=chronological explicit=True" in record.getMessage()
    top = json.loads(record.getMessage().split("top=", 1)[1])
    assert all("breakdown" not in entry and entry["score"] is None for entry in top)


def test_nothing_is_logged_or_built_above_debug(ana_client, many_posts, caplog, monkeypatch):
    from atelier.analytics import exposures

    caplog.set_level(logging.INFO, logger=LOGGER)
    monkeypatch.setattr(exposures, "_log_decision", lambda *a: pytest.fail("built the line"))
    get_feed(ana_client)

    assert decision_lines(caplog) == []
