"""The one visibility rule for posts, in two tiers (see docs/visibility.md).

- **Visible** (`visible_to`): the posts a viewer may see at all; every other post answers
  404 on every path, as if it did not exist (docs/api.md, "Visible posts").
- **Feed-eligible** (`feed_eligible_to`): the visible posts minus what the viewer's feed
  leaves out of its own accord: muted collectives, "not interested", and, under
  `unseen=true`, the posts already seen.

Both are Q expressions over `Post` rows built from subqueries, so they compose with any
post queryset (a list, a one-row lookup, an IN or EXISTS from another model) and cost one
query whatever the number of the viewer's collectives or blocks. A viewer is a user, an
anonymous user or None (a visitor), a user id, or an `OuterRef` naming a column that holds
a viewer id in the query around the post query (for example a notification's recipient).

Each tier is a list of named conditions (`visibility_conditions`, `feed_conditions`): a
new state (moderation's removed, held posts and suspended authors for the first tier,
limited authors for the second) is one more entry there, and every path follows. The table test
(atelier/post/tests/test_visibility_table.py) runs every path against every viewer and
post state and requires the answers these conditions give.
"""

from functools import reduce
from operator import and_

from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from atelier.collective.models import Collective, CollectiveMember
from atelier.core.models import Block, User, UserFellow, UserPreference
from atelier.post.models import HiddenPost, Post, SeenPost

# A viewer as the queries take it: a user id, an expression naming one, or None (visitor).
ViewerRef = int | OuterRef | RawSQL | None


def viewer_ref(viewer) -> ViewerRef:
    """The viewer as the conditions take it: a user's id, None for a visitor (None or an
    anonymous user), or a user id or an expression (an `OuterRef`) as given."""
    if viewer is None or isinstance(viewer, (int, OuterRef, RawSQL)):
        return viewer
    if getattr(viewer, "is_authenticated", False):
        return viewer.id
    return None


def _inside(ref: ViewerRef) -> ViewerRef:
    """The viewer as a subquery of the post query sees it: an OuterRef reaches one level
    further out (an id, or an uncorrelated expression, stays as it is)."""
    return OuterRef(ref) if isinstance(ref, OuterRef) else ref


def member_of(ref: ViewerRef):
    """The ids of the collectives the viewer belongs to, as a subquery of the post query."""
    return CollectiveMember.objects.filter(user_id=_inside(ref)).values("collective_id")


def visibility_conditions(viewer, *, as_of=None) -> dict[str, Q]:
    """Every condition a post must meet to be visible to `viewer`, by name.

    - `not_deleted`: not soft-deleted (`as_of`: not deleted at that moment, which only
      the feed's snapshot offsets use; see `feed_eligible_to`);
    - `audience`: public (`collective` null), or in a channel of a collective the viewer
      is a member of (public or private collective alike; a visitor sees public posts);
    - `no_block`: the author neither blocked by the viewer nor blocking the viewer.

    - `not_removed`: not removed by moderation;
    - `not_held`: not held after reports (docs/moderation.md, "Holds"), unless the viewer
      is its author: a column of the post row, no subquery;
    - `author_not_hidden`: the author neither suspended nor held after reports (a held
      author: unless the viewer);
    - `collective_not_hidden`: not in a collective removed by moderation, or held after
      reports (unless the viewer created it).
    The last two are one NOT IN each whatever the states: PostgreSQL guesses that each
    `NOT IN` keeps half the rows, and a guess more or less can turn the feed's plans.
    Blocks are two NOT IN subqueries (hashed once per query on PostgreSQL), the audience
    one IN subquery: the same shape the hand-written ranking statement had.
    """
    ref = viewer_ref(viewer)
    not_deleted = Q(is_deleted=False)
    if as_of is not None:
        not_deleted |= Q(deleted_at__gt=as_of)
    conditions = {
        "not_deleted": not_deleted,
        "not_removed": Q(removed_at__isnull=True),
        "not_held": not_held(ref),
        "author_not_hidden": ~Q(author_id__in=hidden_members(ref)),
        "collective_not_hidden": Q(collective__isnull=True)
        | ~Q(collective_id__in=hidden_collectives(ref)),
    }
    if ref is None:
        conditions["audience"] = Q(collective__isnull=True)
        return conditions
    conditions["audience"] = Q(collective__isnull=True) | Q(collective_id__in=member_of(ref))
    conditions["no_block"] = not_blocked(ref, "author_id")
    return conditions


def not_held(ref: ViewerRef) -> Q:
    """A filter of posts and remarks: not held after reports, or written by the viewer
    (a visitor wrote nothing)."""
    held = Q(held_at__isnull=True)
    return held if ref is None else held | Q(author_id=ref)


def hidden_members(ref: ViewerRef):
    """The ids of the members whose writing the viewer may not see, as a subquery:
    suspended, or held after reports unless the viewer is that member. Read from a partial
    index of those few (`user_hidden_idx`), not by a scan of every user."""
    held = Q(held_at__isnull=False)
    if ref is not None:
        held &= ~Q(pk=_inside(ref))
    return User.objects.filter(Q(suspended_at__isnull=False) | held).values("id")


def hidden_collectives(ref: ViewerRef):
    """The ids of the collectives whose posts the viewer may not see, as a subquery:
    removed, or held after reports unless the viewer created it."""
    held = Q(held_at__isnull=False)
    if ref is not None:
        held &= ~Q(created_by_id=_inside(ref))
    return Collective.objects.filter(Q(removed_at__isnull=False) | held).values("id")


def not_suspended(field: str) -> Q:
    """A filter: the user in `field` is not suspended (one NOT IN over the few suspended)."""
    suspended = User.objects.filter(suspended_at__isnull=False).values("id")
    return ~Q(**{f"{field}__in": suspended})


def not_limited(ref: ViewerRef, field: str) -> Q:
    """A filter: the user in `field` is not limited, or is the viewer, the viewer's fellow
    or in a collective with the viewer (a visitor is none of these)."""
    limited = User.objects.filter(limited_at__isnull=False).values("id")
    condition = ~Q(**{f"{field}__in": limited})
    if ref is None:
        return condition
    inner = _inside(ref)
    accepted = UserFellow.Status.ACCEPTED
    fellows_out = UserFellow.objects.filter(user_id=inner, status=accepted).values("fellow_user_id")
    fellows_in = UserFellow.objects.filter(fellow_user_id=inner, status=accepted).values("user_id")
    companions = CollectiveMember.objects.filter(collective_id__in=member_of(ref)).values("user_id")
    return (
        condition
        | Q(**{field: inner})
        | Q(**{f"{field}__in": fellows_out})
        | Q(**{f"{field}__in": fellows_in})
        | Q(**{f"{field}__in": companions})
    )


def not_blocked(ref: ViewerRef, field: str) -> Q:
    """A filter: the user in `field` neither blocked by the viewer nor blocking them.

    Two NOT IN subqueries, hashed once per query on PostgreSQL whatever the rows scanned
    (an EXISTS with an OR of both directions would probe the blocks once per row).
    """
    if ref is None:
        return Q()
    inner = _inside(ref)
    blocked = Block.objects.filter(blocker_id=inner).values("blocked_id")
    blockers = Block.objects.filter(blocked_id=inner).values("blocker_id")
    return ~Q(**{f"{field}__in": blocked}) & ~Q(**{f"{field}__in": blockers})


def feed_conditions(viewer, *, unseen: bool = False, as_of=None) -> dict[str, Q]:
    """What the viewer's feed leaves out of the posts they may see, by name.

    - `not_muted`: not in a collective the viewer muted;
    - `not_hidden`: not marked "not interested" (`as_of`: not before that moment);
    - `not_seen` (only with `unseen`): not marked seen (`as_of`: not before that moment).

    - `author_not_limited`: the author is not limited by moderation, unless they are the
      viewer, the viewer's fellow or in a collective with the viewer (a visitor has only
      this one).
    """
    ref = viewer_ref(viewer)
    if ref is None:
        return {"author_not_limited": not_limited(None, "author_id")}
    inner = _inside(ref)
    muted = UserPreference.muted_collectives.through.objects.filter(
        userpreference__user_id=inner
    ).values("collective_id")
    hidden = HiddenPost.objects.filter(user_id=inner, post_id=OuterRef("pk"))
    if as_of is not None:
        hidden = hidden.filter(created_at__lte=as_of)
    conditions = {
        "not_muted": Q(collective__isnull=True) | ~Q(collective_id__in=muted),
        "not_hidden": ~Exists(hidden),
        "author_not_limited": not_limited(ref, "author_id"),
    }
    if unseen:
        seen = SeenPost.objects.filter(user_id=inner, post_id=OuterRef("pk"))
        if as_of is not None:
            seen = seen.filter(seen_at__lte=as_of)
        conditions["not_seen"] = ~Exists(seen)
    return conditions


def _remark_own_conditions(ref: ViewerRef) -> dict[str, Q]:
    """The conditions on the remark row and its author: not deleted, not removed by
    moderation, not held after reports unless the viewer wrote it, its author neither
    suspended nor held (unless the viewer)."""
    return {
        "not_deleted": Q(is_deleted=False),
        "not_removed": Q(removed_at__isnull=True),
        "not_held": not_held(ref),
        "author_not_hidden": ~Q(author_id__in=hidden_members(ref)),
    }


def counted_remark_conditions() -> dict[str, Q]:
    """What makes a comment or critique count on its post (`comment_count`,
    `critique_count`): the remark's own conditions as nobody in particular sees them (not
    deleted, not removed, not held, its author neither suspended nor held). The remark rule
    below is the viewer's version of these plus blocks and the post visible to them."""
    return _remark_own_conditions(None)


def counted_remark() -> Q:
    """A `Comment` or `Critique` filter: the remarks a post's counters count."""
    return _all(counted_remark_conditions())


def remark_conditions(viewer) -> dict[str, Q]:
    """Every condition a comment or critique must meet to be shown to `viewer`, by name:
    not deleted, not removed by moderation, not held after reports unless the viewer wrote
    it, its author neither suspended nor held (unless the viewer) nor blocked either way,
    and its post visible to the viewer."""
    ref = viewer_ref(viewer)
    post = Post.objects.filter(pk=OuterRef("post_id")).filter(visible_to(_inside(ref)))
    return {
        **_remark_own_conditions(ref),
        "no_block": not_blocked(ref, "author_id"),
        "post_visible": Exists(post),
    }


def _all(conditions: dict[str, Q]) -> Q:
    return reduce(and_, conditions.values(), Q())


def visible_to(viewer) -> Q:
    """A `Post` filter: the posts `viewer` may see (tier 1; otherwise 404)."""
    return _all(visibility_conditions(viewer))


def feed_eligible_to(viewer, *, unseen: bool = False, as_of=None) -> Q:
    """A `Post` filter: the posts `viewer`'s feed may show (tier 2: visible, then the feed's
    own filters).

    `as_of` (a snapshot's build time) keeps the posts deleted, hidden or seen after that
    moment, so that offsets into a snapshot's tail stay where they were while the user
    pages through it; the page read then drops those posts with the rule as it is now.
    """
    return _all(visibility_conditions(viewer, as_of=as_of)) & _all(
        feed_conditions(viewer, unseen=unseen, as_of=as_of)
    )


def remarks_visible_to(viewer) -> Q:
    """A `Comment` or `Critique` filter: the remarks `viewer` may read."""
    return _all(remark_conditions(viewer))
