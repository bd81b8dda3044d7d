"""Time on screen joins the rollup: DwellRollup, and an index to attribute reports from
the exposures' side. Buckets rolled up before hold no time on screen, so they are
forgotten: the summary reads raw until the next scheduled run rolls every hour up again."""

from django.db import migrations, models


def forget_buckets(apps, schema_editor):
    apps.get_model("analytics", "RollupBucket").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0004_rollups_idempotent_writes'),
    ]

    operations = [
        migrations.CreateModel(
            name='DwellRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.DateTimeField()),
                ('hours', models.PositiveSmallIntegerField()),
                ('source', models.CharField(max_length=8)),
                ('variant', models.CharField(blank=True, max_length=16)),
                ('seconds', models.FloatField()),
                ('viewed', models.PositiveIntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('hours', 'start', 'source', 'variant'), name='dwell_rollup_cell_uniq')],
            },
        ),
        migrations.AddIndex(
            model_name='postdwell',
            index=models.Index(fields=['user', 'post', 'recorded_at'], name='postdwell_user_post_idx'),
        ),
        migrations.RunPython(forget_buckets, migrations.RunPython.noop),
    ]
