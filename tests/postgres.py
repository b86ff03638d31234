"""Run the database tests again on PostgreSQL.

The URL is ``ACCORD_TEST_DATABASE_URL`` or the local server Accord's machines
run (``postgres://postgres@127.0.0.1:5432/accord``; pytest-django creates and
drops ``test_accord`` beside it). When the server cannot be reached the pass is
not run and this says so loudly; under ``CI=true`` that is a failure, never a
silent skip. The pure library tests (tests/tlog) do not touch a database and
run once, in the SQLite pass, and so do the browser tests (tests/e2e), whose
server uses a SQLite file of its own, and the forum of three parties' processes
(tests/node/test_forum_of_parties.py), whose host does too.
"""

import os
import subprocess
import sys

import dj_database_url
import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/accord"


def reachable(url: str) -> str | None:
    """None when PostgreSQL answers at ``url``, else the reason it does not."""
    config = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=str(config["HOST"]),
            port=int(config["PORT"] or 5432),
            user=str(config["USER"]),
            password=str(config["PASSWORD"] or ""),
            dbname="postgres",
            connect_timeout=5,
        ):
            return None
    except psycopg.Error as exc:
        return str(exc).strip()


def main() -> int:
    url = os.environ.get("ACCORD_TEST_DATABASE_URL", DEFAULT_URL)
    reason = reachable(url)
    if reason is not None:
        if os.environ.get("CI") == "true":
            print(f"FAILED: PostgreSQL is required in CI; {url}: {reason}", file=sys.stderr)
            return 1
        print(f"NOTE: PostgreSQL pass NOT RUN; {url} is not reachable: {reason}")
        return 0
    print(f"PostgreSQL pass on {url}")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--ignore=tests/tlog",
        "--ignore=tests/e2e",
        "--ignore=tests/node/test_forum_of_parties.py",
        "-p",
        "no:cov",
        "--create-db",
    ]
    return subprocess.call([*command, *sys.argv[1:]], env={**os.environ, "DATABASE_URL": url})


if __name__ == "__main__":
    sys.exit(main())
