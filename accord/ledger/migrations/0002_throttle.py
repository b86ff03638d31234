"""Allowances: token buckets per client address and per party, for POST /api/v1/statements."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_integrity"),
    ]

    operations = [
        migrations.CreateModel(
            name="Allowance",
            fields=[
                ("key", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("level", models.BigIntegerField()),
                ("updated_at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
