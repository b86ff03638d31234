"""Numbered refusals and counted checkpoints, so a deleted or duplicated row shows.

Refusals signed before this migration keep no number (their notes carry none);
the checkpoint count starts at the checkpoints already stored.
"""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def count_checkpoints(apps: Apps, _schema_editor: BaseDatabaseSchemaEditor) -> None:
    log_state = apps.get_model("ledger", "LogState")
    checkpoint = apps.get_model("ledger", "Checkpoint")
    log_state.objects.update(checkpoints=checkpoint.objects.count())


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_outbox_claims"),
    ]

    operations = [
        migrations.AddField(
            model_name="logstate",
            name="checkpoints",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="logstate",
            name="refusals",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="refusal",
            name="number",
            field=models.BigIntegerField(db_index=True, null=True),
        ),
        migrations.RunPython(count_checkpoints, migrations.RunPython.noop),
    ]
