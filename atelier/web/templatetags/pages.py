"""Template filters of the pages: how long ago, how long, and a value's label, in words
a reader expects."""

import re
from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from atelier.core.serializers import avatar_url as core_avatar_url

register = template.Library()

# Under a minute, timesince says "0 minutes": a reader expects "just now".
JUST_NOW = timedelta(minutes=1)


@register.filter
def ago(moment: datetime | None) -> str:
    """ "just now" under a minute (or a moment a clock skew puts ahead), else "5 minutes ago"."""
    if moment is None:
        return ""
    if timezone.now() - moment < JUST_NOW:
        return "just now"
    return f"{timesince(moment)} ago"


@register.filter
def duration(seconds: float | None) -> str:
    """A span in the largest unit that keeps it readable: "40 s", "12 min", "3.5 h",
    "2.1 days"; an em dash for none."""
    if seconds is None or seconds != seconds:  # None or NaN
        return "—"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


@register.filter
def label(labels: dict, value: str) -> str:
    """The label of `value` in a {value: label} table (the value itself when it has none)."""
    return labels.get(value, value) if isinstance(labels, dict) else value


# A link in a bio: http or https only, up to the next space or angle bracket. Anything else
# (javascript:, data:, a bare domain) stays text.
_BIO_LINK = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than a URL.
_TRAILING = ".,;:!?)]}"


@register.filter
def bio(text: str | None) -> str:
    """A bio as safe HTML: every character escaped, line breaks kept, and each http(s) URL
    made a link marked `rel="nofollow ugc"` (docs/pages.md, "Profiles")."""
    if not text:
        return ""
    parts: list[str] = []
    last = 0
    for match in _BIO_LINK.finditer(text):
        url = match.group(0)
        end = match.end()
        while url and url[-1] in _TRAILING:
            url = url[:-1]
            end -= 1
        parts.append(escape(text[last : match.start()]))
        parts.append(
            f'<a href="{escape(url)}" rel="nofollow ugc noopener" target="_blank">{escape(url)}</a>'
        )
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped


@register.filter
def member_name(user) -> str:
    """The name a member is shown by: their display name, else their username."""
    if user is None:
        return ""
    if isinstance(user, dict):
        return user.get("display_name") or user.get("username", "")
    return getattr(user, "display_name", "") or user.username


@register.filter
def avatar_url(user) -> str | None:
    """The URL of a member's square avatar, or None (core.serializers.avatar_url)."""
    return core_avatar_url(user) if user is not None else None
