"""The account tables now belong to the people app (``people.0001_initial``): the forum's
state forgets them; the database keeps every table and row as it was.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("forum", "0003_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="accountchange",
                    name="person",
                ),
                migrations.RemoveField(
                    model_name="apitoken",
                    name="person",
                ),
                migrations.RemoveField(
                    model_name="person",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="signinlink",
                    name="person",
                ),
                migrations.DeleteModel(
                    name="Authenticator",
                ),
                migrations.DeleteModel(
                    name="AccountChange",
                ),
                migrations.DeleteModel(
                    name="ApiToken",
                ),
                migrations.DeleteModel(
                    name="Person",
                ),
                migrations.DeleteModel(
                    name="SignInLink",
                ),
            ],
            database_operations=[],
        ),
    ]
