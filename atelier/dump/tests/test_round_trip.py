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
from atelier.moderation import services as moderation
from atelier.moderation.models import Appeal, AuditEntry, AuditLogImmutable, Decision, Report
from atelier.post.models import Comment, Critique, PinnedPost, Post, SeenPost
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
    in_channel = PostFactory(
        author=ben, post_type="image", channel=general, content_warning="Blood (painted)"
    )
    PostFactory(author=cleo, post_type="music", is_deleted=True, deleted_at=later)
    PostFactory(author=cleo, post_type="comic", is_deleted=True)  # deleted, time unknown
    for kind in ("heart", "praise", "trophy"):
        AppreciationFactory(user=ben, post=public, kind=kind)
    AppreciationFactory(user=ana, post=in_channel)
    lovely = CommentFactory(author=ben, post=public, text="Lovely\nline two")
    CommentFactory(author=cleo, post=public, is_deleted=True)
    # A reply with an id below its top comment's: the export still puts the top first.
    CommentFactory(id=lovely.id + 1000, author=ana, post=public, text="Thanks", reply_to=None)
    top = Comment.objects.get(id=lovely.id + 1000)
    CommentFactory(id=lovely.id + 500, author=ben, post=public, text="Agreed", reply_to=top)
    CommentFactory(author=cleo, post=public, text="Me too", reply_to=lovely)
    CritiqueFactory(author=ana, post=in_channel)
    preference = UserPreference.objects.create(
        user=ana, preferred_post_types=["poem", "image"], preferred_artist_types=["writer"]
    )
    preference.muted_collectives.add(hidden)
    BlockFactory(blocker=ana, blocked=cleo)
    BlockFactory(blocker=ben, blocked=cleo)  # a block without a preference row
    SeenPost.objects.create(user=ben, post=public, seen_at=timezone.now())
    # A profile: display name, a bio with a link and a line break, two pins in order.
    User.objects.filter(pk=ana.pk).update(
        display_name="Ana Inkwell", bio="Tides and salt.\nhttps://example.org/ana"
    )
    second = PostFactory(author=ana, post_type="image", title="Second")
    PinnedPost.objects.create(user=ana, post=second, position=0)
    PinnedPost.objects.create(user=ana, post=public, position=1)
    build_moderation(ana, ben, cleo, inkers)


def _act(actor, target, action: str, **extra) -> Decision:
    target_type = {Post: "post", Comment: "comment", Critique: "critique", User: "user"}.get(
        type(target), "collective"
    )
    return moderation.moderation_act(
        actor=actor,
        target_type=target_type,
        target_id=target.pk,
        action=action,
        reason=f"{action}: rule 2",
        **extra,
    )


def _report(reporter, target_type: str, target, category: str = "spam", text: str = ""):
    report, _ = moderation.report_create(
        reporter=reporter,
        target_type=target_type,
        target_id=target.pk,
        category=category,
        text=text,
    )
    return report


def build_moderation(ana, ben, cleo, inkers) -> None:
    """Every moderation record and state, made through moderation's services: reports open,
    resolved and dismissed (with their snapshots and decisions), decisions reversed and not,
    appeals pending, upheld and reversed, the audit log, removed posts, remarks and a
    collective, a suspended and a limited member, content warnings on a post and a remark."""
    mod = UserFactory(username="mod", is_staff=True)
    gone = UserFactory(username="gone", is_staff=True)  # deleted below: actor goes NULL
    dan = UserFactory(username="dan")
    eve = UserFactory(username="eve")
    spam = PostFactory(author=dan, title="Buy now")
    rant = PostFactory(author=eve, title="Rant")
    harsh = CommentFactory(author=eve, post=rant, text="You all")
    crit = CritiqueFactory(author=dan, post=rant, text="Dull")
    plain = CommentFactory(author=cleo, post=rant, text="Hm")

    _report(ana, "post", spam, text="ads everywhere")
    _report(ben, "post", spam, category="illegal")
    removed = _act(mod, spam, "remove")  # resolves both reports
    appeal = moderation.appeal_create(user=dan, decision_id=removed.pk, text="It was art")
    moderation.appeal_decide(actor=mod, appeal_id=appeal.id, outcome="uphold", reason="No.")

    _report(ben, "comment", harsh, category="harassment")
    _act(mod, harsh, "remove")
    _act(mod, crit, "mark_sensitive", content_warning="Spoilers")
    _act(mod, plain, "remove")
    _act(mod, eve, "limit")
    warned = _act(mod, eve, "warn")
    moderation.appeal_create(user=eve, decision_id=warned.pk, text="Pending, this one")

    _report(ana, "user", dan, category="spam")
    _act(mod, dan, "suspend")

    sensitive = _act(gone, rant, "mark_sensitive")  # previous: no warning
    appeal = moderation.appeal_create(user=eve, decision_id=sensitive.pk, text="Fine art")
    moderation.appeal_decide(actor=mod, appeal_id=appeal.id, outcome="reverse", reason="Yes.")
    _act(gone, inkers, "remove")

    gore = PostFactory(author=dan, title="Gore study")
    _act(mod, gore, "mark_sensitive", content_warning="Gore")  # by staff: the author can't lift it
    UserPreference.objects.update_or_create(user=cleo, defaults={"show_sensitive_content": True})

    _report(cleo, "post", rant, category="other")
    _act(mod, rant, "dismiss")
    _report(ana, "post", rant, category="self_harm", text="still open")  # open, no decision
    gone.delete()  # decisions and audit entries keep their names, actor NULL


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
        "appreciation", "comment", "critique", "preference", "seen", "pin", "decision", "report",
        "appeal", "audit_entry",
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
    replies = dict(Comment.objects.filter(reply_to__isnull=False).values_list("text", "reply_to"))
    tops = dict(Comment.objects.filter(reply_to__isnull=True).values_list("text", "id"))
    assert replies == {"Agreed": tops["Thanks"], "Me too": tops["Lovely\nline two"]}
    ana = User.objects.get(username="ana")
    assert (ana.display_name, ana.bio) == (
        "Ana Inkwell",
        "Tides and salt.\nhttps://example.org/ana",
    )
    pins = PinnedPost.objects.filter(user=ana).order_by("position")
    assert [pin.post.title for pin in pins] == ["Second", "Tide"]


def test_moderation_round_trips_with_its_links_and_states(tmp_path):
    build_community()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    export(first)
    records = read_dump(first)
    reports = [r for r in records if r["kind"] == "report"]
    before = {
        "states": _moderation_states(),
        "counts": {m: m.objects.count() for m in (Decision, Report, Appeal, AuditEntry)},
        "audit": list(AuditEntry.objects.order_by("id").values_list()),
    }

    empty_the_database()
    call_command("import_community", str(first), stdout=io.StringIO())
    export(second)

    assert read_dump(second) == records
    assert _moderation_states() == before["states"]
    assert {m: m.objects.count() for m in (Decision, Report, Appeal, AuditEntry)} == before[
        "counts"
    ]
    # The log keeps its times, names and the NULL actor of a deleted account.
    assert list(AuditEntry.objects.order_by("id").values_list()) == before["audit"]
    assert AuditEntry.objects.filter(actor__isnull=True, actor_name="gone").count() == 2
    # Reports keep their snapshot, status and decision.
    assert {r["status"] for r in reports} == {"open", "resolved", "dismissed"}
    spam = Report.objects.filter(text="ads everywhere").get()
    assert spam.snapshot["title"] == "Buy now" and spam.status == "resolved"
    assert spam.decision.action == "remove" and spam.decision.appeal.outcome == "uphold"
    reversed_ = Decision.objects.get(reversed_at__isnull=False)
    assert reversed_.previous == {"content_warning": None, "content_warning_by_staff": False}
    assert reversed_.appeal.outcome == "reverse"
    # The imported states work: the suspended member is inactive and cannot sign in.
    dan = User.objects.get(username="dan")
    assert dan.suspended_at is not None and not dan.is_active
    # The imported log is as append-only as the one written by the services.
    entry = AuditEntry.objects.first()
    with pytest.raises(AuditLogImmutable):
        entry.save()


def _moderation_states() -> dict:
    return {
        "users": set(
            User.objects.values_list("username", "is_active", "suspended_at", "limited_at")
        ),
        "posts": set(
            Post.objects.values_list(
                "title", "removed_at", "content_warning", "content_warning_by_staff"
            )
        ),
        "see_sensitive": set(
            UserPreference.objects.filter(show_sensitive_content=True).values_list(
                "user__username", flat=True
            )
        ),
        "comments": set(Comment.objects.values_list("text", "removed_at", "content_warning")),
        "critiques": set(Critique.objects.values_list("text", "removed_at", "content_warning")),
        "collectives": set(Collective.objects.values_list("name", "removed_at")),
    }


def test_dash_writes_stdout_and_the_summary_to_stderr(capsys):
    build_community()
    call_command("export_community", "-")

    captured = capsys.readouterr()
    assert captured.out.startswith('{"kind":"user"')
    assert "Exported" in captured.err and "Exported" not in captured.out


def test_a_hold_comes_back_from_the_open_reports(tmp_path):
    """A dump carries no `held_at`: the import holds again what the open reports hold."""
    author = UserFactory(username="held_author")
    held, other = PostFactory(author=author), PostFactory(author=author)
    for name in ("r1", "r2", "r3"):
        _report(UserFactory(username=name), "post", held)
    _report(UserFactory(username="r4"), "post", other)  # one report: not held
    assert Post.objects.get(pk=held.pk).held_at is not None
    path = tmp_path / "held.jsonl"
    export(path)
    holds_logged = AuditEntry.objects.filter(action="hold").count()

    empty_the_database()
    call_command("import_community", str(path), stdout=io.StringIO())

    assert Post.objects.get(pk=held.pk).held_at is not None
    assert Post.objects.get(pk=other.pk).held_at is None
    # The dump's own log already has the hold; the import adds no second entry.
    assert AuditEntry.objects.filter(action="hold").count() == holds_logged == 1
