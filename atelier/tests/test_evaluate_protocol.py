"""The replay protocol on a small hand-made dump, and `atelier evaluate` end to end.

T = 2021-03-10 12:00 UTC. Posts: p1 by ana, public, T - 1 day; p2 by ana in the private
collective, T - 2 days; p3 by cleo, T - 8 days (out of the week); p4 by cleo, T - 1 hour,
deleted; p5 by ben, T - 3 days; p6 by ana at T exactly (not before T). Ben is a member of
the private collective before T, dan only after T, ana after T.

In [T, T + 24 h): ben hearts p1 (he commented on it before T) and comments on p2; dan
comments on p2 (he may not see it at T); ana hearts her own p1 and praises p5 (she hearted
p5 before T); cleo hearts p3 (created too early) and p4 (deleted); eve hearts p5 at
T + 25 h (too late).
"""

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from atelier.feed.evaluation.community import load_community
from atelier.feed.evaluation.protocol import Counts, cases_at, moments
from atelier.tests.test_evaluate_hydration import import_dicts

T = datetime(2021, 3, 10, 12, tzinfo=UTC)


def at(hours: float) -> str:
    return (T + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def small_dump() -> list[dict]:
    names = {1: "ana", 2: "ben", 3: "cleo", 4: "dan", 5: "eve"}
    r = [
        {
            "kind": "user",
            "id": i,
            "username": n,
            "artist_type": "writer",
            "date_joined": at(-30 * 24),
        }
        for i, n in names.items()
    ]
    for c, visibility in ((1, "public"), (2, "private")):
        r.append(
            {
                "kind": "collective",
                "id": c,
                "name": f"c{c}",
                "visibility": visibility,
                "created_by": None,
                "created_at": at(-30 * 24),
            }
        )
        r.append({"kind": "channel", "id": c, "collective": c, "name": "general"})
    r += [
        {"kind": "member", "user": 2, "collective": 2, "role": "member", "joined_at": at(-48)},
        {"kind": "member", "user": 4, "collective": 2, "role": "member", "joined_at": at(1)},
        {"kind": "member", "user": 1, "collective": 2, "role": "member", "joined_at": at(120)},
    ]

    def post(pk, author, hours, channel=None, **extra):
        return {
            "kind": "post",
            "id": pk,
            "author": author,
            "post_type": "novel",
            "title": f"p{pk}",
            "channel": channel,
            "created_at": at(hours),
            **extra,
        }

    r += [
        post(1, 1, -24),
        post(2, 1, -48, channel=2),
        post(3, 3, -8 * 24),
        post(4, 3, -1, is_deleted=True, deleted_at=at(-0.5)),
        post(5, 2, -72),
        post(6, 1, 0),
    ]
    r += [
        {"kind": "comment", "id": 1, "user": 2, "post": 1, "text": "", "created_at": at(-2)},
        {"kind": "heart", "user": 1, "post": 5, "created_at": at(-5)},
        {"kind": "heart", "user": 2, "post": 1, "created_at": at(1)},
        {"kind": "comment", "id": 2, "user": 2, "post": 2, "text": "", "created_at": at(2)},
        {"kind": "comment", "id": 3, "user": 4, "post": 2, "text": "", "created_at": at(3)},
        {"kind": "heart", "user": 1, "post": 1, "created_at": at(4)},
        {"kind": "praise", "user": 1, "post": 5, "created_at": at(5)},
        {"kind": "heart", "user": 3, "post": 3, "created_at": at(6)},
        {"kind": "heart", "user": 3, "post": 4, "created_at": at(7)},
        {"kind": "heart", "user": 5, "post": 5, "created_at": at(25)},
    ]
    return r


@pytest.fixture
def community(db):
    import_dicts(small_dump())
    return load_community()


def ids(community, indices) -> list[int]:
    return community.post_id[indices].tolist()


def test_moments_are_noon_utc_every_day():
    got = moments(datetime(2021, 3, 9).date(), datetime(2021, 3, 11).date())
    assert [m.isoformat() for m in got] == [
        "2021-03-09T12:00:00+00:00",
        "2021-03-10T12:00:00+00:00",
        "2021-03-11T12:00:00+00:00",
    ]


def test_viewers_candidates_relevant_and_new_only(community):
    counts = Counts()
    cases = {case.viewer: case for case in cases_at(community, T.timestamp(), counts)}
    # ana, ben, cleo and dan engaged with a post of the week; eve too late.
    assert counts.viewers == 4
    # cleo (p3 too old, p4 deleted) and dan (p2 not visible to him at T) have nothing relevant.
    assert counts.left_out_no_relevant == 2
    assert sorted(cases) == [1, 2]
    ben, ana = cases[2], cases[1]
    # ben sees the public posts and the private collective's p2; not p3, p4 or p6.
    assert ids(community, ben.posts) == [1, 2, 5]
    assert ids(community, ben.posts[ben.relevant]) == [1, 2]
    # new_only: ben had commented on p1 before T.
    assert ids(community, ben.posts[ben.prior]) == [1]
    assert ids(community, ben.posts[ben.new_relevant]) == [2]
    # ana is not a member at T: p2 is not hers to see; her own p1 is not relevant.
    assert ids(community, ana.posts) == [1, 5]
    assert ids(community, ana.posts[ana.relevant]) == [5]
    assert not ana.new_relevant.any()  # she had hearted p5 before T
    assert counts.viewer_moments == 2
    assert (counts.new_only_viewer_moments, counts.new_only_left_out) == (1, 1)


def evaluate(*args) -> tuple[str, dict]:
    out = io.StringIO()
    path = args[-1]
    call_command("evaluate", "--current-db", *args, stdout=out)
    with open(path) as f:
        return out.getvalue(), json.load(f)


def test_the_command_reports_means_intervals_and_counts(community, tmp_path):
    table, report = evaluate(
        "--start",
        "2021-03-09",
        "--end",
        "2021-03-10",
        "--test-from",
        "2021-03-10",
        "--boot",
        "200",
        "--json",
        str(tmp_path / "r.json"),
    )
    counts = report["counts"]
    assert counts["moments"] == 2
    # 03-09: ana (hearted p5 at T - 5 h) is the only viewer with a relevant post.
    assert counts["viewer_moments"] == 3
    assert (counts["train_viewer_moments"], counts["test_viewer_moments"]) == (1, 2)
    assert counts["new_only_viewer_moments"] == 2
    assert set(report["rankers"]) == {
        "chronological",
        "popular",
        "hot",
        "rec+eng+coll",
        "default",
        "served",
    }
    for results in report["rankers"].values():
        assert {"all", "new_only", "train", "train_new_only", "test", "test_new_only"} <= set(
            results
        )
        for subset in results.values():
            assert set(subset) == {"hr@10", "ndcg@50", "mrr"}
            for mean, lo, hi in subset.values():
                assert lo <= mean <= hi
    # Newest first on the test moment: ben has p1, p2 on top (all 1); ana has p5 second
    # (behind her p1): MRR 1/2, NDCG 1/log2(3).
    chrono = report["rankers"]["chronological"]["test"]
    assert chrono["mrr"][0] == pytest.approx(0.75)
    assert chrono["ndcg@50"][0] == pytest.approx((1 + 1 / np.log2(3)) / 2)
    assert chrono["hr@10"][0] == 1.0
    diff = report["differences"]["rankers"]["hot"]["all"]["ndcg@50"]
    assert diff == [0.0, 0.0, 0.0]  # hot is the baseline
    assert "| test (n=2) | chronological |" in table


def test_the_same_seed_gives_the_same_report(community, tmp_path):
    args = ["--start", "2021-03-09", "--end", "2021-03-10", "--boot", "50", "--seed", "3"]
    first = evaluate(*args, "--json", str(tmp_path / "a.json"))
    second = evaluate(*args, "--json", str(tmp_path / "b.json"))
    assert first == second


def test_a_weights_file_is_a_ranker(community, tmp_path):
    weights = tmp_path / "fresh.json"
    weights.write_text(json.dumps({"ranking": {"weight_collective": 0.0}}))
    _, report = evaluate(
        "--start", "2021-03-10", "--end", "2021-03-10", "--boot", "10",
        "--weights", str(weights), "--json", str(tmp_path / "r.json"),
    )  # fmt: skip
    assert "fresh" in report["rankers"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--start", "2021-03-10", "--end", "2021-03-01"], "is before --start"),
        (["--start", "tuesday"], "expected a date"),
        (["--tune"], "--tune needs --test-from"),
        (["--baseline", "nobody", "--start", "2021-03-10", "--end", "2021-03-10"], "none of"),
        (["--boot", "-1"], "--boot must be"),
    ],
)
def test_bad_arguments_are_clear_errors(community, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("evaluate", "--current-db", *args, stdout=io.StringIO())


def test_moments_without_viewers_give_empty_subsets(community, tmp_path):
    out = tmp_path / "r.json"
    table, _ = evaluate("--start", "2021-03-20", "--end", "2021-03-21", "--json", str(out))
    report = json.loads(out.read_text())  # strict JSON: no NaN
    assert report["counts"]["moments"] == 2 and report["counts"]["viewer_moments"] == 0
    assert report["rankers"]["default"]["all"]["ndcg@50"] == [None, None, None]
    assert "| all (n=0) | default | – |" in table


def test_an_output_in_a_missing_directory_is_refused_before_the_work(community, tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        call_command(
            "evaluate", "--current-db", "--plot", str(tmp_path / "nope" / "c.png"),
            stdout=io.StringIO(),
        )  # fmt: skip


def test_a_dump_is_required_without_current_db(db):
    with pytest.raises(CommandError, match="give a dump file"):
        call_command("evaluate", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no such dump file"):
        call_command("evaluate", "/nonexistent/dump.jsonl", stdout=io.StringIO())


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.django_db
def test_a_dump_is_evaluated_in_a_scratch_database_of_its_own(tmp_path):
    """One command from the file: the child process imports into a temporary SQLite file."""
    dump = tmp_path / "small.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in small_dump()) + "\n")
    out = tmp_path / "r.json"
    # The parent reads the live configuration from its database: a blank one here.
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "config.manage", "evaluate", str(dump), "--start", "2021-03-10",
         "--end", "2021-03-10", "--boot", "20", "--json", str(out)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "| all (n=2) | default |" in done.stdout
    assert "importing" in done.stderr and "| all" not in done.stderr
    assert json.loads(out.read_text())["counts"]["viewer_moments"] == 2


def test_tune_writes_a_loadable_file_and_leaves_the_live_configuration(community, tmp_path):
    from atelier.feed.config import load_ranking
    from atelier.feed.evaluation.rankers import SCORING_FIELDS

    before = load_ranking()
    args = ["--start", "2021-03-09", "--end", "2021-03-11", "--test-from", "2021-03-11"]
    args += ["--boot", "20", "--tune", "--seed", "4"]
    outputs = []
    for name in ("a", "b"):
        tuned = tmp_path / f"tuned-{name}.json"
        _, report = evaluate(*args, "--tune-out", str(tuned), "--json", str(tmp_path / "r.json"))
        written = json.loads(tuned.read_text())
        written["about"].pop("load_with")  # names the file
        outputs.append(written)
        assert "tuned" in report["rankers"]
        assert report["counts"]["test_viewer_moments"] == 1  # eve, at 03-11
    assert outputs[0] == outputs[1]  # deterministic
    assert set(outputs[0]["ranking"]) == set(SCORING_FIELDS)
    assert outputs[0]["about"]["written_by"] == "atelier evaluate --tune"
    assert load_ranking() == before  # tuning never changes the live configuration
    call_command("load_ranking", str(tmp_path / "tuned-a.json"), stdout=io.StringIO())
    from atelier.feed.models import RankingConfig

    assert RankingConfig.objects.get(pk=1).version == before.version + 1


def test_tune_needs_train_moments(community, tmp_path):
    with pytest.raises(CommandError, match="at least 2 train moments"):
        call_command(
            "evaluate", "--current-db", "--start", "2021-03-09", "--end", "2021-03-10",
            "--test-from", "2021-03-10", "--tune", stdout=io.StringIO(),
        )  # fmt: skip
