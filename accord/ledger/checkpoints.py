"""The checkpointer: the log signs its (size, root), never two roots for one size.

Each checkpoint carries the time it was signed as a ``signed_at`` extension line
(c2sp.org/tlog-checkpoint allows extension lines), so the stored time is one
the log's signature vouches for, and the log's state counts the checkpoints it
signed, so a deleted one shows.
"""

from django.db import transaction

from accord.ledger.envelope import format_time
from accord.ledger.hashes import StoredHashes
from accord.ledger.hosted import log_signer
from accord.ledger.models import Checkpoint, LogState
from accord.ledger.signed_notes import SIGNED_AT
from accord.lib import clock
from accord.tlog.checkpoint import Checkpoint as CheckpointText


def sign_checkpoint() -> Checkpoint:
    """A signed checkpoint for the log's current size; the existing one if there is one.

    Runs under the log lock, so the size it signs is exactly what is committed.
    Costs one Ed25519 signature and O(log n) hashes.
    """
    with transaction.atomic():
        state = LogState.objects.select_for_update().get(pk=1)
        latest = Checkpoint.objects.order_by("-size").first()
        if latest is not None and latest.size == state.size:
            return latest
        root = StoredHashes(state.size).root()
        signed_at = format_time(clock.now())
        text = CheckpointText(state.origin, state.size, root, (f"{SIGNED_AT}{signed_at}",))
        LogState.objects.filter(pk=1).update(checkpoints=state.checkpoints + 1)
        return Checkpoint.objects.create(
            size=state.size, root=root, note=text.sign(log_signer()), signed_at=signed_at
        )


def latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()
