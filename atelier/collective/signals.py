"""Domain events of collectives, sent inside the write's transaction (docs/architecture.md).

Apps above collective subscribe in their AppConfig.ready(); collective knows none of them.
Sent with `send`, never `send_robust`: a failing receiver rolls the write back.

- membership_changed(sender=CollectiveMember, collective_id, user_id, joined): a user
  joined (was added, invited, created the collective) or left (`joined` False).
"""

from django.dispatch import Signal

membership_changed = Signal()
