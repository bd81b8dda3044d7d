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
        ('collective', '0004_no_redundant_fk_indexes'),
        ('post', '0004_appreciation_created_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='appreciation',
                    name='post',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='appreciations', to='post.post'),
                ),
                migrations.AlterField(
                    model_name='appreciation',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='appreciations', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='comment',
                    name='author',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='comment',
                    name='post',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='post.post'),
                ),
                migrations.AlterField(
                    model_name='critique',
                    name='author',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='critique',
                    name='post',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='post.post'),
                ),
                migrations.AlterField(
                    model_name='post',
                    name='author',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='posts', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='post',
                    name='channel',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='posts', to='collective.channel'),
                ),
                migrations.AlterField(
                    model_name='post',
                    name='collective',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='posts', to='collective.collective'),
                ),
                migrations.AlterField(
                    model_name='seenpost',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_appreciation_post_id_c5d6a8b4",
                    "CREATE INDEX post_appreciation_post_id_c5d6a8b4 ON post_appreciation (post_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_appreciation_user_id_87b22650",
                    "CREATE INDEX post_appreciation_user_id_87b22650 ON post_appreciation (user_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_comment_author_id_d5c4c360",
                    "CREATE INDEX post_comment_author_id_d5c4c360 ON post_comment (author_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_comment_post_id_ddc2d815",
                    "CREATE INDEX post_comment_post_id_ddc2d815 ON post_comment (post_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_critique_author_id_fc559c6e",
                    "CREATE INDEX post_critique_author_id_fc559c6e ON post_critique (author_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_critique_post_id_1823f964",
                    "CREATE INDEX post_critique_post_id_1823f964 ON post_critique (post_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_post_author_id_99d134d5",
                    "CREATE INDEX post_post_author_id_99d134d5 ON post_post (author_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_post_channel_id_b47ea9ae",
                    "CREATE INDEX post_post_channel_id_b47ea9ae ON post_post (channel_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_post_collective_id_128bab26",
                    "CREATE INDEX post_post_collective_id_128bab26 ON post_post (collective_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS post_seenpost_user_id_c6bdaa87",
                    "CREATE INDEX post_seenpost_user_id_c6bdaa87 ON post_seenpost (user_id)",
                ),
            ],
        ),
    ]
