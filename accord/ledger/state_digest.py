"""The log's signed state digest: what every projection hashes to at one checkpoint's size.

A party's node replays the log to a checkpoint's size and compares its public
digest with the one the log signed here; a digest that replay does not
reproduce is evidence against the host (``digest-not-reproduced``,
docs/evidence.md). The note is ``accord-state-digest/v1``
(``accord.ledger.signed_notes``), served at ``GET /log/state-digest``.

Why it is exact: the digest is computed while this transaction holds the log
head lock (the ``LogState`` row, which ``submit`` takes before it appends), and
the checkpoint it names is the one for the log's size under that same lock, so
no entry can slip in between the size and the projections read. What it costs:
reading every projection row once, sorting their canonical lines and one
SHA-256 over them (O(rows)), with writers waiting for the lock meanwhile
(readers do not). So it is done at most once per checkpoint size: the checkpointer
round calls ``sign_state_digest`` after ``sign_checkpoint``, a round with nothing
new costs three queries, and a request for the note reads one stored row.
"""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from accord.ledger import digest
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.envelope import format_time
from accord.ledger.hosted import log_signer
from accord.ledger.models import LogState, StateDigest
from accord.ledger.signed_notes import sign, state_digest_text
from accord.lib import clock

TEXT = "text/plain; charset=utf-8"
NOT_YET = (
    "The log has not signed a state digest yet: the checkpointer signs one for each new"
    " checkpoint.\n"
)


def sign_state_digest() -> StateDigest:
    """The signed public state digest at exactly the latest checkpoint's size.

    Under the log lock: signs a checkpoint for the log's current size if the latest
    one is older (so the digest always names a checkpoint), returns the stored
    digest when that size has one, and otherwise computes the public digest of the
    live projections and signs it with the log key. Raises ``LogState.DoesNotExist``
    before the log is founded. Costs one Ed25519 signature and a read of every
    projection row the first time for a size; three queries after that.
    """
    with transaction.atomic():
        state = LogState.objects.select_for_update().get(pk=1)
        checkpoint = sign_checkpoint()
        stored = StateDigest.objects.filter(size=checkpoint.size).first()
        if stored is not None:
            return stored
        public = digest.digest(full=False)
        signed_at = format_time(clock.now())
        text = state_digest_text(
            state.origin, checkpoint.size, bytes(checkpoint.root), public, signed_at
        )
        return StateDigest.objects.create(
            size=checkpoint.size, digest=public, note=sign(text, log_signer()), signed_at=signed_at
        )


def latest() -> StateDigest | None:
    """The most recent signed state digest; None before the first. One query."""
    return StateDigest.objects.order_by("-size").first()


@require_safe
def served(request: HttpRequest) -> HttpResponse:  # noqa: ARG001 -- Django passes it
    """``GET /log/state-digest``: the latest signed state digest note, as text."""
    found = latest()
    if found is None:
        # In words, as text: the readers are nodes and scripts, not a browser.
        response = HttpResponse(NOT_YET, content_type=TEXT, status=404)
        response["Cache-Control"] = "no-cache"
    else:
        response = HttpResponse(found.note, content_type=TEXT)
        response["Cache-Control"] = "public, max-age=5"
    response["Access-Control-Allow-Origin"] = "*"
    return response
