"""A small community for the pages' tests, built from the other apps' factories."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from atelier.collective.tests.factories import ChannelFactory, CollectiveFactory, MemberFactory
from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory


@dataclass
class Community:
    """Ana reads the feed; Ben is her fellow; Cleo posts publicly and in Ana's collective."""

    ana: object
    ben: object
    cleo: object
    inkers: object
    fellow_post: Post  # by Ben, 2 h old: ranked first for Ana ("From your fellow ben")
    newest_post: Post  # by Cleo, 10 min old, public: first in "Newest"
    collective_post: Post  # by Cleo in Inkers/general, 1 h old
    old_post: Post  # by Cleo, 3 days old


def build_community() -> Community:
    now = timezone.now()
    ana = UserFactory(username="ana", artist_type="writer")
    ben = UserFactory(username="ben", artist_type="photographer")
    cleo = UserFactory(username="cleo", artist_type="musician")
    FellowFactory(user=ana, fellow_user=ben)
    inkers = CollectiveFactory(name="Inkers", created_by=cleo)
    general = ChannelFactory(collective=inkers, name="general")
    MemberFactory(collective=inkers, user=ana)
    MemberFactory(collective=inkers, user=cleo, role="admin")
    return Community(
        ana=ana,
        ben=ben,
        cleo=cleo,
        inkers=inkers,
        fellow_post=PostFactory(
            author=ben,
            post_type="image",
            title="Harbour at dawn",
            body="Shot on film, no edits.",
            created_at=now - timedelta(hours=2),
        ),
        newest_post=PostFactory(
            author=cleo,
            post_type="music",
            title="Night tram",
            created_at=now - timedelta(minutes=10),
        ),
        collective_post=PostFactory(
            author=cleo,
            post_type="poem",
            title="Ink and rain",
            channel=general,
            created_at=now - timedelta(hours=1),
        ),
        old_post=PostFactory(
            author=cleo, post_type="comic", title="Page one", created_at=now - timedelta(days=3)
        ),
    )
