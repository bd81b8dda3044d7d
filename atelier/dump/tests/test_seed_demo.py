"""seed_demo: deterministic for a seed and --now, the two accounts, --if-empty."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from atelier.collective.models import CollectiveMember
from atelier.core.choices import PostType
from atelier.core.models import User, UserFellow
from atelier.core.tests.factories import UserFactory
from atelier.dump.tests.helpers import empty_the_database, read_dump
from atelier.post.models import Appreciation, Comment, Post

pytestmark = pytest.mark.django_db

TINY = ("--users", "20", "--posts", "100", "--interactions", "300", "--days", "10")
NOW = "2026-03-01T12:00:00Z"


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *TINY, "--now", NOW, *args, stdout=out)
    return out.getvalue()


def exported(tmp_path, name: str) -> list[dict]:
    path = tmp_path / name
    call_command("export_community", str(path), stdout=io.StringIO())
    # Password hashes carry a random salt by design; everything else must be identical.
    return [{k: v for k, v in r.items() if k != "password_hash"} for r in read_dump(path)]


@pytest.mark.slow
def test_same_seed_and_now_give_the_same_community(tmp_path):
    seed("--seed", "7")
    first = exported(tmp_path, "first.jsonl")
    empty_the_database()
    seed("--seed", "7")
    second = exported(tmp_path, "second.jsonl")
    empty_the_database()
    seed("--seed", "8")
    other = exported(tmp_path, "other.jsonl")

    assert first == second
    assert first != other


@pytest.mark.slow
def test_demo_and_admin_accounts(tmp_path):
    output = seed()

    demo = authenticate(username="demo", password="demo-password")
    admin = authenticate(username="admin", password="admin-password")
    assert demo is not None and not demo.is_staff
    assert admin is not None and admin.is_staff and admin.is_superuser
    # The demo feed is personal: fellows, collectives and activity of their own.
    fellows = UserFellow.objects.filter(status="accepted").filter(user=demo) | (
        UserFellow.objects.filter(status="accepted", fellow_user=demo)
    )
    assert fellows.count() >= 5
    memberships = CollectiveMember.objects.filter(user=demo)
    assert memberships.count() == 3
    assert memberships.filter(collective__visibility="private").exists()
    assert Appreciation.objects.filter(user=demo).exists()
    assert "Log in as demo / demo-password" in output


@pytest.mark.slow
def test_the_community_looks_alive():
    seed()

    assert User.objects.count() == 20
    assert Post.objects.count() == 100
    assert set(Post.objects.values_list("post_type", flat=True)) == set(PostType.values)
    assert Post.objects.filter(channel__isnull=False).exists()
    kinds = set(Appreciation.objects.values_list("kind", flat=True))
    assert {"heart", "praise"} <= kinds
    assert Comment.objects.exists()
    hearts = sorted(Post.objects.values_list("hearts_count", flat=True), reverse=True)
    assert hearts[0] >= 3 * max(hearts[len(hearts) // 2], 1)  # a long tail


def test_if_empty_leaves_a_populated_database_alone():
    UserFactory(username="someone")

    output = seed("--if-empty")

    assert "already has users" in output
    assert list(User.objects.values_list("username", flat=True)) == ["someone"]


def test_without_if_empty_a_populated_database_is_refused():
    UserFactory(username="someone")

    with pytest.raises(CommandError, match="not empty"):
        seed()
