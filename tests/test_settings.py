"""Zero-configuration settings, and the database they open, on SQLite and PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_manage_py_check_passes_with_no_configuration(tmp_path: Path) -> None:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "DATABASE_"))
    }
    environment["ACCORD_VAR_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_debug_off_with_no_secret_given_starts_on_a_generated_key(tmp_path: Path) -> None:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "DATABASE_"))
    }
    environment.update(ACCORD_VAR_DIR=str(tmp_path), ACCORD_DEBUG="false")
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Accord made ACCORD_SECRET_KEY" in done.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_the_database_is_migrated_and_writable() -> None:
    Group.objects.create(name="secretariat")
    assert Group.objects.filter(name="secretariat").count() == 1


@pytest.mark.django_db
def test_migrations_are_complete() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_sqlite_runs_in_wal_with_full_sync_or_postgres_is_used() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone() == (2,)  # FULL
        options = settings.DATABASES["default"]["OPTIONS"]
        assert isinstance(options, dict)
        assert options["transaction_mode"] == "IMMEDIATE"
    else:
        assert connection.vendor == "postgresql"
        assert os.environ["DATABASE_URL"].startswith("postgres")
