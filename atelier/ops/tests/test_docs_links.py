"""Every link in README.md and docs/*.md stays inside the repository and resolves.

A relative link must name a file (or folder) of the repository, and an `#anchor` into a
Markdown file must name one of its headings (GitHub's slugs). No link may leave the
repository: no `http(s)` address except to 127.0.0.1 or localhost (examples of a local
server), and no path that climbs out of it (the old `../shared` contract).
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]"  # [text], which may hold [brackets]
    r"\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"  # (target "title")
)
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![\w(<])(?:https?|ftp)://[^\s)>\]]+")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def prose(text: str) -> str:
    """The text outside fenced code blocks and code spans (where links are links)."""
    return _CODE_SPAN.sub("", _FENCE.sub("", text))


def links(text: str) -> list[str]:
    text = prose(text)
    found = _INLINE_LINK.findall(text) + _REFERENCE_DEFINITION.findall(text)
    found += _AUTOLINK.findall(text)
    # A bare address outside code is a link too (GitHub makes it one).
    found += _BARE_URL.findall(_INLINE_LINK.sub("", _AUTOLINK.sub("", text)))
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = text.replace("`", "").replace("*", "")
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings (repeats get -1, -2, ...)."""
    seen: dict[str, int] = {}
    found = set()
    for _, heading in _HEADING.findall(_FENCE.sub("", path.read_text())):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def problem(document: Path, target: str) -> str | None:
    """Why a link of `document` does not resolve inside the repository, or None."""
    parts = urlsplit(target)
    if parts.scheme or target.startswith("//"):
        if parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS:
            return None
        return "leaves the repository"
    path = unquote(parts.path)
    if path.startswith("/"):
        return "an absolute path (use a path relative to the document)"
    resolved = (document.parent / path).resolve() if path else document
    if not resolved.is_relative_to(ROOT):
        return "climbs out of the repository"
    if not resolved.exists():
        return "no such file in the repository"
    if parts.fragment and resolved.suffix == ".md":
        if unquote(parts.fragment) not in anchors(resolved):
            return f"no heading #{parts.fragment} in {resolved.relative_to(ROOT)}"
    return None


def test_links_are_read_from_prose_only():
    text = (
        "See [the API](docs/api.md#the-feed), ![a shot](docs/shot.png) and "
        "https://example.org/x or <https://example.com>.\n"
        "`[not a link](nowhere.md)` and `https://in.code/span`\n"
        "```sh\ncurl https://example.net/ [x](y.md)\n```\n"
        "[ref]: ../shared/API.md\n"
    )

    assert sorted(links(text)) == sorted(
        [
            "docs/api.md#the-feed",
            "docs/shot.png",
            "../shared/API.md",
            "https://example.com",
            "https://example.org/x",
        ]
    )


def test_the_checker_refuses_what_leaves_the_repository():
    readme = ROOT / "README.md"

    assert problem(readme, "https://locust.io") == "leaves the repository"
    assert problem(readme, "../shared/API.md") == "climbs out of the repository"
    assert problem(readme, "docs/no-such-file.md") == "no such file in the repository"
    assert problem(readme, "README.md#no-such-heading").startswith("no heading")
    assert problem(readme, "http://127.0.0.1:8000/api/") is None
    assert problem(readme, "#quickstart") is None


def test_heading_anchors_follow_githubs_slugs():
    assert slug("The rollup and the summary's speed, measured") == (
        "the-rollup-and-the-summarys-speed-measured"
    )
    assert slug("The feed: `atelier benchmark_feed`") == "the-feed-atelier-benchmark_feed"
    assert slug("Time on screen: the endpoint") == "time-on-screen-the-endpoint"


@pytest.mark.parametrize("document", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_inside_the_repository(document):
    broken = [
        f"{target}: {reason}"
        for target in links(document.read_text())
        if (reason := problem(document, target))
    ]

    assert not broken, f"{document.relative_to(ROOT)}: " + "; ".join(broken)
