"""Drop single-column foreign-key indexes that a composite index leading with the same
column already serves: each one cost every write and every import, and served nothing.

Only the indexes go (the state says db_index=False); the foreign keys stay as they are.
Django's AlterField would drop and re-add each foreign key, validating it again with a
join over the whole table under a lock, hence the plain DROP INDEX.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feed', '0004_affinity_without_db_constraints'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='authoraffinity',
                    name='viewer',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='author_affinities', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='typeaffinity',
                    name='viewer',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='type_affinities', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS feed_authoraffinity_viewer_id_1f348ba4",
                    "CREATE INDEX feed_authoraffinity_viewer_id_1f348ba4 ON feed_authoraffinity (viewer_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS feed_typeaffinity_viewer_id_d5fc9d73",
                    "CREATE INDEX feed_typeaffinity_viewer_id_d5fc9d73 ON feed_typeaffinity (viewer_id)",
                ),
            ],
        ),
    ]
