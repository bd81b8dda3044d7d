"""import_community: ids kept, counters recomputed, passwords, bad lines, sequences."""

import io
import sys

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from atelier.collective.models import Channel, Collective, CollectiveMember
from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.models import Block, User, UserFellow, UserPreference
from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.dump.tests.helpers import empty_the_database
from atelier.feed.tests.factories import AppreciationFactory
from atelier.post.models import Appreciation, Comment, Critique, Post, SeenPost
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory

pytestmark = pytest.mark.django_db

T = "2026-01-01T10:00:00Z"


def community() -> list[dict]:
    """A small valid dump, one record of most kinds, ids deliberately not 1, 2, 3."""
    return [
        {"kind": "user", "id": 10, "username": "ana", "password": "pw", "artist_type": "writer",
         "date_joined": T},
        {"kind": "user", "id": 20, "username": "ben", "artist_type": "photographer",
         "date_joined": T},
        {"kind": "user", "id": 30, "username": "cleo", "artist_type": "musician",
         "date_joined": T},
        {"kind": "collective", "id": 7, "name": "Inkers", "visibility": "private",
         "created_by": 10, "created_at": T},
        {"kind": "channel", "id": 70, "collective": 7, "name": "general"},
        {"kind": "member", "user": 10, "collective": 7, "role": "admin", "joined_at": T},
        {"kind": "member", "user": 20, "collective": 7, "role": "member", "joined_at": T},
        {"kind": "fellow", "from": 10, "to": 20, "status": "accepted", "created_at": T},
        {"kind": "post", "id": 100, "author": 10, "post_type": "poem", "title": "Tide",
         "body": "", "channel": 70, "created_at": T, "is_deleted": False},
        {"kind": "post", "id": 200, "author": 20, "post_type": "image", "title": "Harbour",
         "body": "", "channel": None, "created_at": T, "is_deleted": False},
        {"kind": "heart", "user": 20, "post": 100, "created_at": T},
        {"kind": "heart", "user": 30, "post": 200, "created_at": T},
        {"kind": "praise", "user": 20, "post": 100, "created_at": T},
        {"kind": "trophy", "user": 10, "post": 200, "created_at": T},
        {"kind": "comment", "id": 5, "user": 20, "post": 100, "text": "Lovely", "created_at": T},
        {"kind": "comment", "id": 6, "user": 30, "post": 100, "text": "gone", "created_at": T,
         "is_deleted": True},
        {"kind": "comment", "id": 4, "user": 10, "post": 100, "text": "Thanks", "created_at": T,
         "reply_to": 5},
        {"kind": "comment", "id": 3, "user": 10, "post": 200, "text": "Top", "created_at": T},
        {"kind": "critique", "id": 9, "user": 30, "post": 200, "text": "Crop it",
         "created_at": T},
        {"kind": "preference", "user": 20, "preferred_post_types": ["poem"],
         "preferred_artist_types": [], "muted_collectives": [7], "blocked_users": [30]},
        {"kind": "seen", "user": 20, "post": 100, "seen_at": T},
    ]  # fmt: skip


def import_dump(path, *extra: str) -> str:
    out = io.StringIO()
    call_command("import_community", str(path), *extra, stdout=out)
    return out.getvalue()


def assert_nothing_imported() -> None:
    for model in (User, Collective, Channel, CollectiveMember, UserFellow, Post, Appreciation,
                  Comment, Critique, UserPreference, Block, SeenPost):  # fmt: skip
        assert not model.objects.exists(), model


def test_import_keeps_ids_and_links(write_dump):
    output = import_dump(write_dump(community()))

    assert sorted(User.objects.values_list("id", flat=True)) == [10, 20, 30]
    assert sorted(Post.objects.values_list("id", flat=True)) == [100, 200]
    assert list(Comment.objects.order_by("id").values_list("id", "reply_to")) == [
        (3, None),
        (4, 5),
        (5, None),
        (6, None),
    ]
    assert list(Critique.objects.values_list("id", flat=True)) == [9]
    channel_post = Post.objects.get(id=100)
    assert (channel_post.channel_id, channel_post.collective_id) == (70, 7)
    assert Appreciation.objects.get(kind="trophy").post_author_id == 20
    preference = UserPreference.objects.get(user_id=20)
    assert list(preference.muted_collectives.values_list("id", flat=True)) == [7]
    assert Block.objects.get().blocker_id == 20
    assert "3 users" in output and "2 posts" in output and "lines/s" in output


def test_counters_are_recomputed_not_read(write_dump):
    import_dump(write_dump(community()))

    counters = ("hearts_count", "praise_count", "trophy_count", "comment_count", "critique_count")
    assert Post.objects.filter(id=100).values_list(*counters).get() == (1, 1, 0, 2, 0)
    assert Post.objects.filter(id=200).values_list(*counters).get() == (1, 0, 1, 1, 1)
    assert Collective.objects.get(id=7).members_count == 2


def test_password_password_hash_or_none(write_dump):
    records = community()
    records[1]["password_hash"] = "md5$kept$0123456789abcdef"
    records[2]["password"] = "pw"  # the same password as ana: hashed once, both can log in
    import_dump(write_dump(records))

    assert authenticate(username="ana", password="pw").id == 10
    assert authenticate(username="cleo", password="pw").id == 30
    assert User.objects.get(username="ben").password == "md5$kept$0123456789abcdef"


def test_no_password_means_unusable(write_dump):
    import_dump(write_dump(community()))

    assert not User.objects.get(username="ben").has_usable_password()


def test_deleted_post_gets_deleted_at(write_dump):
    records = community()
    records[9]["is_deleted"] = True
    import_dump(write_dump(records))

    post = Post.objects.get(id=200)
    assert post.is_deleted and post.deleted_at == post.created_at


def test_gzip_file_is_read_transparently(write_dump):
    import_dump(write_dump(community(), name="dump.jsonl.gz"))

    assert User.objects.count() == 3


def test_dash_reads_stdin(write_dump, monkeypatch):
    data = write_dump(community()).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    import_dump("-")

    assert Post.objects.count() == 2


def test_non_empty_database_is_refused(write_dump):
    UserFactory(username="already-here")

    with pytest.raises(CommandError, match="not empty"):
        import_dump(write_dump(community()))
    assert list(User.objects.values_list("username", flat=True)) == ["already-here"]


def test_empty_file_imports_nothing(write_dump):
    output = import_dump(write_dump([]))

    assert "nothing" in output


def test_rows_created_after_an_import_get_fresh_ids(write_dump):
    # Probe each table's next id, then import exactly those ids: without a sequence reset,
    # PostgreSQL would hand them out again and the inserts below would collide.
    probe = CommentFactory(post=PostFactory(channel=ChannelFactory()))
    critique = CritiqueFactory(post=probe.post, author=probe.author)
    next_ids = {
        "user": User.objects.order_by("-id").first().id + 1,
        "collective": probe.post.collective_id + 1,
        "channel": probe.post.channel_id + 1,
        "post": probe.post_id + 1,
        "comment": probe.id + 1,
        "critique": critique.id + 1,
    }
    empty_the_database()
    u, c, ch, p = (next_ids[k] for k in ("user", "collective", "channel", "post"))
    import_dump(
        write_dump(
            [
                {"kind": "user", "id": u, "username": "ana", "artist_type": "writer",
                 "date_joined": T},
                {"kind": "collective", "id": c, "name": "C", "visibility": "public",
                 "created_by": u, "created_at": T},
                {"kind": "channel", "id": ch, "collective": c, "name": "general"},
                {"kind": "member", "user": u, "collective": c, "role": "admin", "joined_at": T},
                {"kind": "post", "id": p, "author": u, "post_type": "poem", "title": "t",
                 "channel": ch, "created_at": T},
                {"kind": "heart", "user": u, "post": p, "created_at": T},
                {"kind": "comment", "id": next_ids["comment"], "user": u, "post": p, "text": "x",
                 "created_at": T},
                {"kind": "critique", "id": next_ids["critique"], "user": u, "post": p,
                 "text": "x", "created_at": T},
                {"kind": "preference", "user": u, "preferred_post_types": ["poem"]},
                {"kind": "seen", "user": u, "post": p, "seen_at": T},
            ]
        )
    )  # fmt: skip

    ben = UserFactory(username="ben")
    channel = ChannelFactory(collective_id=c)
    post = PostFactory(author=ben, channel=channel)
    comment = CommentFactory(post=post, author=ben)
    critique = CritiqueFactory(post=post, author=ben)
    AppreciationFactory(user=ben, post=post)
    MemberFactory(user=ben, collective_id=c)
    FellowFactory(user=ben, fellow_user_id=u)
    UserPreference.objects.create(user=ben)
    assert ben.id > u and channel.id > ch and post.id > p
    assert comment.id > next_ids["comment"] and critique.id > next_ids["critique"]


BAD_LINES = {
    "bad JSON": '{"kind": "user", "id": ',
    "not an object": "[1, 2]",
    "unknown kind": {"kind": "like", "user": 10, "post": 100},
    "missing kind": {"user": 10, "post": 100, "created_at": T},
    "missing field": {"kind": "user", "id": 40, "artist_type": "writer", "date_joined": T},
    "unknown field": {"kind": "heart", "user": 30, "post": 100, "created_at": T, "weight": 2},
    "string id": {"kind": "user", "id": "40", "username": "dan", "artist_type": "writer",
                  "date_joined": T},
    "boolean id": {"kind": "heart", "user": True, "post": 100, "created_at": T},
    "negative id": {"kind": "heart", "user": -1, "post": 100, "created_at": T},
    "wrong-typed text": {"kind": "comment", "id": 8, "user": 10, "post": 100, "text": 5,
                         "created_at": T},
    "wrong-typed flag": {"kind": "comment", "id": 8, "user": 10, "post": 100, "text": "x",
                         "created_at": T, "is_deleted": "no"},
    "title too long": {"kind": "post", "id": 300, "author": 10, "post_type": "poem",
                       "title": "x" * 201, "created_at": T},
    "bad time": {"kind": "heart", "user": 30, "post": 100, "created_at": "yesterday"},
    "time without offset": {"kind": "heart", "user": 30, "post": 100,
                            "created_at": "2026-01-01T10:00:00"},
    "unknown post_type": {"kind": "post", "id": 300, "author": 10, "post_type": "painting",
                          "title": "t", "created_at": T},
    "unknown artist_type": {"kind": "user", "id": 40, "username": "dan", "artist_type": "poet",
                            "date_joined": T},
    "bad username": {"kind": "user", "id": 40, "username": "dan smith", "artist_type": "writer",
                     "date_joined": T},
    "unknown visibility": {"kind": "collective", "id": 8, "name": "X", "visibility": "secret",
                           "created_by": 10, "created_at": T},
    "unknown role": {"kind": "member", "user": 30, "collective": 7, "role": "owner",
                     "joined_at": T},
    "unknown status": {"kind": "fellow", "from": 10, "to": 30, "status": "friends",
                       "created_at": T},
    "unknown user": {"kind": "heart", "user": 99, "post": 100, "created_at": T},
    "unknown post": {"kind": "comment", "id": 8, "user": 10, "post": 999, "text": "x",
                     "created_at": T},
    "unknown channel": {"kind": "post", "id": 300, "author": 10, "post_type": "poem",
                        "title": "t", "channel": 71, "created_at": T},
    "channel of a missing collective": {"kind": "channel", "id": 71, "collective": 8,
                                        "name": "general"},
    "unknown muted collective": {"kind": "preference", "user": 30, "muted_collectives": [8]},
    "unknown blocked user": {"kind": "preference", "user": 30, "blocked_users": [99]},
    "blocking yourself": {"kind": "preference", "user": 30, "blocked_users": [30]},
    "unknown preferred type": {"kind": "preference", "user": 30,
                               "preferred_post_types": ["sculpture"]},
    "duplicate user id": {"kind": "user", "id": 20, "username": "dan", "artist_type": "writer",
                          "date_joined": T},
    "duplicate username": {"kind": "user", "id": 40, "username": "ana", "artist_type": "writer",
                           "date_joined": T},
    "duplicate username but for case": {"kind": "user", "id": 40, "username": "Ana",
                                        "artist_type": "writer", "date_joined": T},
    "duplicate post id": {"kind": "post", "id": 100, "author": 10, "post_type": "poem",
                          "title": "t", "created_at": T},
    "duplicate comment id": {"kind": "comment", "id": 5, "user": 10, "post": 100, "text": "x",
                             "created_at": T},
    "reply to a missing comment": {"kind": "comment", "id": 8, "user": 10, "post": 100,
                                   "text": "x", "created_at": T, "reply_to": 99},
    "reply to a comment on another post": {"kind": "comment", "id": 8, "user": 10,
                                           "post": 100, "text": "x", "created_at": T,
                                           "reply_to": 3},
    "reply to a reply": {"kind": "comment", "id": 8, "user": 10, "post": 100, "text": "x",
                         "created_at": T, "reply_to": 4},
    "reply to a critique": {"kind": "comment", "id": 8, "user": 10, "post": 200, "text": "x",
                            "created_at": T, "reply_to": 9},
    "reply_to on a critique": {"kind": "critique", "id": 10, "user": 10, "post": 200,
                               "text": "x", "created_at": T, "reply_to": 3},
    "string reply_to": {"kind": "comment", "id": 8, "user": 10, "post": 100, "text": "x",
                        "created_at": T, "reply_to": "5"},
    "duplicate heart": {"kind": "heart", "user": 20, "post": 100, "created_at": T},
    "duplicate member": {"kind": "member", "user": 20, "collective": 7, "role": "member",
                         "joined_at": T},
    "duplicate fellow pair, reversed": {"kind": "fellow", "from": 20, "to": 10,
                                        "status": "pending", "created_at": T},
    "own fellow": {"kind": "fellow", "from": 30, "to": 30, "status": "pending",
                   "created_at": T},
    "duplicate channel name": {"kind": "channel", "id": 71, "collective": 7, "name": "general"},
    "duplicate preference": {"kind": "preference", "user": 20},
    "duplicate seen": {"kind": "seen", "user": 20, "post": 100, "seen_at": T},
    "password and hash": {"kind": "user", "id": 40, "username": "dan", "password": "a",
                          "password_hash": "md5$x$y", "artist_type": "writer",
                          "date_joined": T},
    "pin of someone else's post": {"kind": "pin", "user": 10, "post": 200, "position": 0},
    "pin at a fourth position": {"kind": "pin", "user": 10, "post": 100, "position": 3},
    "pin of an unknown post": {"kind": "pin", "user": 10, "post": 999, "position": 0},
    "display name too long": {"kind": "user", "id": 40, "username": "dan",
                              "artist_type": "writer", "date_joined": T,
                              "display_name": "x" * 51},
    "bio too long": {"kind": "user", "id": 40, "username": "dan", "artist_type": "writer",
                     "date_joined": T, "bio": "x" * 1001},
    "deleted_at on a live post": {"kind": "post", "id": 300, "author": 10, "post_type": "poem",
                                  "title": "t", "created_at": T, "deleted_at": T},
}  # fmt: skip


@pytest.mark.parametrize("bad", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_a_bad_line_aborts_with_its_number_and_writes_nothing(write_dump, bad):
    records = community()
    bad_line = len(records) + 1
    # --batch-size 1: earlier rows are already written when the bad line comes, so this
    # also proves the rollback.
    path = write_dump([*records, bad, records[0]])

    with pytest.raises(CommandError, match=rf"line {bad_line}\b.*nothing was imported"):
        import_dump(path, "--batch-size", "1")
    assert_nothing_imported()


def test_a_reference_must_point_to_an_earlier_line(write_dump):
    records = community()
    heart = records.pop(10)
    path = write_dump([heart, *records])

    with pytest.raises(CommandError, match=r"line 1: heart refers to user 20, which no earlier"):
        import_dump(path)
    assert_nothing_imported()


def test_blank_lines_are_skipped_and_still_counted(write_dump):
    records = community()
    path = write_dump([records[0], "", {"kind": "nonsense"}])

    with pytest.raises(CommandError, match=r"line 3: unknown kind 'nonsense'"):
        import_dump(path)


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        import_dump(tmp_path / "nope.jsonl")


def test_import_retires_every_cached_feed(write_dump):
    """Ids in the cache may belong to the database the import replaced: every imported
    user's versions start above any version the replaced database could have reached."""
    from atelier.core.models import User
    from atelier.feed import versions

    earlier = User.objects.create(id=20, username="replaced")
    versions.bump(20, relations=True)
    before = versions.read(20)
    earlier.delete()
    import_dump(write_dump(community()))
    after = versions.read(20)
    assert after[0] > before[0] and after[1] > before[1]


# Lines the fast JSON decoder reads otherwise than the json module (a huge integer as a
# float, NaN refused): the messages still quote what the line says.
NUMBERS_JSON_READS_DIFFERENTLY = {
    "huge id": (
        '{"kind": "heart", "user": 99999999999999999999, "post": 100, "created_at": "T"}',
        'heart "user" must be a positive integer id, got 99999999999999999999',
    ),
    "NaN time": (
        '{"kind": "heart", "user": 30, "post": 100, "created_at": NaN}',
        'heart "created_at" must be an ISO 8601 time string, got nan',
    ),
    "huge id in a list": (
        '{"kind": "preference", "user": 30, "blocked_users": [18446744073709551616]}',
        'preference "blocked_users" must be a positive integer id, got 18446744073709551616',
    ),
}


@pytest.mark.parametrize(
    "line, message",
    NUMBERS_JSON_READS_DIFFERENTLY.values(),
    ids=NUMBERS_JSON_READS_DIFFERENTLY.keys(),
)
def test_numbers_are_quoted_as_written(write_dump, line, message):
    records = community()
    path = write_dump([*records, line.replace('"T"', f'"{T}"')])

    with pytest.raises(CommandError) as raised:
        import_dump(path)
    assert f"line {len(records) + 1}: {message};" in str(raised.value)


def _indexes_and_constraints() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            """
        )
        return indexes | set(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL sets indexes aside")
def test_every_index_and_constraint_is_back_after_an_import(write_dump):
    before = _indexes_and_constraints()
    with pytest.raises(CommandError):
        import_dump(write_dump([*community(), {"kind": "nonsense"}]), "--batch-size", "1")
    assert _indexes_and_constraints() == before  # the failed import rolled back its DDL

    import_dump(write_dump(community()))

    assert _indexes_and_constraints() == before
    # The foreign keys hold again: a row pointing nowhere is refused at commit.
    with pytest.raises(IntegrityError), transaction.atomic():
        Appreciation.objects.create(user_id=10, post_id=100, post_author_id=999, kind="heart")
        connection.check_constraints()


@pytest.mark.django_db
def test_recounting_resets_counters_that_have_no_rows_left():
    """Outside an import (posts written with zeros) a post whose rows are gone must read 0:
    the grouped recount only visits posts that still have rows."""
    from atelier.dump.importer import _recount_posts

    kept, emptied = PostFactory(), PostFactory()
    CommentFactory(post=kept)
    Post.objects.filter(id=emptied.id).update(
        hearts_count=4, praise_count=3, trophy_count=2, comment_count=27, critique_count=1
    )
    _recount_posts()
    counts = dict(Post.objects.values_list("id", "comment_count"))
    assert counts == {kept.id: 1, emptied.id: 0}
    emptied.refresh_from_db()
    assert (emptied.hearts_count, emptied.praise_count, emptied.trophy_count) == (0, 0, 0)
    assert emptied.critique_count == 0


def test_a_dump_out_of_the_exporters_order_imports_the_same(write_dump):
    """Tables are settled (indexes back) as the file moves past their kind; a record that
    comes later than the exporter would write it still goes in, and is checked as usual."""
    records = community()
    late_user = {"kind": "user", "id": 40, "username": "dora", "artist_type": "writer",
                 "date_joined": T}  # fmt: skip
    late = [
        late_user,  # after comments: the user table was settled long before
        {"kind": "fellow", "from": 40, "to": 10, "status": "accepted", "created_at": T},
        {"kind": "member", "user": 40, "collective": 7, "role": "member", "joined_at": T},
        {"kind": "heart", "user": 40, "post": 100, "created_at": T},
    ]
    position = next(i for i, r in enumerate(records) if r["kind"] == "preference")
    before = _indexes_and_constraints() if connection.vendor == "postgresql" else None

    import_dump(write_dump([*records[:position], *late, *records[position:]]), "--batch-size", "1")

    assert User.objects.filter(id=40, username="dora").exists()
    assert UserFellow.objects.filter(user_id=40, fellow_user_id=10).exists()
    assert CollectiveMember.objects.filter(user_id=40, collective_id=7).exists()
    assert Post.objects.get(id=100).hearts_count == 2
    assert Collective.objects.get(id=7).members_count == 3
    if before is not None:
        assert _indexes_and_constraints() == before


def test_a_duplicate_after_its_table_was_settled_is_still_refused(write_dump):
    records = community()  # the duplicate comes after the comments: hearts were settled
    position = next(i for i, r in enumerate(records) if r["kind"] == "preference")
    again = {"kind": "heart", "user": 20, "post": 100, "created_at": T}
    with pytest.raises(CommandError, match=rf"line {position + 1}: duplicate heart"):
        import_dump(write_dump([*records[:position], again, *records[position:]]))
    assert_nothing_imported()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the copying thread is PostgreSQL's")
def test_a_failure_on_the_copying_thread_aborts_the_import(write_dump, monkeypatch):
    from atelier.dump import importer

    real_copy, calls = importer._Copier._copy, []

    def failing_copy(self, cursor, model, *args):
        calls.append(model)
        if model is Post:
            raise RuntimeError("the server went away")
        return real_copy(self, cursor, model, *args)

    monkeypatch.setattr(importer._Copier, "_copy", failing_copy)
    before = _indexes_and_constraints()

    with pytest.raises(RuntimeError, match="the server went away"):
        import_dump(write_dump(community()), "--batch-size", "1")

    assert Post in calls
    # Nothing queued after the failure was written, and the rollback restored the DDL.
    assert calls.count(Post) == 1
    assert_nothing_imported()
    assert _indexes_and_constraints() == before


@pytest.mark.parametrize(
    ("reply_to", "post", "message"),
    [
        (99, 100, "comment replies to comment 99, which no earlier line defines"),
        (3, 100, "comment replies to comment 3, which is on post 200, not post 100"),
        (4, 100, "comment replies to comment 4, which is itself a reply"),
    ],
)
def test_a_reply_must_answer_an_earlier_top_comment_of_its_post(
    write_dump, reply_to, post, message
):
    records = community()
    bad = {"kind": "comment", "id": 8, "user": 10, "post": post, "text": "x", "created_at": T,
           "reply_to": reply_to}  # fmt: skip
    position = next(i for i, r in enumerate(records) if r["kind"] == "critique")

    with pytest.raises(CommandError, match=rf"line {position + 1}: {message}"):
        import_dump(write_dump([*records[:position], bad, *records[position:]]))
    assert_nothing_imported()


def test_a_reply_before_its_top_comment_is_refused(write_dump):
    records = community()
    reply = next(r for r in records if r.get("reply_to") == 5)
    records.remove(reply)
    first_comment = next(i for i, r in enumerate(records) if r["kind"] == "comment")
    records.insert(first_comment, reply)

    with pytest.raises(CommandError, match="replies to comment 5, which no earlier line"):
        import_dump(write_dump(records))


def test_two_pins_at_one_position_are_refused(write_dump):
    records = community()
    records.append({"kind": "post", "id": 300, "author": 10, "post_type": "poem",
                    "title": "t", "created_at": T})  # fmt: skip
    pins = [
        {"kind": "pin", "user": 10, "post": 100, "position": 0},
        {"kind": "pin", "user": 10, "post": 300, "position": 0},
    ]
    path = write_dump([*records[:10], records[-1], *records[10:-1], *pins])

    with pytest.raises(CommandError, match=r"two pins at position 0"):
        import_dump(path)
    assert_nothing_imported()
