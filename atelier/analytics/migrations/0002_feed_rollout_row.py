"""The one feed rollout row, with its defaults, so that staff find it in the admin."""

from django.db import migrations


def create_rollout(apps, schema_editor):
    FeedRollout = apps.get_model("analytics", "FeedRollout")
    FeedRollout.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [migrations.RunPython(create_rollout, migrations.RunPython.noop)]
