"""Moving the account tables to the people app keeps every row: a database in the old
layout (people in the forum app, up to forum.0003) migrates forward with nothing copied."""

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accord.people.models import AccountChange, ApiToken, Person, SignInLink, token_hash

pytestmark = pytest.mark.django_db(transaction=True)

OLD_LAYOUT = [("forum", "0003_people")]
MOVED = [("forum", "0004_people_moved"), ("people", "0001_initial")]
"""Just after the move: later migrations (new projections) may add tables of their own."""
WHEN = datetime(2025, 2, 1, 12, tzinfo=UTC)


def _migrate(targets: Sequence[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh graph: the applied set changed


def _fill_old_layout() -> None:
    """One person with a link, a token and an account change, through the old models."""
    old = MigrationExecutor(connection).loader.project_state(OLD_LAYOUT).apps
    user = old.get_model("auth", "User").objects.create(username="aa.head", email="h@aa.example")
    person = old.get_model("forum", "Person").objects.create(
        handle="aa.head", party="AA", role="head", name="Head", email="h@aa.example", user=user
    )
    old.get_model("forum", "SignInLink").objects.create(
        token_hash=token_hash("link"), person=person, expires_at=WHEN
    )
    old.get_model("forum", "ApiToken").objects.create(
        token_hash=token_hash("acc_x"), person=person, label="script", created_at=WHEN
    )
    old.get_model("forum", "AccountChange").objects.create(
        person=person, change="second_factor_reset", by="sec.registrar", at=WHEN
    )


def test_people_added_under_the_forum_app_survive_the_move_to_people() -> None:
    _migrate(OLD_LAYOUT)
    _fill_old_layout()
    executor = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())
    person = Person.objects.get(handle="aa.head")
    assert (person.party, person.role, person.user.username) == ("AA", "head", "aa.head")
    assert SignInLink.objects.get(person=person).token_hash == token_hash("link")
    assert ApiToken.objects.get(person=person).label == "script"
    assert AccountChange.objects.get(person=person).by == "sec.registrar"


def test_the_move_changes_no_table_so_no_row_is_copied() -> None:
    before = set(connection.introspection.table_names())
    _migrate(OLD_LAYOUT)
    old_tables = set(connection.introspection.table_names())
    _migrate(MOVED)
    moved_tables = set(connection.introspection.table_names())
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert moved_tables == old_tables
    assert {"forum_person", "forum_signinlink", "forum_apitoken"} <= moved_tables
    assert set(connection.introspection.table_names()) == before
    assert {"forum_person", "forum_signinlink", "forum_apitoken"} <= before
