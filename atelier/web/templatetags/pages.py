"""Template filters of the pages: how long ago, and a value's label, in words a reader expects."""

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
def label(labels: dict, value: str) -> str:
    """The label of `value` in a {value: label} table (the value itself when it has none)."""
    return labels.get(value, value) if isinstance(labels, dict) else value
