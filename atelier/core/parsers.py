"""The API's one request parser: JSON, bounded in size and nesting before it is parsed.

Django bounds the body (`DATA_UPLOAD_MAX_MEMORY_SIZE`, answered 413 by the exception
handler) before DRF reads it; this parser then refuses JSON nested deeper than
`MAX_JSON_DEPTH` before `json.loads` sees it, so a few kilobytes of brackets can never
exhaust the parser's recursion (a RecursionError, a 500) or build a monster in memory.
No endpoint but media uploads takes anything other than JSON (besides the feed page's
time-on-screen beacon, a small url-encoded form: atelier/analytics/apis.py): other media
types are 415 and their body is never read, so a file part can never be streamed to disk.
"""

import codecs
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

# The deepest a request body of ours goes is 2 (an object holding a list of ids).
MAX_JSON_DEPTH = 32

# JSON strings (with their escapes) may hold brackets that do not nest anything.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth_exceeds(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Return True if the JSON text `raw` nests arrays/objects deeper than `limit`.

    Linear in the size of `raw`; the common case (fewer brackets than the limit) does not
    even look at their order. Malformed text is left to the JSON parser to reject.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for match in _BRACKETS.finditer(_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than MAX_JSON_DEPTH (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding") or "utf-8"
        raw = stream.read() if stream is not None else b""
        if json_depth_exceeds(raw):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        try:
            text = codecs.decode(raw, encoding)
            parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, LookupError) as exc:  # UnicodeDecodeError is a ValueError
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:  # belt and braces: the depth check should have caught it
            raise ParseError("JSON parse error - nested too deeply.") from None
