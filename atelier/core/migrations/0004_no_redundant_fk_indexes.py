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
        ('core', '0003_user_feed_version_user_relations_version'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='userfellow',
                    name='fellow_user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='fellow_requests_received', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='userfellow',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='fellow_requests_sent', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS core_userfellow_user_id_cec3106f",
                    "CREATE INDEX core_userfellow_user_id_cec3106f ON core_userfellow (user_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS core_userfellow_fellow_user_id_83d2a003",
                    "CREATE INDEX core_userfellow_fellow_user_id_83d2a003 ON core_userfellow (fellow_user_id)",
                ),
            ],
        ),
    ]
