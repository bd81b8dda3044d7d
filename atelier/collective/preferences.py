"""A user's preferences: post and artist types, muted collectives, blocks, and whether
posts with a content warning are shown unfolded.

They name collectives (a mute must be of a collective the user can see), so they are read
and written here, above core; the rows (UserPreference, Block) are core's.
"""

from collections.abc import Iterable

from django.db import transaction

from atelier.collective.models import Collective
from atelier.collective.selectors import collective_visible_to
from atelier.core.exceptions import InvalidInput
from atelier.core.models import User, UserPreference
from atelier.core.selectors import blocked_by
from atelier.core.services import blocks_replace
from atelier.core.versions import ranking_inputs_changed


def preferences_of(user: User) -> dict:
    """Return the user's four preference lists (all empty when they never set any) and
    `show_sensitive_content` (False unless they turned it on).

        Mutes of collectives the user can no longer see (a private one they left) are left
        out: they have no effect, and a client echoing GET into PUT must not get a 400.
    """
    preference = UserPreference.objects.filter(user=user).first()
    if preference is None:
        post_types, artist_types, muted = [], [], []
        show_sensitive = False
    else:
        post_types = list(preference.preferred_post_types)
        artist_types = list(preference.preferred_artist_types)
        show_sensitive = preference.show_sensitive_content
        muted = list(
            preference.muted_collectives.filter(collective_visible_to(user.id))
            .order_by("id")
            .values_list("id", flat=True)
        )
    return {
        "preferred_post_types": post_types,
        "preferred_artist_types": artist_types,
        "muted_collectives": muted,
        "blocked_users": blocked_by(user.id),
        "show_sensitive_content": show_sensitive,
    }


def _unique(values: Iterable) -> list:
    """Drop repeats, keeping the first occurrence's position."""
    return list(dict.fromkeys(values))


@transaction.atomic
def preferences_update(
    *,
    user: User,
    preferred_post_types: list[str] | None = None,
    preferred_artist_types: list[str] | None = None,
    muted_collectives: list[int] | None = None,
    blocked_users: list[int] | None = None,
    show_sensitive_content: bool | None = None,
) -> None:
    """Replace the given preference lists and set the given flag (None leaves one
    unchanged), all or nothing.

    The types must already be valid vocabulary. Muted collectives must exist and be
    visible to the user; blocked users must exist and not be the user. Blocks are
    `core.Block` rows; as a block hides posts both ways, both sides' feeds are
    invalidated. Blocking a fellow keeps the fellowship: visibility hides their posts.
    """
    errors = {}
    if muted_collectives is not None:
        muted_collectives = _unique(muted_collectives)
        known = set(
            Collective.objects.filter(
                collective_visible_to(user.id), pk__in=muted_collectives
            ).values_list("id", flat=True)
        )
        unknown = [cid for cid in muted_collectives if cid not in known]
        if unknown:
            errors["muted_collectives"] = [f"Unknown collective ids: {unknown}."]
    if blocked_users is not None:
        blocked_users = _unique(blocked_users)
        if user.id in blocked_users:
            errors["blocked_users"] = ["You cannot block yourself."]
        else:
            known = set(User.objects.filter(pk__in=blocked_users).values_list("id", flat=True))
            unknown = [uid for uid in blocked_users if uid not in known]
            if unknown:
                errors["blocked_users"] = [f"Unknown user ids: {unknown}."]
    if errors:
        raise InvalidInput(errors=errors)

    # Locking the preference row serialises concurrent updates of the same user, so two
    # PUTs cannot interleave their block replacements.
    preference, _ = UserPreference.objects.select_for_update().get_or_create(user=user)
    if preferred_post_types is not None:
        preference.preferred_post_types = _unique(preferred_post_types)
    if preferred_artist_types is not None:
        preference.preferred_artist_types = _unique(preferred_artist_types)
    if show_sensitive_content is not None:
        preference.show_sensitive_content = show_sensitive_content
    preference.save()
    if muted_collectives is not None:
        preference.muted_collectives.set(muted_collectives)

    concerned = {user.id}
    if blocked_users is not None:
        concerned |= blocks_replace(user=user, blocked_ids=set(blocked_users))
    ranking_inputs_changed(*concerned, relations=True)
