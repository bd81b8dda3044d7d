"""Writes about users: registration, tokens, fellow relations and blocks (preferences,
which name collectives, are collective's: collective/preferences.py)."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from rest_framework.authtoken.models import Token

from atelier.core import avatars, signals
from atelier.core.choices import ArtistType
from atelier.core.exceptions import InvalidInput, InvalidState, NotFound
from atelier.core.models import Block, User, UserFellow
from atelier.core.selectors import (
    blocks_between,
    is_storable_id,
    pair_relation_queryset,
)
from atelier.core.versions import ranking_inputs_changed

# --- Accounts -------------------------------------------------------------------------------


USERNAME_TAKEN = "A user with that username already exists."


def user_register(
    *, username: str, password: str, email: str = "", artist_type: str = ArtistType.OTHER
) -> tuple[User, Token]:
    """Create a user with a hashed password and their API token.

    Usernames are unique regardless of case (a constraint on `lower(username)`), so "Ana"
    cannot pose as "ana", even when both sign up at the same instant: the loser of the
    race gets the same 400 as a late comer. The password goes through settings'
    AUTH_PASSWORD_VALIDATORS and is hashed *before* the write transaction opens, so the
    slow part holds no lock (on SQLite, the one database-wide write lock).
    """
    username = User.normalize_username(username)
    email = User.objects.normalize_email(email or "")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(USERNAME_TAKEN, field="username")
    try:
        validate_password(password, user=User(username=username, email=email))
    except DjangoValidationError as error:
        raise InvalidInput(list(error.messages), field="password") from None
    user = User(
        username=username, email=email, artist_type=artist_type, password=make_password(password)
    )
    try:
        with transaction.atomic():
            user.save()
            token = Token.objects.create(user=user)
    except IntegrityError:
        raise InvalidInput(USERNAME_TAKEN, field="username") from None
    return user, token


def auth_token_for(*, user: User) -> Token:
    """Return the user's API token, creating it on first use."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


# --- Fellows --------------------------------------------------------------------------------


@transaction.atomic
def fellow_request_create(*, from_user: User, to_user_id: int) -> tuple[UserFellow, bool]:
    """Ask `to_user_id` to become fellows; return (relation, created).

    The pair has one row whichever way it was asked: a pending or accepted one is returned
    as is (created False); a declined one is reopened as a new pending request from
    `from_user`. The addressee is notified of every new request.
    """
    if to_user_id == from_user.id:
        raise InvalidInput("You cannot send a fellow request to yourself.", field="user_id")
    # One query for the addressee and the blocks either way.
    addressee = (
        User.objects.filter(pk=to_user_id)
        .annotate(
            i_blocked=Exists(Block.objects.filter(blocker=from_user, blocked=OuterRef("pk"))),
            blocks_me=Exists(Block.objects.filter(blocker=OuterRef("pk"), blocked=from_user)),
        )
        .values("i_blocked", "blocks_me")
        .first()
    )
    if addressee is not None and addressee["i_blocked"]:
        raise InvalidInput("You blocked this user; unblock them first.", field="user_id")
    # Someone who blocked the requester answers like a missing user: no leak of the block.
    if addressee is None or addressee["blocks_me"]:
        raise InvalidInput("No such user.", field="user_id")

    relation = pair_relation_queryset(from_user.id, to_user_id).select_for_update().first()
    if relation is None:
        try:
            with transaction.atomic():
                relation = UserFellow.objects.create(
                    user=from_user,
                    fellow_user_id=to_user_id,
                    status=UserFellow.Status.PENDING,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            # A concurrent request for the same pair won the race; use its row.
            relation = pair_relation_queryset(from_user.id, to_user_id).select_for_update().get()
        else:
            _notify_fellow_request(relation)
            return relation, True

    if relation.status != UserFellow.Status.DECLINED:
        return relation, False
    relation.user = from_user
    relation.fellow_user_id = to_user_id
    relation.status = UserFellow.Status.PENDING
    relation.created_at = timezone.now()
    relation.responded_at = None
    relation.save(update_fields=["user", "fellow_user", "status", "created_at", "responded_at"])
    _notify_fellow_request(relation)
    return relation, True


def _notify_fellow_request(relation: UserFellow) -> None:
    # The addressee's notification, in this transaction (notification subscribes).
    signals.fellow_requested.send(UserFellow, relation=relation)


def _request_addressed_to(user: User, request_id: int) -> UserFellow:
    """Lock and return the request `request_id` addressed to `user`; NotFound for anyone else.

    It comes with `blocked_either_way` (whether either of the two blocked the other), read
    in the same query.
    """
    blocks = blocks_between(user.id, OuterRef("user_id"))
    relation = (
        UserFellow.objects.select_for_update(of=("self",))
        .annotate(blocked_either_way=Exists(blocks))
        .filter(pk=request_id, fellow_user=user)
        .first()
    )
    if relation is None:
        raise NotFound("No fellow request matches the given query.")
    return relation


@transaction.atomic
def fellow_request_accept(*, user: User, request_id: int) -> UserFellow:
    """Accept a request addressed to `user`: the two become fellows. Idempotent."""
    relation = _request_addressed_to(user, request_id)
    if relation.status == UserFellow.Status.ACCEPTED:
        return relation
    if relation.status == UserFellow.Status.DECLINED:
        raise InvalidState("This request was declined; send a new fellow request instead.")
    if relation.blocked_either_way:
        raise InvalidState("You cannot become fellows with a user blocked either way.")
    relation.status = UserFellow.Status.ACCEPTED
    relation.responded_at = timezone.now()
    relation.save(update_fields=["status", "responded_at"])
    # The requester's notification, in this transaction (notification subscribes).
    signals.fellow_accepted.send(UserFellow, relation=relation, actor=user)
    ranking_inputs_changed(relation.user_id, relation.fellow_user_id, relations=True)
    return relation


@transaction.atomic
def fellow_request_decline(*, user: User, request_id: int) -> UserFellow:
    """Decline a request addressed to `user`. Idempotent; fellows must unfriend instead."""
    relation = _request_addressed_to(user, request_id)
    if relation.status == UserFellow.Status.DECLINED:
        return relation
    if relation.status == UserFellow.Status.ACCEPTED:
        raise InvalidState("You are already fellows; remove the fellow instead.")
    relation.status = UserFellow.Status.DECLINED
    relation.responded_at = timezone.now()
    relation.save(update_fields=["status", "responded_at"])
    return relation


@transaction.atomic
def fellow_remove(*, user: User, fellow_id: int) -> None:
    """End the fellowship between `user` and `fellow_id` for both; NotFound if not fellows."""
    if not is_storable_id(fellow_id):
        raise NotFound("You are not fellows with this user.")
    deleted, _ = (
        pair_relation_queryset(user.id, fellow_id)
        .filter(status=UserFellow.Status.ACCEPTED)
        .delete()
    )
    if not deleted:
        raise NotFound("You are not fellows with this user.")
    signals.fellow_removed.send(UserFellow, user_id=user.id, fellow_id=fellow_id)
    ranking_inputs_changed(user.id, fellow_id, relations=True)


# --- Blocks ---------------------------------------------------------------------------------


def blocks_replace(*, user: User, blocked_ids: set[int]) -> set[int]:
    """Make `blocked_ids` exactly the users `user` blocks; return the ids whose block changed.

    Call it inside the caller's transaction (collective/preferences.py does), which bumps
    the versions of everyone concerned."""
    current = set(Block.objects.filter(blocker=user).values_list("blocked_id", flat=True))
    removed = current - blocked_ids
    added = blocked_ids - current
    if removed:
        Block.objects.filter(blocker=user, blocked_id__in=removed).delete()
    if added:
        Block.objects.bulk_create(
            [Block(blocker=user, blocked_id=uid) for uid in sorted(added)],
            ignore_conflicts=True,
        )
    if removed or added:
        signals.blocks_changed.send(Block, blocker_id=user.id, added=added, removed=removed)
    return removed | added


_UNSET = object()


@transaction.atomic
def profile_update(*, user: User, display_name=_UNSET, bio=_UNSET, avatar=_UNSET) -> User:
    """Change the given profile fields of `user` (docs/api.md "Users"): a display name and a
    bio (plain text, already trimmed and bounded by the serializer; "" or None clears), an
    avatar (the id of a picture of mine whose square variant becomes the avatar; None
    clears). The square variant is made by the media app, through core.avatars."""
    changes: dict[str, str] = {}
    if display_name is not _UNSET:
        changes["display_name"] = display_name or ""
    if bio is not _UNSET:
        changes["bio"] = bio or ""
    if avatar is not _UNSET:
        changes["avatar_file"] = (
            "" if avatar is None else avatars.square_for(owner=user, media_id=avatar)
        )
    if changes:
        User.objects.filter(pk=user.pk).update(**changes)
        for field, value in changes.items():
            setattr(user, field, value)
    return user
