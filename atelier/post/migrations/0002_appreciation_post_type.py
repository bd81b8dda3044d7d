"""Denormalise the post type onto appreciations, backfilled, with a covering index."""

from django.db import migrations, models

BACKFILL = """
UPDATE post_appreciation
SET post_type = (SELECT p.post_type FROM post_post p WHERE p.id = post_appreciation.post_id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("post", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="appreciation",
            name="post_type",
            field=models.CharField(
                choices=[
                    ("image", "Image"),
                    ("video", "Video"),
                    ("novel", "Novel"),
                    ("poem", "Poem"),
                    ("music", "Music"),
                    ("comic", "Comic"),
                ],
                default="image",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveIndex(model_name="appreciation", name="appr_user_author_idx"),
        migrations.AddIndex(
            model_name="appreciation",
            index=models.Index(
                fields=["user", "post_author", "post_type", "created_at"],
                name="appr_user_stats_idx",
            ),
        ),
    ]
