"""What an import writes is searchable at once (COPY on PostgreSQL, bulk_create on SQLite:
the search index's triggers see both), and the long-tail community can carry text."""

import io
import json

import pytest
from django.core.management import call_command

from atelier.dump.longtail import write_longtail_dump
from atelier.dump.longtail_text import post_texts, vocabulary
from atelier.search import selectors
from atelier.search.query import parse

T = "2026-01-01T10:00:00Z"


@pytest.mark.django_db
def test_imported_posts_are_found_by_search(write_dump):
    path = write_dump(
        [
            {"kind": "user", "id": 1, "username": "ana", "artist_type": "writer",
             "date_joined": T},
            *({"kind": "post", "id": 10 + i, "author": 1, "post_type": "image",
               "title": title, "body": body, "channel": None, "created_at": T,
               "is_deleted": False}
              for i, (title, body) in enumerate([("Walnut ink", ""), ("Charcoal", "inky")])),
        ]
    )  # fmt: skip

    call_command("import_community", str(path), stdout=io.StringIO())

    page = selectors.search_posts(None, parse("walnut inks"), offset=0, limit=10)
    assert [post.id for post in page.results] == [10]
    page = selectors.search_posts(None, parse("ink"), offset=0, limit=10)
    assert {post.id for post in page.results} == {10}


def test_the_long_tail_gets_text_without_changing_anything_else(tmp_path):
    plain, worded = tmp_path / "plain.jsonl", tmp_path / "worded.jsonl"

    write_longtail_dump(str(plain), posts=300, seed=3)
    write_longtail_dump(str(worded), posts=300, seed=3, text=True)

    before = [json.loads(line) for line in plain.read_text().splitlines()]
    after = [json.loads(line) for line in worded.read_text().splitlines()]
    titles, bodies = post_texts(300, 3)
    for old, new in zip(before, after, strict=True):
        if old["kind"] == "post":
            assert old["title"] == f"Work {old['id']}" and old["body"] == ""
            old.update(title=titles[old["id"] - 1], body=bodies[old["id"] - 1])
        assert new == old


def test_the_long_tails_words_are_long_tailed():
    titles, bodies = post_texts(5_000, 1)
    words = [w.strip(".").lower() for text in titles + bodies for w in text.split()]
    commonest = vocabulary()[0]

    share = sum(
        commonest in (t + " " + b).lower().split() for t, b in zip(titles, bodies, strict=True)
    )
    assert 0.02 < share / 5_000 < 0.10
    assert len(set(words)) > 5_000
    assert all(2 <= len(t.split()) <= 6 for t in titles)
    assert sum(b == "" for b in bodies) / 5_000 == pytest.approx(0.3, abs=0.03)
