"""Writes on collectives: creation, joining, leaving, invitations and channels."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from atelier.collective import signals
from atelier.collective.models import Channel, Collective, CollectiveMember
from atelier.core.exceptions import InvalidInput, NotAllowed, NotFound
from atelier.core.models import Block, User
from atelier.core.versions import ranking_inputs_changed

DEFAULT_CHANNEL_NAME = "general"
COLLECTIVE_NOT_FOUND = "No collective matches the given query."


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
    "already a member", never an error.
    """
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
    deleted, _ = CollectiveMember.objects.filter(collective=collective, user=user).delete()
    if not deleted:
        return False
    Collective.objects.filter(pk=collective.pk).update(members_count=F("members_count") - 1)
    signals.membership_changed.send(
        CollectiveMember, collective_id=collective.pk, user_id=user.id, joined=False
    )
    remaining = CollectiveMember.objects.filter(collective=collective)
    if not remaining.filter(role=CollectiveMember.Role.ADMIN).exists():
        successor = remaining.order_by("joined_at", "id").first()
        if successor is not None:
            successor.role = CollectiveMember.Role.ADMIN
            successor.save(update_fields=["role"])
    ranking_inputs_changed(user.id, relations=True)
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


def _require_admin(*, collective: Collective, user: User) -> None:
    is_admin = CollectiveMember.objects.filter(
        collective=collective, user=user, role=CollectiveMember.Role.ADMIN
    ).exists()
    if not is_admin:
        raise NotAllowed("Only an admin of this collective can do this.")
