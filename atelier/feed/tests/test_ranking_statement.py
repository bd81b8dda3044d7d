"""The ranking statement reads the feed `feed_queryset` defines and the features `hydrate`
reads, in SQL of a small, constant text."""

from datetime import timedelta
from unittest import mock

import numpy as np
import pytest
from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier.core.models import User, UserFellow
from atelier.feed import sources
from atelier.feed.config import default_ranking
from atelier.feed.features import COLUMNS, Candidates, Viewer, hydrate, read_preferences
from atelier.feed.pipeline import ranking_statement
from atelier.feed.selectors import count_feed, feed_queryset, read_count
from atelier.feed.tests.helpers import assert_same_candidates
from atelier.feed.tests.test_ranking_reference import NOW, build, community
from atelier.post.models import Post

# The tables the statement names; a model given another db_table would break it.
TABLES = {
    "post.Post": "post_post",
    "post.Appreciation": "post_appreciation",
    "post.Comment": "post_comment",
    "post.SeenPost": "post_seenpost",
    "post.HiddenPost": "post_hiddenpost",
    "core.User": "core_user",
    "core.UserFellow": "core_userfellow",
    "core.Block": "core_block",
    "core.UserPreference": "core_userpreference",
    "collective.CollectiveMember": "collective_collectivemember",
    "feed.AuthorAffinity": "feed_authoraffinity",
}


def test_the_statement_names_the_models_tables():
    for model, table in TABLES.items():
        assert apps.get_model(model)._meta.db_table == table
    muted = apps.get_model("core.UserPreference").muted_collectives.through
    assert muted._meta.db_table == "core_userpreference_muted_collectives"


def _run(viewer: Viewer, p, *, unseen: bool, social_proof: bool):
    sql, params = ranking_statement(
        viewer, p, unseen=unseen, since=NOW - timedelta(days=7), social_proof=social_proof
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=community, unseen=st.booleans(), social_proof=st.booleans(), dense=st.booleans())
def test_statement_reads_the_feed_and_the_features_hydrate_reads(c, unseen, social_proof, dense):
    with transaction.atomic(), mock.patch.object(sources, "DENSE_FROM", -1 if dense else 100):
        viewer = build(c)
        artists = frozenset(read_preferences(viewer.id)[1])
        v = Viewer(user_id=viewer.id, preferred_artist_types=artists)
        p = sources.plan(default_ranking(), fellow_count=1, collective_count=1)
        assert p.fellows_dense == p.collectives_dense == dense
        rows = _run(v, p, unseen=unseen, social_proof=social_proof)

        feed = feed_queryset(viewer.id, unseen=unseen)
        ids = sorted(feed.values_list("id", flat=True))
        # The default budget holds these small feeds whole: source A is the whole feed.
        assert sorted(r[0] for r in rows) == ids
        if rows:
            assert read_count(*rows[0][len(COLUMNS) :]) == count_feed(feed)
        got = Candidates.from_rows(rows)
        want = hydrate(viewer.id, ids, social_proof=social_proof)
        if not social_proof:
            want.fellows_engaged = np.zeros(len(want))
        assert_same_candidates(got, want, skip=() if artists else ("artist_type",))
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_side_sources_pass_the_whole_feed_filter():
    """A fellow's post that the viewer hid, or by someone who blocked them, is no candidate,
    even when a side source (which reads posts before the whole feed filter) picks it."""
    from atelier.core.models import Block
    from atelier.post.models import HiddenPost

    ana, bo, cy = (User.objects.create(username=n) for n in ("ana", "bo", "cy"))
    for other in (bo, cy):
        UserFellow.objects.create(user=ana, fellow_user=other, status="accepted", created_at=NOW)
    old = [
        Post.objects.create(author=a, post_type="poem", title=a.username, created_at=NOW)
        for a in (bo, cy, bo)
    ]
    for i in range(5):  # newer posts fill a budget of 5 (source A)
        Post.objects.create(
            author=ana, post_type="poem", title=f"n{i}", created_at=NOW + timedelta(hours=i + 1)
        )
    HiddenPost.objects.create(user=ana, post=old[2])
    Block.objects.create(blocker=cy, blocked=ana)
    r = default_ranking()
    object.__setattr__(r, "candidate_budget", 5)
    for dense in (False, True):
        with mock.patch.object(sources, "DENSE_FROM", -1 if dense else 100):
            p = sources.plan(r, fellow_count=2, collective_count=0)
            got = {row[0] for row in _run(Viewer(ana.id), p, unseen=False, social_proof=True)}
        assert got <= set(feed_queryset(ana.id).values_list("id", flat=True))
        assert old[1].id not in got and old[2].id not in got


@pytest.mark.django_db
def test_statement_text_is_small_and_the_same_for_every_viewer():
    r = default_ranking()
    texts = set()
    for dense in (False, True):
        p = sources.plan(r, fellow_count=5000 if dense else 3, collective_count=200 if dense else 2)
        for unseen in (False, True):
            for social_proof in (False, True):
                for artists in (frozenset(), frozenset({"painter"})):
                    sql = [
                        ranking_statement(
                            Viewer(user_id, preferred_artist_types=artists),
                            p,
                            unseen=unseen,
                            since=NOW,
                            social_proof=social_proof,
                        )[0]
                        for user_id in (1, 987_654)
                    ]
                    assert sql[0] == sql[1]
                    # 6 kB: `f` is compiled from the visibility rule (qualified names),
                    # moderation's states included (docs/moderation.md: up to 5.3 kB).
                    assert len(sql[0].encode()) < 6144, (dense, unseen, social_proof)
                    texts.add(sql[0])
    assert len(texts) == 16  # each shape its own text, none depending on the viewer
