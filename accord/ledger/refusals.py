"""Signed refusals and their numbering: proof that the log turned a submission away.

A refusal is recorded in a transaction of its own, after the submission's was
rolled back, under the hash of what was refused: the signed statement, or for
a hosted act the canonical request (a restricted body only by its
commitment). Under the log lock it takes the next number in the log's count,
so a deleted or duplicated refusal row shows as a gap or a repeat. Costs one
Ed25519 signature, a locked read and two writes.
"""

import hashlib
from typing import Any

from django.db import transaction

from accord.ledger import signed_notes
from accord.ledger.custody import KeyCustody
from accord.ledger.envelope import format_time
from accord.ledger.errors import Rejected
from accord.ledger.hosted import log_signer_for
from accord.ledger.models import LogState, Refusal
from accord.ledger.wire import Submission
from accord.lib import canonical, clock


def refuse(
    submitted: Submission | None,
    refusal: Rejected,
    custody: KeyCustody | None,
    asked: dict[str, Any] | None = None,
) -> None:
    """Record the refusal of ``submitted``, or of the hosted request ``asked``."""
    request = submitted.signed.to_json() if submitted is not None else asked
    hashed = hashlib.sha256(canonical.dumps(request)).hexdigest()
    record_refusal(hashed, refusal, custody)


def record_refusal(hashed: str, refusal: Rejected, custody: KeyCustody | None = None) -> None:
    """Sign and keep a refusal; ``refusal.note`` is set to the signed note.

    Under the log lock, the refusal takes the next number in the log's count,
    so a deleted or duplicated refusal row shows as a gap or a repeat.
    """
    with transaction.atomic():
        state = LogState.objects.select_for_update().filter(pk=1).first()
        if state is None:
            return
        at = format_time(clock.now())
        number = state.refusals + 1
        text = signed_notes.refusal_text(
            state.origin, hashed, refusal.code, at, refusal.reason, number=number
        )
        signed = signed_notes.sign(text, log_signer_for(state, custody))
        LogState.objects.filter(pk=1).update(refusals=number)
        Refusal.objects.create(
            statement_hash=hashed,
            code=refusal.code,
            reason=refusal.reason,
            refused_at=at,
            note=signed,
            number=number,
        )
    refusal.note = signed
