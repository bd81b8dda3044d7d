"""Domain events of core, sent inside the write's transaction (docs/architecture.md).

Apps above core (notifications) subscribe in their AppConfig.ready(); core knows none of
them. Sent with `send`, never `send_robust`: a failing receiver rolls the write back.

- fellow_requested(sender=UserFellow, relation): a new (or reopened) pending request,
  from `relation.user_id` to `relation.fellow_user_id`.
- fellow_accepted(sender=UserFellow, relation, actor): `actor` accepted the request.
- fellow_removed(sender=UserFellow, user_id, fellow_id): a fellowship ended.
- blocks_changed(sender=Block, blocker_id, added, removed): the users `blocker_id` blocks
  changed (two sets of user ids, one of them not empty).
"""

from django.dispatch import Signal

fellow_requested = Signal()
fellow_accepted = Signal()
fellow_removed = Signal()
blocks_changed = Signal()
