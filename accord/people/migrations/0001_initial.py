"""People take over the forum's account tables as they stand, copying no row.

The tables keep their names (``forum_person`` …, ``db_table`` in the models), so
only Django's record of which app owns them changes: this migration adds them to
the people app's state and ``forum.0004_people_moved`` drops them from the
forum's, both without touching the database.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("forum", "0003_people"),
        ("otp_totp", "0003_add_timestamps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Authenticator",
                    fields=[],
                    options={
                        "proxy": True,
                        "indexes": [],
                        "constraints": [],
                    },
                    bases=("otp_totp.totpdevice",),
                ),
                migrations.CreateModel(
                    name="Person",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("handle", models.CharField(max_length=40, unique=True)),
                        ("party", models.CharField(max_length=32)),
                        ("role", models.CharField(max_length=16)),
                        ("name", models.CharField(max_length=200)),
                        ("email", models.EmailField(max_length=254)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="person",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "forum_person",
                    },
                ),
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("label", models.CharField(max_length=100)),
                        ("second_factor", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField()),
                        ("last_used_at", models.DateTimeField(null=True)),
                        ("revoked_at", models.DateTimeField(null=True)),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tokens",
                                to="people.person",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "forum_apitoken",
                    },
                ),
                migrations.CreateModel(
                    name="AccountChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "change",
                            models.CharField(
                                choices=[
                                    ("second_factor_reset", "second_factor_reset"),
                                    ("deactivated", "deactivated"),
                                ],
                                max_length=32,
                            ),
                        ),
                        ("by", models.CharField(max_length=40)),
                        ("at", models.DateTimeField()),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="account_changes",
                                to="people.person",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "forum_accountchange",
                        "ordering": ["-at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="SignInLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("expires_at", models.DateTimeField()),
                        ("used_at", models.DateTimeField(null=True)),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="people.person"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "forum_signinlink",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
