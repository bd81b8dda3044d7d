"""The full-text index stays in step through schema changes of post_post (search/index.py)."""

import pytest
from django.db import connection
from django.db.models import CharField

from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory
from atelier.search import index, selectors
from atelier.search.apps import SearchConfig
from atelier.search.query import parse


def _found(q: str) -> list[int]:
    page = selectors.search_posts(None, parse(q), offset=0, limit=20)
    return [post.id for post in page.results]


def _alter_title(max_length: int) -> None:
    old = Post._meta.get_field("title")
    new = CharField(max_length=max_length)
    new.set_attributes_from_name("title")
    new.model = Post
    with connection.schema_editor() as editor:
        editor.alter_field(Post, old, new)


@pytest.mark.django_db(transaction=True)
def test_a_later_migration_of_posts_keeps_search_working():
    """SQLite rebuilds post_post to alter a column, dropping its triggers: the post_migrate
    hook puts them back and rebuilds the index. PostgreSQL alters the column in place (a
    generated column would have refused the new type)."""
    before = PostFactory(title="Walnut ink")
    try:
        _alter_title(250)
        if connection.vendor == "sqlite":
            assert index.missing_sqlite_triggers(connection) == list(index.SQLITE_TRIGGERS)
        during = PostFactory(title="Walnut oil")  # written before the hook runs
        index.restore_after_migrate(sender=SearchConfig, using="default")
    finally:
        _alter_title(200)
        index.restore_after_migrate(sender=SearchConfig, using="default")

    after = PostFactory(title="Walnut charcoal")
    assert sorted(_found("walnut")) == [before.id, during.id, after.id]
    Post.objects.filter(pk=after.pk).update(title="Gouache")
    assert _found("charcoal") == []
    assert _found("gouache") == [after.id]
    if connection.vendor == "sqlite":
        assert index.missing_sqlite_triggers(connection) == []
