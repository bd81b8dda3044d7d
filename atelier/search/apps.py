"""App configuration for search: posts, people, collectives (and tags, once they exist)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "atelier.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from atelier.search import index

        # SQLite rebuilds a table to alter it (a later migration of post's), which drops
        # the triggers that keep the full-text index in step: put them back after every
        # migrate (docs/search.md).
        post_migrate.connect(index.restore_after_migrate, sender=self)
