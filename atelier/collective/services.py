"""Writes on collectives: creation, joining, leaving, invitations, channels, and the rows of
their moderation (moderators and bans; who may write them is moderation's to decide)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from atelier.collective import signals
from atelier.collective.models import (
    Channel,
    Collective,
    CollectiveBan,
    CollectiveMember,
    CollectiveModerator,
)
from atelier.collective.selectors import is_banned
from atelier.core.exceptions import InvalidInput, NotAllowed, NotFound
from atelier.core.models import Block, User
from atelier.core.versions import ranking_inputs_changed

DEFAULT_CHANNEL_NAME = "general"
COLLECTIVE_NOT_FOUND = "No collective matches the given query."


class Banned(NotAllowed):
    """The user is banned from the collective: 403."""

    default_message = "You are banned from this collective."


def refuse_banned(*, user_id: int, collective_id: int) -> None:
    """Raise Banned if `user_id` is banned from the collective.

    The one ban check: every way into a collective (joining, an invitation, the admin) runs
    it before the membership is written, and a post in a channel runs it when its author is
    not a member (post.services), so a ban is enforced wherever membership is.
    """
    if is_banned(user_id, collective_id):
        raise Banned


def _lock(collective: Collective) -> Collective:
    """Lock the collective's row for the rest of the transaction.

    Every membership change takes this lock first, so concurrent joins, leaves and
    invitations of one collective run one after the other: the last-admin hand-over
    always sees the members that are really there, and the counter never drifts.
    NO KEY: inserts elsewhere that merely reference the collective (posts) are not held up.
    """
    return Collective.objects.select_for_update(no_key=True).get(pk=collective.pk)


def _member_add(*, collective: Collective, user: User, role: str) -> tuple[CollectiveMember, bool]:
    """Insert the membership and count it; return (membership, created).

    Insert first and let the unique constraint decide: whether the user was a member all
    along or a concurrent request for the same pair won the race, the answer is the same,
    "already a member", never an error. A banned user is refused (Banned); the caller holds
    the collective's lock, which a ban takes too, so no ban can slip in between.
    """
    refuse_banned(user_id=user.id, collective_id=collective.pk)
    try:
        with transaction.atomic():  # a savepoint, so the outer transaction survives
            member = CollectiveMember.objects.create(
                collective=collective, user=user, role=role, joined_at=timezone.now()
            )
    except IntegrityError:
        return CollectiveMember.objects.get(collective=collective, user=user), False
    Collective.objects.filter(pk=collective.pk).update(members_count=F("members_count") + 1)
    signals.membership_changed.send(
        CollectiveMember, collective_id=collective.pk, user_id=user.id, joined=True
    )
    return member, True


@transaction.atomic
def collective_create(*, creator: User, name: str, visibility: str) -> Collective:
    """Create a collective with its `general` channel; the creator becomes its admin."""
    collective = Collective.objects.create(
        name=name, visibility=visibility, created_by=creator, created_at=timezone.now()
    )
    Channel.objects.create(collective=collective, name=DEFAULT_CHANNEL_NAME)
    _member_add(collective=collective, user=creator, role=CollectiveMember.Role.ADMIN)
    ranking_inputs_changed(creator.id, relations=True)
    return collective


@transaction.atomic
def collective_join(*, collective: Collective, user: User) -> CollectiveMember:
    """Join a public collective; joining one you already belong to changes nothing.

    A private collective can only be entered by invitation (`collective_member_invite`).
    """
    collective = _lock(collective)
    if collective.visibility == Collective.Visibility.PRIVATE:
        existing = CollectiveMember.objects.filter(collective=collective, user=user).first()
        if existing is None:  # invisible to them: answered like a missing collective
            raise NotFound(COLLECTIVE_NOT_FOUND)
        return existing
    member, created = _member_add(
        collective=collective, user=user, role=CollectiveMember.Role.MEMBER
    )
    if created:
        ranking_inputs_changed(user.id, relations=True)
    return member


@transaction.atomic
def collective_leave(*, collective: Collective, user: User) -> bool:
    """Leave the collective; return False if the user was not a member.

    If the last admin leaves while members remain, the longest-standing member (earliest
    `joined_at`, then lowest id) becomes admin, so a collective is never left without
    someone who can invite and create channels. A collective whose last member leaves
    stays, empty, with its posts.
    """
    collective = _lock(collective)
    return _member_remove(collective=collective, user_id=user.id)


def _member_remove(*, collective: Collective, user_id: int) -> bool:
    """Delete the membership (and the moderator role that needs it) and count it; hand the
    admin role over if the last admin went. The caller holds the collective's lock."""
    deleted, _ = CollectiveMember.objects.filter(collective=collective, user_id=user_id).delete()
    if not deleted:
        return False
    CollectiveModerator.objects.filter(collective=collective, user_id=user_id).delete()
    Collective.objects.filter(pk=collective.pk).update(members_count=F("members_count") - 1)
    signals.membership_changed.send(
        CollectiveMember, collective_id=collective.pk, user_id=user_id, joined=False
    )
    remaining = CollectiveMember.objects.filter(collective=collective)
    if not remaining.filter(role=CollectiveMember.Role.ADMIN).exists():
        successor = remaining.order_by("joined_at", "id").first()
        if successor is not None:
            successor.role = CollectiveMember.Role.ADMIN
            successor.save(update_fields=["role"])
            # An owner moderates by their role; a named moderator row would only repeat it.
            CollectiveModerator.objects.filter(
                collective=collective, user_id=successor.user_id
            ).delete()
    ranking_inputs_changed(user_id, relations=True)
    return True


@transaction.atomic
def collective_member_add(
    *, collective: Collective, user: User, role: str = CollectiveMember.Role.MEMBER
) -> tuple[CollectiveMember, bool]:
    """Add `user` to the collective with `role`; return (membership, created).

    Adding someone who already belongs changes nothing (and keeps their role).
    """
    collective = _lock(collective)
    member, created = _member_add(collective=collective, user=user, role=role)
    if created:
        ranking_inputs_changed(user.id, relations=True)
    return member, created


@transaction.atomic
def collective_member_invite(
    *, collective: Collective, admin: User, user: User
) -> tuple[CollectiveMember, bool]:
    """An admin of the collective invites `user` in; return (membership, created).

    Nobody is added across a block: someone who blocked the admin answers like a missing
    user (the block is not revealed); someone the admin blocked must be unblocked first.
    """
    collective = _lock(collective)
    _require_admin(collective=collective, user=admin)
    if Block.objects.filter(blocker=admin, blocked=user).exists():
        raise InvalidInput("You blocked this user; unblock them first.", field="user_id")
    if Block.objects.filter(blocker=user, blocked=admin).exists():
        raise InvalidInput("No such user.", field="user_id")
    if is_banned(user.id, collective.pk):
        raise InvalidInput(
            "This user is banned from the collective; lift the ban first.", field="user_id"
        )
    return collective_member_add(collective=collective, user=user)


@transaction.atomic
def channel_create(*, collective: Collective, admin: User, name: str) -> Channel:
    """An admin adds a channel; names are unique in a collective, ignoring case."""
    _require_admin(collective=collective, user=admin)
    duplicate = InvalidInput("This collective already has a channel of that name.", field="name")
    if _channel_name_taken(collective=collective, name=name):
        raise duplicate
    try:
        with transaction.atomic():
            return Channel.objects.create(collective=collective, name=name)
    except IntegrityError:  # a concurrent request created the same name first
        raise duplicate from None


def _channel_name_taken(*, collective: Collective, name: str) -> bool:
    # The DB constraint is case-sensitive; "General" next to "general" would only confuse.
    return Channel.objects.filter(collective=collective, name__iexact=name).exists()


def _is_admin(collective: Collective, user_id: int) -> bool:
    return CollectiveMember.objects.filter(
        collective=collective, user_id=user_id, role=CollectiveMember.Role.ADMIN
    ).exists()


def _require_admin(*, collective: Collective, user: User) -> None:
    if not _is_admin(collective, user.id):
        raise NotAllowed("Only an admin of this collective can do this.")


# --- Moderators and bans: the rows. Who may write them (the owner, a moderator) and the
# audit log are moderation's (moderation.services); collective only keeps them consistent.


@transaction.atomic
def moderator_add(
    *, collective: Collective, user: User, appointed_by: User | None
) -> tuple[CollectiveModerator, bool]:
    """Name `user` a moderator of the collective; return (moderator, created).

    A moderator must be a member, and an admin (an owner) moderates already. Naming an
    existing moderator again changes nothing. The collective's lock orders this after any
    concurrent leave or ban, so no moderator outlives their membership.
    """
    collective = _lock(collective)
    member = CollectiveMember.objects.filter(collective=collective, user=user).first()
    if member is None:
        raise InvalidInput("A moderator must be a member of the collective.", field="user_id")
    if member.role == CollectiveMember.Role.ADMIN:
        raise InvalidInput("An admin of the collective moderates it already.", field="user_id")
    existing = CollectiveModerator.objects.filter(collective=collective, user=user).first()
    if existing is not None:
        return existing, False
    moderator = CollectiveModerator.objects.create(
        collective=collective, user=user, appointed_by=appointed_by, created_at=timezone.now()
    )
    return moderator, True


@transaction.atomic
def moderator_remove(*, collective: Collective, user: User) -> bool:
    """End `user`'s moderator role (they stay a member); return False if they had none."""
    deleted, _ = CollectiveModerator.objects.filter(collective=collective, user=user).delete()
    return bool(deleted)


@transaction.atomic
def member_ban(
    *, collective: Collective, user: User, banned_by: User | None, reason: str
) -> tuple[CollectiveBan, bool]:
    """Ban `user` from the collective; return (ban, created).

    Their membership ends (with any moderator role), which is what takes the collective's
    posts from them on every path: the visibility rule counts members only. Until the ban
    is lifted they cannot join, be invited or post in its channels (`refuse_banned`). A
    non-member can be banned too, to keep them out. An admin cannot be banned. Banning
    someone banned already changes nothing.
    """
    collective = _lock(collective)
    if _is_admin(collective, user.id):
        raise InvalidInput("The collective's owner cannot be banned.", field="user_id")
    existing = CollectiveBan.objects.filter(collective=collective, user=user).first()
    if existing is not None:
        return existing, False
    ban = CollectiveBan.objects.create(
        collective=collective,
        user=user,
        banned_by=banned_by,
        reason=reason,
        created_at=timezone.now(),
    )
    _member_remove(collective=collective, user_id=user.id)
    return ban, True


@transaction.atomic
def member_unban(*, collective: Collective, user: User) -> bool:
    """Lift `user`'s ban (they may join again); return False if there was none."""
    collective = _lock(collective)
    deleted, _ = CollectiveBan.objects.filter(collective=collective, user=user).delete()
    return bool(deleted)
