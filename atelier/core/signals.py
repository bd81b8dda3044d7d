"""Domain events of core, sent inside the write's transaction (docs/architecture.md).

Apps above core (notifications) subscribe in their AppConfig.ready(); core knows none of
them. Sent with `send`, never `send_robust`: a failing receiver rolls the write back.

- fellow_requested(sender=UserFellow, relation): a new (or reopened) pending request,
  from `relation.user_id` to `relation.fellow_user_id`.
- fellow_accepted(sender=UserFellow, relation, actor): `actor` accepted the request.
- fellow_removed(sender=UserFellow, user_id, fellow_id): a fellowship ended.
- blocks_changed(sender=Block, blocker_id, added, removed): the users `blocker_id` blocks
  changed (two sets of user ids, one of them not empty).
- moderation_notice(sender=None, recipient_id, actor_id, kind, target_type, target_id):
  moderation (a features app, which no sibling may import) tells a member about a report
  decided, a decision about them or an appeal decided; notifications listen. Defined here
  so that neither app imports the other (docs/moderation.md).
- suspension_statement(sender=None, user): asked by the log-in backend when a suspended
  member gives the right password; a receiver returns a dict to add to the answer
  (moderation: the suspension's decision and how to appeal it), or None.
"""

from django.dispatch import Signal

moderation_notice = Signal()

fellow_requested = Signal()
fellow_accepted = Signal()
fellow_removed = Signal()
blocks_changed = Signal()
suspension_statement = Signal()
