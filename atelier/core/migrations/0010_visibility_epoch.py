from django.db import migrations, models

import atelier.core.models


def create_row(apps, schema_editor):
    apps.get_model("core", "VisibilityEpoch").objects.get_or_create(
        pk=1, defaults={"value": atelier.core.models.clock_version()}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_user_session_generation"),
    ]

    operations = [
        migrations.CreateModel(
            name="VisibilityEpoch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=atelier.core.models.clock_version)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
