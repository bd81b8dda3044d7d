"""The API's one request parser: JSON, bounded in size and nesting before it is parsed.

Django bounds the body (`DATA_UPLOAD_MAX_MEMORY_SIZE`, answered 413 by the exception
handler) before DRF reads it; this parser then refuses JSON nested deeper than
`MAX_JSON_DEPTH` before `json.loads` sees it, so a few kilobytes of brackets can never
exhaust the parser's recursion (a RecursionError, a 500) or build a monster in memory.
No endpoint but media uploads takes anything other than JSON (besides the feed page's
time-on-screen beacon, a small url-encoded form: atelier/analytics/apis.py): other media
types are 415 and their body is never read, so a file part can never be streamed to disk.

JSON may spell a lone UTF-16 surrogate (`"\\ud800"`), which `json.loads` turns into a
string no encoder accepts: stored, echoed in an error message or rendered, it fails with a
UnicodeEncodeError (a 500). The parser refuses such a body once for every field (400,
naming the top-level field that holds it), so no serializer, service or renderer sees one.
"""

import codecs
import re

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

# The deepest a request body of ours goes is 2 (an object holding a list of ids).
MAX_JSON_DEPTH = 32

# JSON strings (with their escapes) may hold brackets that do not nest anything.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")
# A surrogate code point left in a decoded str is a lone one: a pair decodes to one char.
_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE = "Not valid Unicode: a lone surrogate (an unpaired \\ud800-\\udfff escape)."


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


def holds_lone_surrogate(value) -> bool:
    """Return True if any string in the parsed JSON `value` (keys included) holds a lone
    surrogate."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(holds_lone_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(holds_lone_surrogate(k) or holds_lone_surrogate(v) for k, v in value.items())
    return False


def refuse_lone_surrogates(data) -> None:
    """Raise a ValidationError (400) naming the top-level field that holds a lone surrogate
    (`detail` when the key itself holds one, or the body is not an object)."""
    if not holds_lone_surrogate(data):
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if holds_lone_surrogate(key):
                break
            if holds_lone_surrogate(value):
                raise ValidationError({key: [LONE_SURROGATE]})
    raise ValidationError({"detail": LONE_SURROGATE})


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
            data = json.loads(text, parse_constant=parse_constant)
        except (ValueError, LookupError) as exc:  # UnicodeDecodeError is a ValueError
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:  # belt and braces: the depth check should have caught it
            raise ParseError("JSON parse error - nested too deeply.") from None
        refuse_lone_surrogates(data)
        return data
