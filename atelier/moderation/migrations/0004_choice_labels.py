"""Labels for the report categories and the actions, in the words the pages show.

Only the choices' labels change (no column does): the pages read them from the API's
serializers (docs/pages.md).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0003_figures_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='decision',
            name='action',
            field=models.CharField(choices=[('remove', 'Remove'), ('restore', 'Restore'), ('mark_sensitive', 'Mark sensitive'), ('unmark_sensitive', 'Unmark sensitive'), ('warn', 'Warn'), ('limit', 'Limit'), ('unlimit', 'Lift the limit'), ('suspend', 'Suspend'), ('unsuspend', 'Lift the suspension'), ('dismiss', 'Dismiss')], max_length=20),
        ),
        migrations.AlterField(
            model_name='decision',
            name='category',
            field=models.CharField(choices=[('spam', 'Spam'), ('harassment', 'Harassment or bullying'), ('hate', 'Hate'), ('violence', 'Violence or threats'), ('sexual_content', 'Sexual content without a warning'), ('self_harm', 'Self-harm'), ('intellectual_property', 'Intellectual property'), ('illegal', 'Illegal content'), ('other', 'Other')], max_length=30),
        ),
        migrations.AlterField(
            model_name='report',
            name='category',
            field=models.CharField(choices=[('spam', 'Spam'), ('harassment', 'Harassment or bullying'), ('hate', 'Hate'), ('violence', 'Violence or threats'), ('sexual_content', 'Sexual content without a warning'), ('self_harm', 'Self-harm'), ('intellectual_property', 'Intellectual property'), ('illegal', 'Illegal content'), ('other', 'Other')], max_length=30),
        ),
    ]
