"""export_community: the format, and export → import → export giving the same file."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from atelier.collective.models import Collective, CollectiveBan, CollectiveModerator
from atelier.collective.tests.factories import ChannelFactory, CollectiveFactory, MemberFactory
from atelier.core.models import User, UserFellow, UserPreference
from atelier.core.tests.factories import BlockFactory, FellowFactory, UserFactory
from atelier.dump.records import APPRECIATION_KINDS, KIND_ORDER
from atelier.dump.tests.helpers import empty_the_database, read_dump
from atelier.feed.tests.factories import AppreciationFactory
from atelier.post.models import Post, SeenPost
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory

pytestmark = pytest.mark.django_db


def build_community() -> None:
    """One of everything the format carries, including the optional fields."""
    ana = UserFactory(username="ana", artist_type="writer", email="ana@example.com")
    ben = UserFactory(username="ben", artist_type="photographer", first_name="Ben")
    cleo = UserFactory(username="cleo", artist_type="musician")
    cleo.set_unusable_password()
    cleo.save()
    UserFactory(username="root", is_staff=True, is_superuser=True, is_active=False)
    later = timezone.now() + timedelta(hours=1)
    FellowFactory(user=ana, fellow_user=ben, responded_at=later)
    FellowFactory(user=cleo, fellow_user=ana, status=UserFellow.Status.PENDING)
    FellowFactory(user=ben, fellow_user=cleo, status=UserFellow.Status.DECLINED)
    inkers = CollectiveFactory(name="Inkers", created_by=ana)
    hidden = CollectiveFactory(name="Hidden", visibility=Collective.Visibility.PRIVATE)
    hidden.created_by = None
    hidden.save()
    general = ChannelFactory(collective=inkers, name="general")
    ChannelFactory(collective=hidden, name="general")
    MemberFactory(collective=inkers, user=ana, role="admin")
    MemberFactory(collective=inkers, user=ben)
    now = timezone.now()
    CollectiveModerator.objects.create(
        collective=inkers, user=ben, appointed_by=ana, created_at=now
    )
    CollectiveBan.objects.create(
        collective=inkers, user=cleo, banned_by=ana, reason="Spam, twice", created_at=now
    )
    # Whoever banned him has since left (banned_by null).
    CollectiveBan.objects.create(collective=hidden, user=ben, reason="Leaks", created_at=now)
    public = PostFactory(author=ana, post_type="poem", title="Tide", body="Salt and ✶")
    in_channel = PostFactory(author=ben, post_type="image", channel=general)
    PostFactory(author=cleo, post_type="music", is_deleted=True, deleted_at=later)
    PostFactory(author=cleo, post_type="comic", is_deleted=True)  # deleted, time unknown
    for kind in ("heart", "praise", "trophy"):
        AppreciationFactory(user=ben, post=public, kind=kind)
    AppreciationFactory(user=ana, post=in_channel)
    CommentFactory(author=ben, post=public, text="Lovely\nline two")
    CommentFactory(author=cleo, post=public, is_deleted=True)
    CritiqueFactory(author=ana, post=in_channel)
    preference = UserPreference.objects.create(
        user=ana, preferred_post_types=["poem", "image"], preferred_artist_types=["writer"]
    )
    preference.muted_collectives.add(hidden)
    BlockFactory(blocker=ana, blocked=cleo)
    BlockFactory(blocker=ben, blocked=cleo)  # a block without a preference row
    SeenPost.objects.create(user=ben, post=public, seen_at=timezone.now())


def export(path) -> str:
    out = io.StringIO()
    call_command("export_community", str(path), stdout=out)
    return out.getvalue()


def test_export_writes_every_kind_in_dependency_order(tmp_path):
    build_community()
    path = tmp_path / "community.jsonl"
    summary = export(path)

    records = read_dump(path)
    kinds = [record["kind"] for record in records]
    assert set(kinds) == set(KIND_ORDER)
    # Hearts, praise and trophies come together, by id; every other kind in its block.
    blocks = [
        "user", "collective", "channel", "member", "moderator", "ban", "fellow", "post",
        "appreciation", "comment", "critique", "preference", "seen",
    ]  # fmt: skip
    position = [blocks.index("appreciation" if k in APPRECIATION_KINDS else k) for k in kinds]
    assert position == sorted(position)
    user = next(r for r in records if r["kind"] == "user" and r["username"] == "ana")
    assert user["password_hash"].startswith("md5$") and "password" not in user
    assert user["date_joined"].endswith("Z")
    cleo = next(r for r in records if r["kind"] == "user" and r["username"] == "cleo")
    assert "password_hash" not in cleo  # unusable: nothing worth carrying
    assert "Exported" in summary


def test_export_import_export_round_trips(tmp_path):
    build_community()
    first, second = tmp_path / "first.jsonl.gz", tmp_path / "second.jsonl.gz"
    export(first)
    post_ids = sorted(Post.objects.values_list("id", flat=True))
    passwords = dict(User.objects.values_list("username", "password"))

    empty_the_database()
    call_command("import_community", str(first), stdout=io.StringIO())
    export(second)

    assert first.read_bytes()[:2] == b"\x1f\x8b"  # .gz in the name: gzip on disk
    assert read_dump(second) == read_dump(first)
    assert sorted(Post.objects.values_list("id", flat=True)) == post_ids
    assert User.objects.get(username="ana").password == passwords["ana"]
    assert not User.objects.get(username="cleo").has_usable_password()
    assert Post.objects.get(title="Tide").hearts_count == 1


def test_dash_writes_stdout_and_the_summary_to_stderr(capsys):
    build_community()
    call_command("export_community", "-")

    captured = capsys.readouterr()
    assert captured.out.startswith('{"kind":"user"')
    assert "Exported" in captured.err and "Exported" not in captured.out
