"""Fixtures the post tests share: collectives with channels, ben's posts, invisible posts."""

import pytest

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.tests.factories import BlockFactory
from atelier.post.tests.factories import PostFactory

# The ways a post of ben's can be invisible to ana (docs/api.md "Visible posts").
INVISIBLE = [
    "private_collective",
    "public_collective",
    "author_blocked_viewer",
    "viewer_blocked_author",
    "deleted",
]


def collective_channel(visibility: str, *members):
    """Return a channel of a new collective of `visibility` whose members are `members`."""
    channel = ChannelFactory(collective__visibility=visibility)
    for user in members:
        MemberFactory(collective=channel.collective, user=user)
    return channel


@pytest.fixture
def inkers_channel(ben):
    """A channel of a public collective: ben is a member, ana and cleo are not."""
    return collective_channel("public", ben)


@pytest.fixture
def vault_channel(ben):
    """A channel of a private collective: ben is a member, ana and cleo are not."""
    return collective_channel("private", ben)


@pytest.fixture
def bens_post(ben):
    """A public post by ben: what ana usually acts on."""
    return PostFactory(author=ben)


def make_invisible_post(how: str, *, author, viewer):
    """Return a post by `author` that `viewer` may not see, for the reason `how`."""
    if how == "private_collective":
        return PostFactory(author=author, channel=collective_channel("private", author))
    if how == "public_collective":
        return PostFactory(author=author, channel=collective_channel("public", author))
    if how == "author_blocked_viewer":
        BlockFactory(blocker=author, blocked=viewer)
    elif how == "viewer_blocked_author":
        BlockFactory(blocker=viewer, blocked=author)
    elif how == "deleted":
        return PostFactory(author=author, is_deleted=True)
    else:
        raise AssertionError(how)
    return PostFactory(author=author)


@pytest.fixture(params=INVISIBLE)
def invisible_post(request, ana, ben):
    """A post by ben that ana may not see, once for each reason in INVISIBLE."""
    return make_invisible_post(request.param, author=ben, viewer=ana)


def detail_of(client, post) -> dict:
    """GET the post's detail as `client` and return its JSON (asserting a 200)."""
    response = client.get(f"/api/posts/{post.id}/")
    assert response.status_code == 200, response.content
    return response.json()
