"""The API kit every app's views share: ids, id lists, strict scalars, pages, responses.

One definition of each input rule, so every endpoint answers the same input the same way
and the OpenAPI schema states the bounds the server applies (issue 10, "One API kit").
Error bodies are made by `atelier.core.exceptions.api_exception_handler`.
"""

from collections.abc import Mapping

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

# The largest id a BIGINT column holds. Foreign-key lookups do not guard against larger
# Python ints (SQLite raises OverflowError), so ids from clients are checked against it.
MAX_ID = 2**63 - 1


def is_storable_id(value: int) -> bool:
    """Return True if `value` can be a row id (1..MAX_ID)."""
    return 0 < value <= MAX_ID


# --- Fields ---------------------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """A JSON string, and only a string: `0` or `true` is a 400, never stored as "0"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError("Not a valid string.", code="invalid")
        return super().to_internal_value(data)


class RejectUnknownFieldsMixin:
    """For a serializer of a JSON body: a field it does not take is a 400 naming that field,
    not silently ignored, so a client that misspells a field, or sends one a later version
    will take, learns at once that nothing of it was stored."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = ", ".join(sorted(self.fields))
            # At most 100 characters of a name are echoed back.
            unknown = sorted(str(name)[:100] for name in data if name not in self.fields)
            if unknown:
                message = f"Unknown field. This endpoint takes: {known}."
                raise serializers.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer, and only an integer: `"5"`, `5.5` and `true` are a 400."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(StrictIntegerField):
    """A row id in a JSON body: an integer in 1..MAX_ID."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


def id_list_field(*, max_length: int, **kwargs) -> serializers.ListField:
    """A JSON list of at most `max_length` row ids."""
    return serializers.ListField(child=IdField(), max_length=max_length, **kwargs)


_BOOLEAN_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class StrictBooleanField(serializers.BooleanField):
    """A JSON `true`/`false`; in a query string true/false, 1/0 or yes/no (any case).

    The same words the feed's parameters take; anything else (`on`, `2`, `null`) is a 400.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and data.strip().lower() in _BOOLEAN_WORDS:
            return _BOOLEAN_WORDS[data.strip().lower()]
        raise serializers.ValidationError("Must be true or false.", code="invalid")


@extend_schema_field(OpenApiTypes.STR)
class CommaIdsField(serializers.CharField):
    """A query parameter of comma-separated ids ("1,2,3"): distinct, in order, at most `limit`.

    Blank parts are skipped; with `allow_empty` an empty value means no ids.
    """

    def __init__(self, *, limit: int, allow_empty: bool = True, **kwargs):
        self.limit = limit
        self.allow_empty = allow_empty
        kwargs.setdefault("allow_blank", allow_empty)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        # A blank value comes back from CharField as "" without reaching to_internal_value.
        value = super().run_validation(data)
        return value if isinstance(value, list) else []

    def to_internal_value(self, data):
        ids = parse_comma_ids(super().to_internal_value(data), limit=self.limit)
        if not ids and not self.allow_empty:
            raise serializers.ValidationError("Give at least one id, as 1,2,3.")
        return ids


def parse_comma_ids(raw: str, *, limit: int) -> list[int]:
    """Parse "1,2,3" into distinct ids in 1..MAX_ID, in order; ValidationError otherwise."""
    ids: dict[int, None] = {}
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        # isdigit() alone accepts "²", which int() rejects: ASCII digits only, never a 500.
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= MAX_ID:
            raise serializers.ValidationError(f"{part[:20]!r} is not a valid id.")
        ids[int(part)] = None
        if len(ids) > limit:
            raise serializers.ValidationError(f"At most {limit} ids.")
    return list(ids)


def limit_field(*, default: int, maximum: int) -> serializers.IntegerField:
    """A page size in a query string: 1..maximum, `default` when absent."""
    return serializers.IntegerField(
        min_value=1,
        max_value=maximum,
        default=default,
        help_text=f"How many to return: 1..{maximum}, default {default}.",
    )


# --- OpenAPI responses ----------------------------------------------------------------------

BAD_INPUT = OpenApiResponse(
    description='Invalid input: `{"field": ["message"]}` or `{"detail": "message"}`.'
)
UNAUTHENTICATED = OpenApiResponse(description="Not authenticated.")
FORBIDDEN = OpenApiResponse(description="Authenticated but not allowed.")
NOT_FOUND = OpenApiResponse(description="Missing, or not visible to you (answered alike).")
THROTTLED = OpenApiResponse(description="Too many attempts; retry later.")
NEW_ACCOUNT_LIMITED = OpenApiResponse(
    description="A new account's limit is reached (THROTTLE_NEW_*_RATE); `Retry-After` says "
    "when to try again."
)
