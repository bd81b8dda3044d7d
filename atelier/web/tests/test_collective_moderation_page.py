"""The collective page's moderation forms: the owner names and removes moderators,
moderators ban and lift bans and remove posts, through the API's serializers and services."""

import pytest

from atelier.collective.models import CollectiveBan, CollectiveMember, CollectiveModerator
from atelier.collective.services import collective_create, collective_member_add
from atelier.moderation.models import AuditEntry, Decision
from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inkers(ana, ben, cleo):
    """Inkers: public; ana its owner, ben and cleo members, a post of cleo's in #general."""
    collective = collective_create(creator=ana, name="Inkers", visibility="public")
    for user in (ben, cleo):
        collective_member_add(collective=collective, user=user)
    PostFactory(author=cleo, channel=collective.channels.get(), title="Cleo's sketch")
    return collective


def _page(client, collective) -> str:
    response = client.get(f"/collectives/{collective.id}/")
    assert response.status_code == 200
    return response.content.decode()


def _send(client, collective, **form):
    return client.post(f"/collectives/{collective.id}/", form)


def test_the_owner_names_and_removes_a_moderator(client, ana, ben, inkers):
    client.force_login(ana)
    page = _page(client, inkers)
    assert 'id="moderators"' in page and "No moderators yet." in page
    assert f'<option value="{ben.id}">ben</option>' in page

    answer = _send(client, inkers, action="moderator_add", user_id=str(ben.id))
    assert answer.status_code == 302
    assert CollectiveModerator.objects.filter(collective=inkers, user=ben).exists()
    assert f'id="moderator-{ben.id}"' in _page(client, inkers)

    _send(client, inkers, action="moderator_remove", user_id=str(ben.id))
    assert not CollectiveModerator.objects.exists()
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["moderator_add", "moderator_remove"]


def test_a_moderator_bans_lifts_and_removes_a_post(client, ana, ben, cleo, inkers):
    CollectiveModerator.objects.create(
        collective=inkers, user=ben, appointed_by=ana, created_at=inkers.created_at
    )
    client.force_login(ben)
    page = _page(client, inkers)
    assert 'id="moderators"' not in page  # the owner's section
    assert "You are a moderator" in page
    # Ban forms for cleo only: not for the owner, nor for himself.
    assert page.count('value="ban"') == 1
    assert f'<input type="hidden" name="user_id" value="{cleo.id}">' in page
    post = Post.objects.get(title="Cleo's sketch")
    assert f'id="remove-{post.id}"' in page

    refused = _send(client, inkers, action="ban", user_id=str(cleo.id), reason="  ")
    assert refused.status_code == 400
    assert 'id="moderation-error"' in refused.content.decode()
    assert not CollectiveBan.objects.exists()

    answer = _send(client, inkers, action="remove_post", post_id=str(post.id), reason="Off topic")
    assert answer.status_code == 302
    decision = Decision.objects.get()
    assert (decision.action, decision.collective_id, decision.reason) == (
        "remove",
        inkers.id,
        "Off topic",
    )
    assert "Cleo's sketch" not in _page(client, inkers)

    answer = _send(client, inkers, action="ban", user_id=str(cleo.id), reason="Spam")
    assert answer.status_code == 302
    assert not CollectiveMember.objects.filter(collective=inkers, user=cleo).exists()
    page = _page(client, inkers)
    assert f'id="ban-{cleo.id}"' in page and "Spam" in page

    _send(client, inkers, action="unban", user_id=str(cleo.id))
    assert not CollectiveBan.objects.exists()


def test_a_plain_member_sees_no_moderation_and_is_refused(client, ana, cleo, inkers):
    client.force_login(cleo)
    page = _page(client, inkers)
    for marker in ('id="moderators"', 'id="members"', "Remove from collective", 'value="ban"'):
        assert marker not in page
    answer = _send(client, inkers, action="ban", user_id=str(ana.id), reason="Coup")
    assert answer.status_code == 403
    answer = _send(client, inkers, action="moderator_add", user_id=str(cleo.id))
    assert answer.status_code == 403
    assert _send(client, inkers, action="promote").status_code == 404
    assert not CollectiveBan.objects.exists() and not CollectiveModerator.objects.exists()
