"""The full-text index of posts and the trigram indexes of names (atelier/search/index.py).

Each vendor gets its own (PostgreSQL: a tsvector column kept by a trigger, GIN and
trigram indexes; SQLite: an FTS5 table kept by triggers); on any other database it does
nothing.
"""

from django.db import migrations

from atelier.search import index


def forwards(apps, schema_editor):
    index.install(schema_editor.connection)


def backwards(apps, schema_editor):
    index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_user_moderation_states"),
        ("collective", "0005_collective_removed_at"),
        ("post", "0006_moderation_states"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
