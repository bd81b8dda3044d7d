"""Reads about collectives and memberships."""

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from atelier.collective.models import (
    Channel,
    Collective,
    CollectiveBan,
    CollectiveMember,
    CollectiveModerator,
)

OWNER = "owner"
MODERATOR = "moderator"


def member_collective_ids(user_id: int) -> set[int]:
    """Return the ids of the collectives `user_id` belongs to."""
    return set(
        CollectiveMember.objects.filter(user_id=user_id).values_list("collective_id", flat=True)
    )


def not_moderated_for(user_id: int | None) -> Q:
    """A Collective filter: not removed by moderation, and not held after reports unless
    `user_id` created it (docs/moderation.md): otherwise the collective is as if missing."""
    not_held = Q(held_at__isnull=True)
    if user_id is not None:
        not_held |= Q(created_by_id=user_id)
    return Q(removed_at__isnull=True) & not_held


def visible_collectives(user) -> QuerySet[Collective]:
    """Return the collectives `user` may see: every public one and those they belong to."""
    if not user.is_authenticated:
        return Collective.objects.filter(
            not_moderated_for(None), visibility=Collective.Visibility.PUBLIC
        )
    return (
        Collective.objects.filter(not_moderated_for(user.id))
        .filter(Q(visibility=Collective.Visibility.PUBLIC) | Q(members__user=user))
        .distinct()
    )


def membership(user_id: int, collective_id: int) -> CollectiveMember | None:
    """Return the membership of `user_id` in `collective_id`, or None."""
    return CollectiveMember.objects.filter(user_id=user_id, collective_id=collective_id).first()


def collective_base_queryset(user) -> QuerySet[Collective]:
    """The one queryset collective reads start from: channels prefetched, `my_role` annotated.

    `my_role` is the viewer's role in the collective ("admin", "member") or None.
    """
    role = CollectiveMember.objects.filter(collective_id=OuterRef("pk"), user_id=user.id).values(
        "role"
    )[:1]
    # A collective removed by moderation, or held (but to its creator), is as if missing
    # (docs/moderation.md).
    live = Collective.objects.filter(not_moderated_for(user.id))
    return live.annotate(my_role=Subquery(role)).prefetch_related(
        Prefetch("channels", queryset=Channel.objects.order_by("id"))
    )


def collectives_for(user) -> QuerySet[Collective]:
    """Return the public collectives and the viewer's own, theirs first, newest first.

    Uses an IN subquery rather than `visible_collectives`' join so no DISTINCT is needed.
    """
    mine = CollectiveMember.objects.filter(user_id=user.id).values("collective_id")
    return (
        collective_base_queryset(user)
        .filter(Q(visibility=Collective.Visibility.PUBLIC) | Q(pk__in=mine))
        .order_by(F("my_role").asc(nulls_last=True), "-created_at", "-id")
    )


def get_visible_collective(user, collective_id: int) -> Collective:
    """Return the collective if `user` may see it; raise Http404 otherwise (never leak it)."""
    collective = collective_base_queryset(user).filter(pk=collective_id).first()
    if collective is None or (
        collective.visibility == Collective.Visibility.PRIVATE and collective.my_role is None
    ):
        raise Http404("No collective matches the given query.")
    return collective


def collective_members(collective_id: int) -> QuerySet[CollectiveMember]:
    """Return the members of a collective, longest-standing first, with their users."""
    return (
        CollectiveMember.objects.filter(collective_id=collective_id)
        .select_related("user")
        .order_by("joined_at", "id")
    )


def visible_channel(user, channel_id: int) -> Channel | None:
    """Return the channel if `user` may see its collective (public, or theirs); else None.

    A channel of a private collective the user is not in is answered like a missing one.
    """
    mine = CollectiveMember.objects.filter(user_id=user.id).values("collective_id")
    return (
        Channel.objects.filter(pk=channel_id)
        .filter(Q(collective__visibility=Collective.Visibility.PUBLIC) | Q(collective_id__in=mine))
        .first()
    )


def channels_to_post_in(user) -> QuerySet[Channel]:
    """The channels of the collectives `user` belongs to (where they may post), by
    collective name, then channel name."""
    mine = CollectiveMember.objects.filter(user_id=user.id).values("collective_id")
    return (
        Channel.objects.filter(collective_id__in=mine)
        .select_related("collective")
        .order_by("collective__name", "collective_id", "name", "id")
    )


def collectives_to_mute(user, *, muted_ids: list[int]) -> QuerySet[Collective]:
    """The collectives a settings form offers to mute: those `user` belongs to and those
    already muted (`muted_ids`), by name."""
    mine = CollectiveMember.objects.filter(user_id=user.id).values("collective_id")
    return Collective.objects.filter(Q(pk__in=mine) | Q(pk__in=muted_ids)).order_by("name", "id")


def collective_visible_to(user_id: int) -> Q:
    """A Collective filter: public, or one `user_id` belongs to (an IN subquery, no DISTINCT)."""
    mine = CollectiveMember.objects.filter(user_id=user_id).values("collective_id")
    return not_moderated_for(user_id) & (
        Q(visibility=Collective.Visibility.PUBLIC) | Q(pk__in=mine)
    )


# --- Moderators and bans (docs/moderation.md, "Collective moderators and bans") -----------


def is_banned(user_id: int, collective_id: int) -> bool:
    """Return True if `user_id` is banned from `collective_id`."""
    return CollectiveBan.objects.filter(user_id=user_id, collective_id=collective_id).exists()


def moderation_role(user_id: int, collective_id: int) -> str | None:
    """How `user_id` moderates the collective: OWNER (an admin of it: its creator, or the
    member who took over when the last admin left), MODERATOR (named by an owner), or None."""
    is_admin = CollectiveMember.objects.filter(
        user_id=user_id, collective_id=collective_id, role=CollectiveMember.Role.ADMIN
    ).exists()
    if is_admin:
        return OWNER
    named = CollectiveModerator.objects.filter(user_id=user_id, collective_id=collective_id)
    return MODERATOR if named.exists() else None


def collective_moderators(collective_id: int) -> QuerySet[CollectiveModerator]:
    """The moderators the owner named, longest-serving first, with their users."""
    return (
        CollectiveModerator.objects.filter(collective_id=collective_id)
        .select_related("user")
        .order_by("created_at", "id")
    )


def collective_bans(collective_id: int) -> QuerySet[CollectiveBan]:
    """The bans of a collective, newest first, with the banned and banning users."""
    return (
        CollectiveBan.objects.filter(collective_id=collective_id)
        .select_related("user", "banned_by")
        .order_by("-created_at", "-id")
    )
