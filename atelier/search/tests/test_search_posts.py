"""Searching posts: stemming, the index kept in step with every write, the query grammar,
the order of results, and what a viewer may find (on whichever database the suite runs)."""

import pytest
from django.db import connection
from django.utils import timezone

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.models import UserPreference
from atelier.core.tests.factories import BlockFactory, UserFactory
from atelier.post.models import Post
from atelier.post.services import post_create, post_hide, post_soft_delete
from atelier.post.tests.factories import PostFactory
from atelier.search import selectors
from atelier.search.query import parse

pytestmark = pytest.mark.django_db


def found(viewer, q: str, **paging) -> list[int]:
    """The ids of the posts `viewer` finds for `q`, in order."""
    page = selectors.search_posts(
        viewer, parse(q), offset=paging.get("offset", 0), limit=paging.get("limit", 100)
    )
    return [post.id for post in page.results]


# --- Words ------------------------------------------------------------------------------------


def test_walnut_inks_finds_walnut_ink(ana):
    post = post_create(author=ana, title="Walnut ink on paper", post_type="image")
    post_create(author=ana, title="Charcoal study", post_type="image")

    assert found(ana, "walnut inks") == [post.id]
    assert found(ana, "Inking walnuts") == [post.id]


def test_the_body_is_searched_too(ana):
    post = post_create(
        author=ana, title="Untitled", body="Some walnut ink washes", post_type="image"
    )

    assert found(ana, "washing") == [post.id]


def test_accents_do_not_matter(ana):
    post = post_create(author=ana, title="Un café à Lisboa", post_type="image")

    assert found(ana, "cafe") == [post.id]
    assert found(ana, "CAFÉ lisboa") == [post.id]


def test_every_word_is_required_unless_or_says_otherwise(ana):
    ink = post_create(author=ana, title="Walnut ink", post_type="image")
    oil = post_create(author=ana, title="Walnut oil", post_type="image")
    charcoal = post_create(author=ana, title="Charcoal", post_type="image")

    assert found(ana, "walnut ink") == [ink.id]
    assert set(found(ana, "walnut")) == {ink.id, oil.id}
    assert set(found(ana, "ink or charcoal")) == {ink.id, charcoal.id}
    assert found(ana, "walnut -oil") == [ink.id]
    assert found(ana, "charcoal or -walnut") == [charcoal.id]


def test_a_quoted_phrase_needs_its_words_together(ana):
    together = post_create(author=ana, title="Walnut ink study", post_type="image")
    post_create(author=ana, title="Ink over walnut", post_type="image")

    assert found(ana, '"walnut ink"') == [together.id]
    assert found(ana, '"walnut ink') == [together.id]  # an unclosed quote ends the query


def test_punctuation_and_query_syntax_are_only_words(ana):
    post = post_create(author=ana, title="Ink: NOT a (study) AND more", post_type="image")

    for q in ("ink:", "(study)", "ink AND more", 'ink"', "ink*", "ink -(oil)"):
        assert found(ana, q) == [post.id], q


# --- The index follows every write ------------------------------------------------------------


def test_the_index_follows_a_changed_title_and_body(ana):
    post = post_create(author=ana, title="Walnut ink", body="on paper", post_type="image")

    Post.objects.filter(pk=post.pk).update(title="Charcoal", body="on canvas")

    assert found(ana, "walnut") == []
    assert found(ana, "paper") == []
    assert found(ana, "charcoal canvas") == [post.id]


def test_the_index_ignores_an_update_of_other_columns(ana):
    post = post_create(author=ana, title="Walnut ink", post_type="image")

    Post.objects.filter(pk=post.pk).update(hearts_count=3)

    assert found(ana, "walnut") == [post.id]


def test_a_post_deleted_for_good_leaves_the_index(ana):
    gone = post_create(author=ana, title="Walnut ink", post_type="image")
    kept = post_create(author=ana, title="Walnut oil", post_type="image")

    gone.delete()

    assert found(ana, "walnut") == [kept.id]
    # The next post may take no stale entry (SQLite reuses no rowid here, but an index
    # entry left behind would still answer for a deleted id).
    fresh = post_create(author=ana, title="Charcoal", post_type="image")
    assert found(ana, "walnut") == [kept.id]
    assert found(ana, "charcoal") == [fresh.id]


def test_posts_written_in_bulk_are_indexed(ana):
    Post.objects.bulk_create(
        [
            Post(author=ana, title=f"Walnut ink {i}", post_type="image", created_at=timezone.now())
            for i in range(3)
        ]
    )

    assert len(found(ana, "walnut inks")) == 3


# --- Order --------------------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_match_of_the_same_age(ana):
    now = timezone.now()
    in_body = PostFactory(title="Untitled", body="walnut", created_at=now)
    in_title = PostFactory(title="Walnut", body="untitled", created_at=now)

    assert found(ana, "walnut") == [in_title.id, in_body.id]


def test_a_fresh_post_ranks_above_an_old_one_that_matches_as_well(ana):
    now = timezone.now()
    old = PostFactory(title="Walnut ink", created_at=now - timezone.timedelta(days=60))
    fresh = PostFactory(title="Walnut ink", created_at=now - timezone.timedelta(hours=1))

    assert found(ana, "walnut ink") == [fresh.id, old.id]


def test_an_appreciated_post_ranks_above_one_without_reactions(ana):
    now = timezone.now()
    quiet = PostFactory(title="Walnut ink", created_at=now)
    loved = PostFactory(title="Walnut ink", created_at=now, hearts_count=40, trophy_count=2)

    assert found(ana, "walnut") == [loved.id, quiet.id]


def test_past_the_candidates_the_matches_follow_newest_first(ana, monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES", 3)
    now = timezone.now()
    posts = [
        PostFactory(title="Walnut ink", created_at=now - timezone.timedelta(hours=i))
        for i in range(7)
    ]
    # The oldest candidate is the most appreciated: ranking moves it first.
    Post.objects.filter(pk=posts[2].pk).update(hearts_count=500)

    ids = found(ana, "walnut")

    assert ids[:3] == [posts[2].id, posts[0].id, posts[1].id]
    assert ids[3:] == [p.id for p in posts[3:]]
    # Paged, the same order, each post once.
    paged = [i for offset in range(0, 7, 2) for i in found(ana, "walnut", offset=offset, limit=2)]
    assert paged == ids


# --- Who finds what -----------------------------------------------------------------------------


def test_a_viewer_finds_only_what_their_feed_may_show(ana, ben, cleo):
    """The feed-eligible tier of the one rule (the table test holds every state)."""
    public = PostFactory(author=cleo, title="Walnut public")
    channel = ChannelFactory(collective__visibility="private")
    private = PostFactory(author=cleo, title="Walnut private", channel=channel)
    deleted = PostFactory(author=cleo, title="Walnut deleted")
    post_soft_delete(post=deleted)
    removed = PostFactory(author=cleo, title="Walnut removed", removed_at=timezone.now())
    by_blocked = PostFactory(author=ben, title="Walnut by ben")
    BlockFactory(blocker=ana, blocked=ben)
    by_blocker = PostFactory(author=UserFactory(), title="Walnut by a blocker")
    BlockFactory(blocker=by_blocker.author, blocked=ana)
    suspended = UserFactory(suspended_at=timezone.now(), is_active=False)
    PostFactory(author=suspended, title="Walnut by a suspended member")
    muted_channel = ChannelFactory()
    MemberFactory(collective=muted_channel.collective, user=ana)
    PostFactory(author=cleo, title="Walnut muted", channel=muted_channel)
    UserPreference.objects.create(user=ana).muted_collectives.add(muted_channel.collective)
    hidden = PostFactory(author=cleo, title="Walnut hidden")
    post_hide(user=ana, post=hidden)

    assert found(ana, "walnut") == [public.id]
    # A visitor has no blocks, mutes nor hidden marks, and sees no collective's posts.
    assert set(found(None, "walnut")) == {public.id, by_blocked.id, by_blocker.id, hidden.id}
    MemberFactory(collective=channel.collective, user=ana)
    assert set(found(ana, "walnut")) == {public.id, private.id}
    assert removed.id not in found(None, "walnut")


def test_the_count_is_of_what_the_viewer_may_find(ana, cleo):
    channel = ChannelFactory(collective__visibility="private")
    for _ in range(3):
        PostFactory(author=cleo, title="Walnut", channel=channel)
    PostFactory(author=cleo, title="Walnut")

    page = selectors.search_posts(ana, parse("walnut"), offset=0, limit=20)

    assert (page.count, page.count_exact) == (1, True)


def test_beyond_the_exact_limit_the_count_is_an_estimate(
    ana, monkeypatch, django_assert_num_queries
):
    """As the feed counts: exact up to the limit, then PostgreSQL's planner estimate; an
    estimate of more than COUNT_WHEN_EXPECTED is trusted without counting. SQLite, which
    has no estimate, counts."""
    PostFactory.create_batch(3, title="Walnut")
    matching = selectors.matching_posts(ana, parse("walnut"))
    many = selectors.COUNT_WHEN_EXPECTED + 1

    with django_assert_num_queries(0):
        assert selectors._count(matching, estimate=many) == (many, False)
    monkeypatch.setattr(selectors, "EXACT_COUNT_LIMIT", 3)
    assert selectors._count(matching, estimate=5) == (3, True)
    monkeypatch.setattr(selectors, "EXACT_COUNT_LIMIT", 2)
    if connection.vendor == "postgresql":
        assert selectors._count(matching, estimate=5) == (5, False)
        assert selectors._count(matching, estimate=None)[1] is False
    else:
        assert selectors._count(matching) == (3, True)


@pytest.mark.parametrize("estimate", [None, 20, 10_000])
def test_the_window_finds_the_same_candidates_as_a_search_of_everything(ana, monkeypatch, estimate):
    """The planner's estimate only chooses where to look first: a window that holds enough
    matches (20: the newest 45% of the time span) or one that does not (10,000: almost
    none of it, so the search runs again without it) give the newest matches all the same."""
    monkeypatch.setattr(selectors, "CANDIDATES", 3)
    now = timezone.now()
    posts = [
        PostFactory(title="Walnut", created_at=now - timezone.timedelta(days=10 * i))
        for i in range(10)
    ]
    PostFactory(title="Charcoal", created_at=now + timezone.timedelta(days=1))

    rows, counted = selectors._newest_candidates(
        selectors.matching_posts(ana, parse("walnut")), estimate
    )

    assert [row["id"] for row in rows] == [p.id for p in posts[:3]]
    assert counted == (None if estimate == 20 else 10)
