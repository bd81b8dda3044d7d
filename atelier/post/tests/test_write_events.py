"""A write's domain events run inside its transaction (docs/architecture.md).

The feed and notifications subscribe to post's, collective's and core's signals; they are sent with
`send`, so a receiver that fails rolls the whole write back: no row, no counter, no
version bump. A `send_robust` would swallow the error and keep a write whose
consequences (affinity counters, notification) are missing.
"""

import pytest

from atelier.collective import signals as collective_signals
from atelier.collective.models import Collective, CollectiveMember
from atelier.collective.preferences import preferences_update
from atelier.collective.services import collective_create, collective_join
from atelier.core import signals as core_signals
from atelier.core import versions
from atelier.core.models import Block, UserFellow
from atelier.core.services import fellow_request_accept, fellow_request_create
from atelier.post import signals as post_signals
from atelier.post.models import Appreciation, Comment, Post
from atelier.post.services import appreciation_add, post_soft_delete, remark_create
from atelier.post.tests.factories import PostFactory


class ReceiverFailed(Exception):
    pass


@pytest.fixture
def failing(request):
    """Connect a receiver that raises to the given signal, for one test."""
    connected = []

    def connect(signal):
        def receiver(sender, **kwargs):
            raise ReceiverFailed

        signal.connect(receiver, weak=False, dispatch_uid="test_write_events")
        connected.append(signal)

    yield connect
    for signal in connected:
        signal.disconnect(dispatch_uid="test_write_events")


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_rolls_a_heart_back(ana, ben, failing):
    post = PostFactory(author=ben)
    before = versions.read(ana.id)
    failing(post_signals.appreciation_added)
    with pytest.raises(ReceiverFailed):
        appreciation_add(user=ana, post=post, kind=Appreciation.Kind.HEART)
    assert not Appreciation.objects.exists()
    assert Post.objects.get(pk=post.pk).hearts_count == 0
    assert versions.read(ana.id) == before


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_rolls_a_comment_back(ana, ben, failing):
    post = PostFactory(author=ben)
    before = versions.read(ana.id)
    failing(post_signals.remark_created)
    with pytest.raises(ReceiverFailed):
        remark_create(kind="comment", author=ana, post=post, text="Lovely")
    assert not Comment.objects.exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0
    assert versions.read(ana.id) == before


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_rolls_a_fellow_acceptance_back(ana, ben, failing):
    relation, _ = fellow_request_create(from_user=ana, to_user_id=ben.id)
    before = versions.read(ana.id), versions.read(ben.id)
    failing(core_signals.fellow_accepted)
    with pytest.raises(ReceiverFailed):
        fellow_request_accept(user=ben, request_id=relation.pk)
    assert UserFellow.objects.get(pk=relation.pk).status == UserFellow.Status.PENDING
    assert (versions.read(ana.id), versions.read(ben.id)) == before


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_rolls_a_post_removal_back(ben, failing):
    post = PostFactory(author=ben)
    before = versions.read(ben.id)
    failing(post_signals.post_removed)
    with pytest.raises(ReceiverFailed):
        post_soft_delete(post=post)
    assert not Post.objects.get(pk=post.pk).is_deleted
    assert versions.read(ben.id) == before


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_rolls_a_join_back(ana, ben, failing):
    collective = collective_create(creator=ana, name="Inkers", visibility="public")
    before = versions.read(ben.id)
    failing(collective_signals.membership_changed)
    with pytest.raises(ReceiverFailed):
        collective_join(collective=collective, user=ben)
    assert not CollectiveMember.objects.filter(user=ben).exists()
    assert Collective.objects.get(pk=collective.pk).members_count == 1
    assert versions.read(ben.id) == before


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_rolls_a_block_back(ana, ben, failing):
    before = versions.read(ana.id)
    failing(core_signals.blocks_changed)
    with pytest.raises(ReceiverFailed):
        preferences_update(user=ana, blocked_users=[ben.id])
    assert not Block.objects.exists()
    assert versions.read(ana.id) == before
