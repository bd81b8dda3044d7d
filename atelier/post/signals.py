"""Domain events of posts, sent inside the write's transaction (docs/architecture.md).

Apps above post (the feed's affinity counters, notifications) subscribe in their
AppConfig.ready(); post knows none of them. Each is sent with `send`, never `send_robust`:
a receiver runs in the write's transaction, so a receiver that fails rolls the write back,
and nothing the ranking depends on can be lost between the write and its consequences.

- post_removed(sender=Post, post): the author deleted the post (soft delete, once).
- appreciation_added(sender=Appreciation, user, post, kind, at): a new appreciation.
- appreciation_removed(sender=Appreciation, user, post, kind): one was withdrawn.
- remark_created(sender=Comment or Critique, kind, remark, post, author, answered): a new
  remark; `answered` is the comment it answers (as the author named it, so possibly a
  reply itself) or None.
- remark_deleted(sender=Comment or Critique, kind, remark, post_author_id): a remark was
  soft-deleted (sent once, by the request that deleted it).

And one read: post_opened(sender=Post, user_id, post_id), a signed-in user opened a
post's detail (analytics counts it for click-through).
"""

from django.dispatch import Signal

post_removed = Signal()
appreciation_added = Signal()
appreciation_removed = Signal()
remark_created = Signal()
remark_deleted = Signal()
post_opened = Signal()
