"""Replay a log's entries, given as bytes, in a throw-away in-memory SQLite database.

Evidence that a signed state digest is false (``digest-not-reproduced``,
docs/evidence.md) must be checkable by anyone with the package and the log's
key: no database server, no network, no host. This module is how: it runs
Accord's own ``accord.ledger.replay`` (the steps ``submit`` runs) over the
entries in a private SQLite database that lives in memory for the length of
one call and returns the public digest it reaches.

Django is needed for replay. When the process has not configured it (``accord
evidence check`` on an auditor's laptop), it is configured here with the apps
and nothing else: an in-memory database, a throw-away secret, no mail, no
network. When it is configured already (a host's or a node's process, a test),
the work runs in a thread of its own whose ``default`` connection is replaced
by the throw-away database, so the process's own database is never touched
and other threads are not affected.

Entries whose body is a blob need the blob's bytes: given to ``public_digest_of``,
they are written to the throw-away blob folder when Django was configured here;
in a process configured already, replay reads the process's own blob folder (a
node's mirror holds them), and a blob missing there is refused, naming the entry.

Cost: creating the tables (a few milliseconds per model), then O(n) in the
entries, about what ``accord replay`` costs for the same log (one signature
check and one ``apply`` per entry), and memory for every entry and projection.
"""

import secrets
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from accord.installed import INSTALLED

APPS = INSTALLED

SCRATCH = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
_configured_here: list[str] = []
"""The throw-away blob folder, once this module configured Django itself."""

Result = TypeVar("Result")


class ReplayRefused(Exception):  # noqa: N818 -- what the checker reports
    """The entries do not replay: the message names the first entry and why."""


def public_digest_of(entries: Sequence[bytes], blobs: Sequence[bytes] = ()) -> str:
    """The public state digest that replaying ``entries`` from an empty log reaches.

    ``blobs`` are the bodies of entries that refer to one (any order; each is found
    by its SHA-256). Raises ReplayRefused when an entry is not an Accord entry or
    replay would refuse it (a bad signature, a broken rule, a blob not at hand).
    """
    _configured()
    if _configured_here:
        _keep(blobs)
    return _in_scratch_database(lambda: _replayed(entries))


def _keep(blobs: Sequence[bytes]) -> None:
    from accord.ledger import blobs as store  # noqa: PLC0415 -- needs Django set up

    for blob in blobs:
        store.write(blob)


def _configured() -> None:
    from django.conf import settings  # noqa: PLC0415 -- Django only when a replay is asked for

    if settings.configured:
        return
    import django  # noqa: PLC0415

    scratch = tempfile.mkdtemp(prefix="accord-evidence-")
    _configured_here.append(scratch)
    settings.configure(
        INSTALLED_APPS=list(APPS),
        DATABASES={"default": dict(SCRATCH)},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        USE_TZ=True,
        TIME_ZONE="UTC",
        SECRET_KEY=secrets.token_urlsafe(50),
        VAR_DIR=scratch,
        ACCORD_BLOB_DIR=f"{scratch}/blobs",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    django.setup()


def _in_scratch_database(work: Callable[[], Result]) -> Result:
    """Run ``work`` in a thread whose ``default`` database is a fresh in-memory SQLite."""
    from django.db import connections  # noqa: PLC0415
    from django.db.utils import ConnectionHandler  # noqa: PLC0415

    outcome: list[Result] = []
    failure: list[BaseException] = []

    def run() -> None:
        connection = ConnectionHandler({"default": dict(SCRATCH)})["default"]
        connections["default"] = connection
        try:
            _create_tables()
            outcome.append(work())
        except BaseException as exc:  # noqa: BLE001 -- handed back to the calling thread
            failure.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="accord-scratch-replay")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def _create_tables() -> None:
    from django.apps import apps  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    with connection.schema_editor() as editor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:  # noqa: SLF001
                editor.create_model(model)


def _replayed(entries: Sequence[bytes]) -> str:
    from django.db import IntegrityError  # noqa: PLC0415

    from accord.ledger.envelope import Entry as EntryBytes  # noqa: PLC0415
    from accord.ledger.envelope import EnvelopeError  # noqa: PLC0415
    from accord.ledger.models import Entry  # noqa: PLC0415
    from accord.ledger.replay import Divergence, replay  # noqa: PLC0415
    from accord.tlog.merkle import leaf_hash  # noqa: PLC0415

    rows = []
    for index, leaf in enumerate(entries):
        try:
            statement = EntryBytes.from_bytes(leaf)
        except EnvelopeError as exc:
            raise ReplayRefused(f"entry {index} is not an Accord entry: {exc}") from None
        signed = statement.signed.statement
        rows.append(
            Entry(
                index=index,
                leaf=leaf,
                leaf_hash=leaf_hash(leaf),
                logged_at=statement.logged_at,
                kind=signed.kind,
                actor=signed.actor,
                seq=signed.seq,
            )
        )
    try:
        Entry.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        raise ReplayRefused(
            "two entries are signed by one actor with one sequence number"
        ) from None
    try:
        return replay(full=False).public_digest
    except Divergence as exc:
        raise ReplayRefused(str(exc)) from None
