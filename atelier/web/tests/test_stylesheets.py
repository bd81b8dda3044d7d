"""The stylesheets are well formed: every block closes where it should.

A rule left open swallows the rules after it into a nested block, which browsers then
read as nested selectors: the page still renders, wrongly (a merge once left three rules
open, and the phone top bar overflowed). This catches it before any browser runs."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"
SHEETS = sorted(STATIC.rglob("*.css"))


def _unclosed(text: str) -> list[int]:
    """The lines of the blocks still open at the end (comments and strings left out)."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", '""', text)
    opened: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            if char == "{":
                opened.append(number)
            elif char == "}":
                assert opened, f"line {number}: a '}}' closes nothing"
                opened.pop()
    return opened


def test_there_are_stylesheets():
    assert SHEETS


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_every_block_closes(sheet):
    assert _unclosed(sheet.read_text()) == []


def test_an_open_rule_is_found():
    assert _unclosed(".a {\n  color: red;\n/* c */\n.b { margin: 0; }\n") == [1]
    assert _unclosed('.a::after { content: "{"; }\n') == []
