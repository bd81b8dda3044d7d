"""Every reason a person reads about a post is written once, in the component table."""

from pathlib import Path

import pytest

from atelier.feed import components
from atelier.feed.components import COMPONENTS, reason_for
from atelier.feed.config import default_ranking

ROOT = Path(components.__file__).resolve().parents[1]  # the atelier package
REASONS = [c.reason for c in COMPONENTS if c.reason] + [
    components.OWN_POST_REASON,
    components.UNSCORED_REASON,
    components.CHRONOLOGICAL_REASON,
]


def sources():
    """The code, templates and scripts that serve pages and answers (not tests, not this
    table itself)."""
    for path in ROOT.rglob("*"):
        if path.suffix not in {".py", ".html", ".js"} or "tests" in path.parts:
            continue
        if path == Path(components.__file__).resolve():
            continue
        yield path


@pytest.mark.parametrize("reason", REASONS)
def test_no_reason_is_written_twice(reason):
    # As a string literal; a sentence with a name in it by its fixed text before the name.
    if "{" in reason:
        head = reason.split("{")[0]
        literals = [q + head for q in "\"'"] if head else [reason.split("}")[-1] + q for q in "\"'"]
    else:
        literals = [q + reason + q for q in "\"'"]
    holders = [
        str(p.relative_to(ROOT))
        for p in sources()
        if any(literal in p.read_text() for literal in literals)
    ]

    assert holders == []


def test_popular_or_new_explains_a_post_without_a_personal_contribution():
    r = default_ranking()

    def reason(**contributions):
        return reason_for(contributions, {}, r, author="ben", collective=None)

    assert reason(recency=10.0, engagement=2.0) == "New"
    assert reason(recency=2.0, engagement=10.0) == "Popular right now"
    assert reason(recency=3.0, engagement=3.0) == "New"  # a tie: freshness
    assert reason(recency=30.0, social=1.0) == "From your fellow ben"
    assert reason(recency=1.0, social=5.0, interaction=6.0) == "You often appreciate ben's work"
    # A collective's sentence needs the collective's name.
    assert reason(collective=9.0, recency=1.0) == "New"
    assert (
        reason_for({"collective": 9.0}, {}, r, author="ben", collective="Inkers")
        == "In your collective Inkers"
    )
