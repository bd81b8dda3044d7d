"""What someone typed into the search box, read the way web search engines read it.

The grammar is PostgreSQL's `websearch_to_tsquery`: words are all required, `"a phrase"`
is a phrase, `-word` (or `-"a phrase"`) leaves out what has it, and `or` between words
offers alternatives (`walnut ink or charcoal` is (walnut AND ink) OR charcoal). It is
parsed here once and written out for each database: back into websearch syntax for
PostgreSQL (which never rejects input) and into an FTS5 expression for SQLite, where every
word becomes a quoted string, so no input can be an FTS5 syntax error.

An alternative without one wanted word (`-ink` alone) is dropped: "everything but ink" is
no search, and on PostgreSQL it could not use the index.
"""

import re
from dataclasses import dataclass, field

# The longest query accepted (characters, after trimming); longer is a 400.
MAX_QUERY_LENGTH = 200

# A phrase (possibly unclosed), or a run of anything but spaces and quotes; either may
# carry a leading "-".
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
# A term must hold a letter or a digit: punctuation alone ("!!", "_") is no word.
_SEARCHABLE = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Alternative:
    """Terms that must all hold: the wanted ones, and the left-out ones."""

    terms: tuple[Term, ...] = field(default_factory=tuple)

    @property
    def wanted(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)


@dataclass(frozen=True)
class SearchText:
    """A parsed query: alternatives joined by OR, each an AND of terms."""

    text: str  # as typed, trimmed, inner whitespace collapsed
    alternatives: tuple[Alternative, ...]

    @property
    def is_empty(self) -> bool:
        """True if nothing in it can match (no word wanted anywhere)."""
        return not self.alternatives

    def websearch(self) -> str:
        """The query in `websearch_to_tsquery` syntax, without the dropped alternatives."""

        def term(t: Term) -> str:
            body = f'"{" ".join(t.words)}"' if t.is_phrase else t.words[0]
            return f"-{body}" if t.negated else body

        return " or ".join(" ".join(term(t) for t in a.terms) for a in self.alternatives)

    def fts5(self) -> str:
        """The query as an SQLite FTS5 expression: every word a quoted string."""

        def quoted(t: Term) -> str:
            return '"' + " ".join(w.replace('"', '""') for w in t.words) + '"'

        # FTS5 binds NOT tighter than AND, and AND tighter than OR: `"a" AND "b" NOT "c"`
        # is a AND (b NOT c), which keeps exactly a and b without c.
        parts = []
        for alternative in self.alternatives:
            expression = " AND ".join(quoted(t) for t in alternative.wanted)
            for t in alternative.terms:
                if t.negated:
                    expression += f" NOT {quoted(t)}"
            parts.append(f"({expression})")
        return " OR ".join(parts)

    def words(self) -> list[str]:
        """Every wanted word, in order (for names: people, collectives)."""
        return [w for a in self.alternatives for t in a.wanted for w in t.words]


def parse(text: str) -> SearchText:
    """Read a query (already checked to be non-blank and not too long)."""
    collapsed = " ".join(text.split())
    alternatives: list[Alternative] = []
    current: list[Term] = []
    for match in _TOKEN.finditer(collapsed):
        phrase_minus, phrase, word_minus, word = match.groups()
        if word is not None and word.lower() == "or" and not word_minus:
            alternatives.append(Alternative(tuple(current)))
            current = []
            continue
        if phrase is not None:
            words = tuple(w for w in phrase.split() if _SEARCHABLE.search(w))
            negated = bool(phrase_minus)
        else:
            words = (word,) if _SEARCHABLE.search(word) else ()
            negated = bool(word_minus)
        if words:
            current.append(Term(words, negated))
    alternatives.append(Alternative(tuple(current)))
    return SearchText(collapsed, tuple(a for a in alternatives if a.wanted))
