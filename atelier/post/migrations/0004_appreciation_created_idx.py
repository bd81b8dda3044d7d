from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('post', '0003_post_media_count'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='appreciation',
            index=models.Index(fields=['created_at'], name='appr_created_idx'),
        ),
    ]
