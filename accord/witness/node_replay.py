"""The node's replay: the mirrored entries into the node's own SQLite database, by Accord's code.

The node process configures Django for DIR/node.sqlite3 (and DIR/var beside it)
the first time a sync needs it, migrates it, and from then on appends only the
entries the database does not hold yet with ``accord.ledger.replay.replay_onto``:
the loop ``accord replay`` runs, judged by the rules ``submit`` applies. The
database is derived from the mirror alone, so a node stopped between keeping a
checkpoint and replaying it catches up at the next sync, and ``accord replay``
run on the node's database (``DATABASE_URL=sqlite:///DIR/node.sqlite3``) rebuilds
the same state. Costs what replay costs per new entry, plus one read of every
projection row per digest compared.
"""

import os
import secrets
from collections.abc import Collection

from accord.witness.mirror import MirrorFailure, Progress
from accord.witness.node import DATABASE_FILE, VAR_FOLDER, NodeFolder

_configured: list[str] = []


def open_database(node: NodeFolder) -> None:
    """Configure Django for the node's database and migrate it; once per process.

    A process whose Django already serves another database cannot replay into the
    node's: MirrorFailure says so rather than writing into the wrong one.
    """
    name = str((node.path / DATABASE_FILE).resolve())
    if _configured:
        if _configured[0] != name:
            raise MirrorFailure("one process replays for one node; start another for this one")
        return
    from django.conf import settings  # noqa: PLC0415 -- Django only for the replay

    if settings.configured:
        raise MirrorFailure(
            "this process has Django configured for another database; run the node as its"
            " own process (accord node sync)"
        )
    os.environ["DATABASE_URL"] = f"sqlite:///{name}"
    os.environ["ACCORD_VAR_DIR"] = str((node.path / VAR_FOLDER).resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "accord.settings"
    # The node serves no pages and signs no sessions: a throw-away secret, not one kept.
    os.environ["ACCORD_SECRET_KEY"] = secrets.token_urlsafe(50)
    import django  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    _configured.append(name)


def replayed_size() -> int:
    from accord.ledger.models import LogState  # noqa: PLC0415

    state = LogState.objects.filter(pk=1).first()
    return state.size if state else 0


def catch_up(
    node: NodeFolder, size: int, digests_at: Collection[int], progress: Progress | None
) -> dict[int, str]:
    """Replay the mirror's entries the database lacks, up to ``size``; the digests asked.

    Returns the public digest at ``size`` and at each of ``digests_at`` this call
    passes (or, when nothing is new, at ``size`` again). Raises MirrorFailure when
    the log does not replay, naming the entry.
    """
    open_database(node)
    from accord.ledger.replay import Divergence, replay_onto  # noqa: PLC0415

    held = replayed_size()
    if held > size:
        raise MirrorFailure(
            f"{node.path / DATABASE_FILE} holds {held} entries, more than the mirror's {size};"
            " it was not made from this mirror"
        )
    known = node.digests().get(size)
    if held == size and known is not None and not set(digests_at) - {size}:
        return {size: known}  # nothing new: an idle round reads no projection
    leaves = node.mirror.leaves(held, size)

    def report(done: int, total: int) -> None:
        if progress:
            progress("replaying", done, total)

    try:
        return replay_onto(leaves, start=held, digests_at=digests_at, progress=report)
    except Divergence as exc:
        raise MirrorFailure(f"the log does not replay: {exc}") from None
