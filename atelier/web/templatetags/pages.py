"""Template filters of the pages: how long ago, how long, and a value's label, in words
a reader expects."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

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
