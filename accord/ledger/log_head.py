"""The log's head row under its lock, and the plain SQL the single writer runs.

Every statement enters the log under the log head lock: ``BEGIN IMMEDIATE`` on
SQLite, a row lock on the state row on PostgreSQL. The writer's reads and
writes here are plain SQL because the ORM's per-query cost is most of what
``submit()`` spends besides the one signature check and the durable commit;
table names come from the models. Each read is one indexed row; ``batch``
sends several writes in one round trip on PostgreSQL.
"""

from datetime import datetime
from typing import Any

from django.db import connection

from accord.ledger.envelope import format_time, parse_time
from accord.ledger.errors import NotAllowed
from accord.ledger.models import ActorSeq, Entry, LogState, PartyKey, Receipt
from accord.lib import clock

INSERT_ENTRY = (
    f"INSERT INTO {Entry._meta.db_table} "  # noqa: SLF001, S608 -- names from our own models
    "(index, leaf, leaf_hash, logged_at, kind, actor, seq) VALUES (%s, %s, %s, %s, %s, %s, %s)"
).replace("(index,", '("index",')
UPDATE_STATE = f"UPDATE {LogState._meta.db_table} SET size = %s, last_logged_at = %s WHERE id = 1"  # noqa: SLF001, S608
INSERT_RECEIPT = f"INSERT INTO {Receipt._meta.db_table} (entry_id, note) VALUES (%s, %s)"  # noqa: SLF001, S608
SELECT_KEY = (
    f"SELECT party, custody, added_at, revoked_at FROM {PartyKey._meta.db_table} WHERE vkey = %s"  # noqa: SLF001, S608
)
SELECT_SEQ = f"SELECT last_seq FROM {ActorSeq._meta.db_table} WHERE actor = %s"  # noqa: SLF001, S608
UPSERT_SEQ = (
    f"INSERT INTO {ActorSeq._meta.db_table} (actor, last_seq) VALUES (%s, %s) "  # noqa: SLF001, S608
    "ON CONFLICT (actor) DO UPDATE SET last_seq = excluded.last_seq"
)
SELECT_STATE = (
    f"SELECT origin, log_vkey, secretariat, size, last_logged_at FROM {LogState._meta.db_table}"  # noqa: SLF001, S608
    " WHERE id = 1"
)

Write = tuple[str, tuple[Any, ...]]


def execute(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Run one statement; its rows, if it returns any. One round trip."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []


def batch(writes: list[Write]) -> None:
    """Run writes in order; on PostgreSQL in one round trip, which is most of their cost there."""
    if connection.vendor == "postgresql":
        sql = ";\n".join(statement for statement, _ in writes)
        execute(sql, tuple(value for _, params in writes for value in params))
        return
    for statement, params in writes:
        execute(statement, params)


def locked_state() -> LogState:
    """The log's state row, under the log head lock (a row lock on PostgreSQL; SQLite's
    IMMEDIATE transaction already holds the database's write lock). One read."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    rows = execute(SELECT_STATE + lock, ())
    if not rows:
        raise NotAllowed("this log has not been founded yet: run `accord log init`", "not_founded")
    origin, log_vkey, secretariat, size, last_logged_at = rows[0]
    return LogState(
        id=1,
        origin=origin,
        log_vkey=log_vkey,
        secretariat=secretariat,
        size=size,
        last_logged_at=last_logged_at,
    )


def log_time(state: LogState) -> tuple[str, datetime]:
    """``logged_at``: the clock, but never before the last entry's time."""
    now = clock.now()
    if state.last_logged_at and now < parse_time(state.last_logged_at):
        now = parse_time(state.last_logged_at)
    return format_time(now), now


def last_seq(actor: str) -> int:
    """The actor's last sequence number in the log, 0 before its first statement. One read."""
    rows = execute(SELECT_SEQ, (actor,))
    return int(str(rows[0][0])) if rows else 0


def key_row(vkey: str) -> tuple[Any, ...] | None:
    """(party, custody, added_at, revoked_at) of a registered key, or None. One read."""
    rows = execute(SELECT_KEY, (vkey,))
    return rows[0] if rows else None
