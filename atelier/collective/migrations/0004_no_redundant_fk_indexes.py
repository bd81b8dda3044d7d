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
        ('collective', '0003_channel_name_unique_ignoring_case'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='collectivemember',
                    name='collective',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='members', to='collective.collective'),
                ),
                migrations.AlterField(
                    model_name='collectivemember',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS collective_collectivemember_user_id_240fb8bd",
                    "CREATE INDEX collective_collectivemember_user_id_240fb8bd ON collective_collectivemember (user_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS collective_collectivemember_collective_id_2e36cb97",
                    "CREATE INDEX collective_collectivemember_collective_id_2e36cb97 ON collective_collectivemember (collective_id)",
                ),
            ],
        ),
    ]
