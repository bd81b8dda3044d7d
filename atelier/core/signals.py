"""Domain events of core, sent inside the write's transaction (docs/architecture.md).

Apps above core (notifications) subscribe in their AppConfig.ready(); core knows none of
them. Sent with `send`, never `send_robust`: a failing receiver rolls the write back.

- fellow_requested(sender=UserFellow, relation): a new (or reopened) pending request,
  from `relation.user_id` to `relation.fellow_user_id`.
- fellow_accepted(sender=UserFellow, relation, actor): `actor` accepted the request.
"""

from django.dispatch import Signal

fellow_requested = Signal()
fellow_accepted = Signal()
