"""`atelier load_ranking FILE`: a versioned save of a ranking file; bad files change nothing."""

import io
import json
import re
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command

from atelier.feed.config import default_ranking, load_ranking
from atelier.feed.evaluation.rankers import ranking_file, ranking_from_file
from atelier.feed.models import RankingConfig


def write(tmp_path, content, name="ranking.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


@pytest.mark.django_db
def test_a_tuned_file_becomes_the_live_configuration_with_a_new_version(tmp_path, committed):
    before = load_ranking()
    tuned = replace(default_ranking(), weight_social=0.05, recency_decay_hours=48.0)
    path = write(tmp_path, ranking_file(tuned, {"written_by": "a test"}))
    out = io.StringIO()
    with committed():
        call_command("load_ranking", path, stdout=out)
    row = RankingConfig.objects.get(pk=1)
    assert row.weight_social == 0.05 and row.recency_decay_hours == 48.0
    assert row.version == before.version + 1
    assert load_ranking().weight_social == 0.05  # the cached copy was dropped
    assert re.search(r"2 of \d+ field\(s\) changed", out.getvalue())
    assert f"version {before.version} -> {before.version + 1}" in out.getvalue()


@pytest.mark.django_db
def test_fields_left_out_keep_their_current_value(tmp_path):
    call_command(
        "load_ranking", write(tmp_path, {"ranking": {"weight_recency": 0.3}}), stdout=io.StringIO()
    )
    call_command(
        "load_ranking", write(tmp_path, {"ranking": {"post_type_top_n": 2}}), stdout=io.StringIO()
    )
    row = RankingConfig.objects.get(pk=1)
    assert (row.weight_recency, row.post_type_top_n, row.weight_social) == (0.3, 2, 0.25)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "is not JSON"),
        ([1, 2], 'a "ranking" object'),
        ({"weights": {}}, 'a "ranking" object'),
        ({"ranking": {"weight_fame": 1}}, "unknown field.*weight_fame"),
        ({"ranking": {"version": 9}}, "unknown field.*version"),
        ({"ranking": {"weight_social": "high"}}, "weight_social must be a number"),
        ({"ranking": {"weight_social": True}}, "weight_social must be a number"),
        ({"ranking": {"weight_social": -0.1}}, "weight_social: Ensure this value is greater"),
        ({"ranking": {"post_type_top_n": 2.5}}, "post_type_top_n must be a whole number"),
        ({"ranking": {"diversity_floor": 1.5}}, "at most 1"),
        ({"ranking": {"candidate_budget": 0}}, "candidate_budget"),
    ],
)
def test_a_bad_file_is_a_clear_error_and_changes_nothing(tmp_path, content, message):
    before = load_ranking()
    path = write(tmp_path, content)
    with pytest.raises(CommandError, match=message) as error:
        call_command("load_ranking", path, stdout=io.StringIO())
    assert "nothing was changed" in str(error.value)
    assert RankingConfig.objects.get(pk=1).version == before.version
    assert load_ranking() == before


@pytest.mark.django_db
def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_ranking", str(tmp_path / "nope.json"), stdout=io.StringIO())


def test_a_weights_file_for_evaluate_starts_from_the_defaults(tmp_path):
    ranking = ranking_from_file(write(tmp_path, {"ranking": {"weight_engagement": 0.5}}))
    assert ranking == replace(default_ranking(), weight_engagement=0.5)
