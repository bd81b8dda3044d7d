"""Events of the feed, for the layers above it (docs/architecture.md).

- page_served(sender=FeedPage, request, page, start, explicit_ordering): a feed page was
  answered over HTTP (`start` is the offset of its first post). Analytics records the
  exposure; the feed knows no dashboard. Sent with `send`, like the direct call it
  replaces: a failing receiver fails the request.
"""

from django.dispatch import Signal

page_served = Signal()
