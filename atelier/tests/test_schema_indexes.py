"""The hot tables carry no single-column foreign-key index that a composite one already
serves (migrations *_no_redundant_fk_indexes): each would cost every write and import."""

import pytest
from django.db import connection

from atelier.collective.models import CollectiveMember
from atelier.core.models import UserFellow
from atelier.feed.models import AuthorAffinity, TypeAffinity
from atelier.post.models import Appreciation, Comment, Critique, Post, SeenPost

LEAN = {
    Post: ["author_id", "channel_id", "collective_id"],
    Appreciation: ["user_id", "post_id"],
    Comment: ["post_id", "author_id"],
    Critique: ["post_id", "author_id"],
    SeenPost: ["user_id"],
    UserFellow: ["user_id", "fellow_user_id"],
    AuthorAffinity: ["viewer_id"],
    TypeAffinity: ["viewer_id"],
    CollectiveMember: ["user_id", "collective_id"],
}


def _indexes(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]


@pytest.mark.django_db
@pytest.mark.parametrize("model", LEAN, ids=lambda m: m.__name__)
def test_foreign_keys_are_served_by_a_composite_index_only(model):
    indexes = _indexes(model._meta.db_table)
    for column in LEAN[model]:
        assert [column] not in indexes, f"{model._meta.db_table}.{column} has its own index"
        leading = [cols for cols in indexes if cols[:1] == [column] and len(cols) > 1]
        assert leading, f"nothing serves lookups by {model._meta.db_table}.{column}"
