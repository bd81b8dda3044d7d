from django.db import migrations, models


class Migration(migrations.Migration):
    """The visibility rule's NOT IN over the limited members reads this partial index of
    those few, not every user (the suspended and held have user_hidden_idx)."""

    dependencies = [
        ("core", "0011_user_profile"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                condition=models.Q(("limited_at__isnull", False)),
                fields=["id"],
                name="user_limited_idx",
            ),
        ),
    ]
