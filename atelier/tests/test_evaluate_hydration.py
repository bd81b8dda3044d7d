"""The bulk as-of hydrator of `atelier evaluate` equals `features.hydrate(..., as_of=T)`.

A small random community (private and public collectives, memberships and fellows made at
random times, pending fellows, deleted posts and comments, seen marks, preferences) is
imported; at several moments — some exactly at an event's time, where "before T" must
leave it out — every user's features of every post are hydrated both ways. Runs on the
suite's database: SQLite, and PostgreSQL under DATABASE_URL.
"""

import random
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from atelier.dump.importer import import_records
from atelier.dump.records import decode_lines
from atelier.feed.evaluation.community import load_community
from atelier.feed.features import hydrate, viewer_profile

START = datetime(2021, 3, 1, tzinfo=UTC)


def _at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def generated_community(seed: int) -> tuple[list[dict], list[int]]:
    """Records of a random community, and some event times (minutes) to use as moments."""
    rng = random.Random(seed)
    users = list(range(1, 13))
    types = ["image", "novel", "poem", "music"]
    artists = ["writer", "visual_artist", "musician"]
    span = 20 * 24 * 60
    records = [
        {
            "kind": "user",
            "id": u,
            "username": f"u{u}",
            "artist_type": rng.choice(artists),
            "date_joined": _at(0),
        }
        for u in users
    ]
    collectives = {1: "public", 2: "private", 3: "public"}
    for c, visibility in collectives.items():
        records.append(
            {
                "kind": "collective",
                "id": c,
                "name": f"c{c}",
                "visibility": visibility,
                "created_by": None,
                "created_at": _at(0),
            }
        )
        records.append({"kind": "channel", "id": c, "collective": c, "name": "general"})
    for c in collectives:
        for u in rng.sample(users, 6):
            joined = rng.randrange(span)
            records.append(
                {
                    "kind": "member",
                    "user": u,
                    "collective": c,
                    "role": "member",
                    "joined_at": _at(joined),
                }
            )
    pairs = set()
    while len(pairs) < 14:
        a, b = rng.sample(users, 2)
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.add((a, b))
    for a, b in sorted(pairs):
        records.append(
            {
                "kind": "fellow",
                "from": a,
                "to": b,
                "status": rng.choice(["accepted", "accepted", "pending"]),
                "created_at": _at(rng.randrange(span)),
            }
        )
    posts = []
    for p in range(1, 41):
        created = rng.randrange(span - 600)
        channel = rng.choice([None, None, 1, 2, 3])
        post = {
            "kind": "post",
            "id": p,
            "author": rng.choice(users),
            "post_type": rng.choice(types),
            "title": f"post {p}",
            "channel": channel,
            "created_at": _at(created),
        }
        if rng.random() < 0.1:
            post["is_deleted"] = True
            post["deleted_at"] = _at(created + 5)
        records.append(post)
        posts.append((p, created))
    events = []
    seen_triples = set()
    for _ in range(160):
        p, created = rng.choice(posts)
        u = rng.choice(users)
        kind = rng.choice(["heart", "heart", "praise", "trophy"])
        if (u, p, kind) in seen_triples:
            continue
        seen_triples.add((u, p, kind))
        t = rng.randrange(created, span)
        events.append(t)
        records.append({"kind": kind, "user": u, "post": p, "created_at": _at(t)})
    for i in range(1, 81):
        p, created = rng.choice(posts)
        t = rng.randrange(created, span)
        events.append(t)
        comment = {
            "kind": "comment",
            "id": i,
            "user": rng.choice(users),
            "post": p,
            "text": "",
            "created_at": _at(t),
        }
        if rng.random() < 0.15:
            comment["is_deleted"] = True
        records.append(comment)
    seen_pairs = set()
    for _ in range(40):
        p, created = rng.choice(posts)
        u = rng.choice(users)
        if (u, p) in seen_pairs:
            continue
        seen_pairs.add((u, p))
        records.append(
            {"kind": "seen", "user": u, "post": p, "seen_at": _at(rng.randrange(created, span))}
        )
    for u in users[:4]:
        records.append(
            {
                "kind": "preference",
                "user": u,
                "preferred_post_types": rng.sample(types, 2),
                "preferred_artist_types": rng.sample(artists, 1),
            }
        )
    moments = sorted(rng.sample(events, 4)) + [span // 3, span]
    return records, moments


def import_dicts(records: list[dict]) -> None:
    import json

    lines = [json.dumps(r) for r in records]
    import_records(decode_lines(iter(lines)))


def assert_same(bulk, sql) -> None:
    order = np.argsort(sql.post_id)
    sql = sql.take(order)
    for f in fields(bulk):
        a, b = getattr(bulk, f.name), getattr(sql, f.name)
        if a.dtype.kind == "f":
            np.testing.assert_array_equal(a, b, err_msg=f.name)
        else:
            assert a.tolist() == b.tolist(), f.name


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_bulk_hydration_equals_the_as_of_query(seed):
    records, minutes = generated_community(seed)
    import_dicts(records)
    community = load_community()
    every_post = np.arange(len(community))
    checked = 0
    for m in minutes:
        moment = START + timedelta(minutes=m)
        at = moment.timestamp()
        for viewer in range(1, 13):
            bulk = community.hydrate(viewer, every_post, at)
            sql = hydrate(viewer, community.post_id.tolist(), as_of=moment)
            assert_same(bulk, sql)
            assert community.viewer(viewer, at) == viewer_profile(viewer, as_of=moment)
            checked += 1
    assert checked == len(minutes) * 12
    # The community is not trivial: some of every feature is there at the last moment.
    last = community.hydrate(1, every_post, (START + timedelta(minutes=minutes[-1])).timestamp())
    assert last.hearts.sum() > 0 and last.comments.sum() > 0
    assert any(
        community.hydrate(v, every_post, at).is_fellow.any()
        and community.hydrate(v, every_post, at).in_collective.any()
        for v in range(1, 13)
    )


@pytest.mark.django_db
def test_an_event_exactly_at_the_moment_is_not_yet_known():
    records, _ = generated_community(3)
    import_dicts(records)
    community = load_community()
    i = len(community.a_time) // 2
    at = float(community.a_time[i])
    post = community.a_post[i]
    viewer = int(community.a_user[i])
    before = community.hydrate(viewer, np.array([post]), at)
    after = community.hydrate(viewer, np.array([post]), at + 1)
    kind = community.a_kind[i]
    column = ("hearts", "praise", "trophies")[kind]
    moment = datetime.fromtimestamp(at, UTC)
    sql = hydrate(viewer, [int(community.post_id[post])], as_of=moment)
    assert getattr(sql, column)[0] == getattr(before, column)[0]
    assert getattr(after, column)[0] >= getattr(before, column)[0] + 1
