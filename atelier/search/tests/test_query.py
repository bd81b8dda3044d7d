"""Reading a query: websearch grammar in, PostgreSQL's and FTS5's syntax out."""

import pytest

from atelier.search.query import parse


@pytest.mark.parametrize(
    "typed, websearch, fts5",
    [
        ("walnut inks", "walnut inks", '("walnut" AND "inks")'),
        ("  walnut \t inks ", "walnut inks", '("walnut" AND "inks")'),
        ('"walnut ink" study', '"walnut ink" study', '("walnut ink" AND "study")'),
        ("ink or charcoal", "ink or charcoal", '("ink") OR ("charcoal")'),
        ("ink OR charcoal", "ink or charcoal", '("ink") OR ("charcoal")'),
        ("walnut -oil", "walnut -oil", '("walnut" NOT "oil")'),
        ('ink -"oil paint"', 'ink -"oil paint"', '("ink" NOT "oil paint")'),
        ("-oil or ink", "ink", '("ink")'),
        ('"unclosed phrase', '"unclosed phrase"', '("unclosed phrase")'),
        ("ink: (study)", "ink: (study)", '("ink:" AND "(study)")'),
        ("or ink or", "ink", '("ink")'),
    ],
)
def test_each_database_gets_the_same_query(typed, websearch, fts5):
    text = parse(typed)

    assert text.websearch() == websearch
    assert text.fts5() == fts5


@pytest.mark.parametrize("typed", ["-oil", "!!", "or", '""', "___", "- -", "-oil or -ink"])
def test_a_query_without_a_wanted_word_is_empty(typed):
    assert parse(typed).is_empty


def test_quotes_cannot_escape_an_fts5_string():
    assert parse('ink"" OR title:x').fts5() == '("ink") OR ("title:x")'


def test_names_use_the_wanted_words():
    assert parse('mara "ink works" -oil or zoe').words() == ["mara", "ink", "works", "zoe"]
