"""The affinity tables the services keep equal what a rebuild from the rows computes."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from atelier.feed import affinity
from atelier.feed.models import AuthorAffinity, TypeAffinity
from atelier.feed.tests.helpers import post
from atelier.post import services

pytestmark = pytest.mark.django_db


def _tables():
    authors = set(
        AuthorAffinity.objects.values_list(
            "viewer_id", "author_id", "hearts", "praise", "trophies", "total", "last_at",
            "comments",
        )
    )  # fmt: skip
    return authors, set(TypeAffinity.objects.values_list("viewer_id", "post_type", "total"))


def test_services_keep_the_tables_equal_to_a_rebuild(ana, ben, cleo):
    poem, image, other = post(ben, 3, post_type="poem"), post(ben, 2), post(cleo, 1)
    for kind in ("heart", "praise", "trophy"):
        services.appreciation_add(user=ana, post=poem, kind=kind)
    services.appreciation_add(user=ana, post=image, kind="heart")
    services.appreciation_add(user=ana, post=other, kind="heart")
    services.appreciation_add(user=cleo, post=poem, kind="heart")
    services.appreciation_remove(user=ana, post=poem, kind="praise")
    services.appreciation_remove(user=ana, post=other, kind="heart")  # the pair goes
    comment = services.remark_create(kind="comment", author=ana, post=other, text="Nice")
    services.remark_create(kind="comment", author=cleo, post=image, text="Yes")
    services.remark_soft_delete(kind="comment", remark=comment)
    services.remark_create(kind="comment", author=ana, post=image, text="Again")
    kept = _tables()

    affinity.rebuild()

    assert _tables() == kept
    row = AuthorAffinity.objects.get(viewer=ana, author=ben)
    assert (row.hearts, row.praise, row.trophies, row.total, row.comments) == (2, 0, 1, 3, 1)
    assert not AuthorAffinity.objects.filter(viewer=ana, author=cleo).exists()
    assert dict(TypeAffinity.objects.filter(viewer=ana).values_list("post_type", "total")) == {
        "poem": 2,
        "image": 1,
    }


def test_taking_back_the_latest_appreciation_moves_last_at_back(ana, ben):
    older, newer = post(ben, 30), post(ben, 2)
    services.appreciation_add(user=ana, post=older, kind="heart")
    first = AuthorAffinity.objects.get(viewer=ana, author=ben).last_at
    services.appreciation_add(user=ana, post=newer, kind="heart")
    assert AuthorAffinity.objects.get(viewer=ana, author=ben).last_at > first

    services.appreciation_remove(user=ana, post=newer, kind="heart")

    assert AuthorAffinity.objects.get(viewer=ana, author=ben).last_at == first


def test_the_repair_command_rebuilds_one_member_or_everyone(ana, ben, capsys):
    services.appreciation_add(user=ana, post=post(ben, 1), kind="heart")
    services.appreciation_add(user=ben, post=post(ana, 1), kind="heart")
    AuthorAffinity.objects.update(total=99, last_at=timezone.now())  # damaged by hand

    call_command("rebuild_affinity", "--user", str(ana.id))
    assert AuthorAffinity.objects.get(viewer=ana).total == 1
    assert AuthorAffinity.objects.get(viewer=ben).total == 99

    call_command("rebuild_affinity")
    assert AuthorAffinity.objects.get(viewer=ben).total == 1
    assert "Rebuilt 2 author and 2 post-type affinity rows" in capsys.readouterr().out
