"""Username rules for new accounts.

Confusable names are refused by construction: a new username is NFKC-normalized (so a
full-width "ａｄｍｉｎ" becomes "admin") and must then be plain ASCII — letters, digits and
`@ . + - _` — so a Cyrillic "а" can never pass for a Latin "a". Uniqueness ignores case
(a database constraint on `lower(username)`). Accounts loaded from a community dump keep
their names as they are.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

_ASCII_USERNAME = re.compile(r"[A-Za-z0-9@.+\-_]+\Z")
USERNAME_RULE = (
    "Enter a valid username: ASCII letters, digits and @ . + - _ only "
    "(so that no two usernames look alike)."
)


def canonical_username(value: str) -> str:
    """Return `value` NFKC-normalized, as it is stored and compared."""
    return unicodedata.normalize("NFKC", value)


def validate_new_username(value: str) -> str:
    """Return the canonical form of a new username; ValidationError unless it is allowed."""
    canonical = canonical_username(value)
    if not _ASCII_USERNAME.match(canonical):
        raise ValidationError(USERNAME_RULE, code="invalid")
    return canonical
