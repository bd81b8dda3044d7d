"""A post's media, through the hook the media app registers (docs/architecture.md).

Media sits above post: an uploaded file is served only to those who may see its post, so
media imports post's visibility rule, and post cannot import media. A post is still
created with its media and shows them; what post needs of media goes through the three
functions below, which the media app registers in MediaConfig.ready().
"""

from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ImproperlyConfigured

# At most this many media in one post (docs/api.md: "Posts").
MAX_MEDIA_PER_POST = 10


class MediaNotAttachable(Exception):
    """A listed media id is unknown, not the author's, or already attached."""

    def __init__(self, media_id: int):
        super().__init__(media_id)
        self.media_id = media_id


_hooks: dict[str, Callable] = {}


def register(
    *,
    attach: Callable[..., None],
    attach_lists: Callable[[Iterable], None],
    output: Callable[[Sequence], list[dict]],
) -> None:
    """The media app's three functions: `attach(post=, owner=, media_ids=)` claims the
    uploads for a new post (raising MediaNotAttachable); `attach_lists(posts)` gives each
    post an `attached_media` list; `output(media)` renders such a list as the API does."""
    _hooks.update(attach=attach, attach_lists=attach_lists, output=output)


def _hook(name: str) -> Callable:
    try:
        return _hooks[name]
    except KeyError:
        raise ImproperlyConfigured(
            "A post's media come from the media app (atelier.media in INSTALLED_APPS)."
        ) from None


def attach(*, post, owner, media_ids: Sequence[int]) -> None:
    """Attach the listed uploads to the new `post`, in order, inside its transaction."""
    _hook("attach")(post=post, owner=owner, media_ids=media_ids)


def attach_lists(posts: Iterable) -> None:
    """Give every post an `attached_media` list, in its order, in at most one query."""
    _hook("attach_lists")(posts)


def media_of(post) -> list[dict]:
    """The post's media as the API shows them (after attach_lists)."""
    attach_lists([post])  # a no-op when it was done for the whole page
    return _hook("output")(post.attached_media)
