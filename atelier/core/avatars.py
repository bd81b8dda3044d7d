"""A member's avatar, through the hook the media app registers (docs/architecture.md).

The avatar is a square variant of one of the member's pictures, made by the media
pipeline; core (below media) stores only the variant's file name on the user row. To set
it, core asks the media app, which registers `square_for` in MediaConfig.ready().
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from atelier.core.exceptions import InvalidInput


class AvatarNotUsable(InvalidInput):
    """The media id is unknown, not the member's, or not a picture: 400 on `avatar`."""

    def __init__(self, message: str = "Give the id of a picture you uploaded."):
        super().__init__(message, field="avatar")


_hooks: dict[str, Callable] = {}


def register(*, square_for: Callable[..., str], media_of: Callable[..., int | None]) -> None:
    """`square_for(owner=, media_id=)` returns the stored name of that picture's square
    avatar variant (making it once), raising AvatarNotUsable; `media_of(user)` is the id
    of the media whose square is the user's avatar, or None."""
    _hooks.update(square_for=square_for, media_of=media_of)


def _hook(name: str) -> Callable:
    try:
        return _hooks[name]
    except KeyError:
        raise ImproperlyConfigured(
            "Avatars are made by the media app (atelier.media in INSTALLED_APPS)."
        ) from None


def square_for(*, owner, media_id: int) -> str:
    return _hook("square_for")(owner=owner, media_id=media_id)


def avatar_media_id(user) -> int | None:
    if not user.avatar_file:
        return None
    return _hook("media_of")(user)
