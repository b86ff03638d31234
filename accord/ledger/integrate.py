"""Integrating a statement under the log head lock, and the one effect step replay shares.

``integrate`` is the single writer's hot path: take the lock, fix
``logged_at``, admit the statement (``admission.admit``), build the leaf and
sign its receipt, then ``take_effect``. Replay calls ``take_effect`` on every
entry it rebuilds, so what an entry does to the projections and the log's
state is written once, here, and a log replays to the state ``submit`` made.

The cost of an accepted statement: one Ed25519 verify (unless checked in bulk
before), one Ed25519 sign (the receipt), a handful of indexed row reads, and
two batched writes around the kind's ``apply`` (one round trip each on
PostgreSQL).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accord.ledger import admission, blobs, log_head, registry, restricted, signed_notes
from accord.ledger.custody import KeyCustody
from accord.ledger.envelope import Entry as EntryBytes
from accord.ledger.envelope import EnvelopeError, Statement
from accord.ledger.errors import Malformed
from accord.ledger.hashes import store_full_tiles
from accord.ledger.hosted import check_custody, log_signer_for
from accord.ledger.models import LogState
from accord.ledger.wire import Submission
from accord.tlog.merkle import leaf_hash


@dataclass(frozen=True)
class Accepted:
    """What the submitter gets back: where its statement sits, and the signed receipt."""

    index: int
    leaf_hash: bytes
    logged_at: str
    receipt: str
    statement: Statement = field(repr=False)


@dataclass(frozen=True)
class Appended:
    """What a new entry writes that replay finds already written: its row and receipt,
    and what travels beside it (a blob, a salted restricted body)."""

    leaf: bytes
    leaf_hash: bytes
    receipt: str
    submission: Submission


def integrate(
    make: Callable[[LogState, str], Submission],
    custody: KeyCustody | None,
    *,
    signature_checked: bool = False,
) -> Accepted:
    """Admit and append one statement; the caller holds the transaction.

    ``make`` gives the submission once the lock is held and ``logged_at`` is
    fixed (a hosted statement is signed only then, so its ``seq`` cannot race).
    Raises Rejected, having written nothing the transaction will keep.
    """
    state = log_head.locked_state()
    logged_at, moment = log_head.log_time(state)
    submission = make(state, logged_at)
    signed = submission.signed
    kind, ctx = admission.admit(state, submission, moment, signature_checked=signature_checked)
    check_custody(ctx, custody)
    try:
        leaf = EntryBytes(signed, logged_at).to_bytes()
    except EnvelopeError as exc:
        raise Malformed(str(exc), exc.code) from None
    digest = leaf_hash(leaf)
    text = signed_notes.receipt_text(state.origin, ctx.index, digest, logged_at)
    receipt = signed_notes.sign(text, log_signer_for(state, custody))
    take_effect(state, kind, ctx, logged_at, Appended(leaf, digest, receipt, submission))
    return Accepted(ctx.index, digest, logged_at, receipt, signed.statement)


def take_effect(
    state: LogState,
    kind: type[registry.Body],
    ctx: registry.Context,
    logged_at: str,
    appended: Appended | None,
) -> None:
    """An admitted statement's effect, for ``submit`` and replay alike.

    The actor's sequence number, the kind's projection (``apply``), and the
    log's size and time, in memory and in its row; for a new entry
    (``appended``, from ``submit``) also its row, what it keeps beside the log,
    the full tiles it completes, its receipt and the deliveries it owes (the
    kind's ``deliver``: outbox rows, in this transaction). Replay passes None:
    its entries, tiles and receipts are the ones it is checking, and nobody is
    told twice. Writes are
    batched before and after ``apply``, one round trip each on PostgreSQL.
    """
    statement = ctx.statement
    before: list[log_head.Write] = [(log_head.UPSERT_SEQ, (statement.actor, statement.seq))]
    after: list[log_head.Write] = []
    if appended is not None:
        row = (
            state.size,
            appended.leaf,
            appended.leaf_hash,
            logged_at,
            statement.kind,
            statement.actor,
            statement.seq,
        )
        before.insert(0, (log_head.INSERT_ENTRY, row))
        after.append((log_head.INSERT_RECEIPT, (ctx.index, appended.receipt)))
    log_head.batch(before)
    if appended is not None:
        _keep_beside(appended.submission)
        store_full_tiles(state.size + 1)
    kind.apply(ctx)
    if appended is not None:
        kind.deliver(ctx)
    state.size += 1
    state.last_logged_at = logged_at
    log_head.batch([(log_head.UPDATE_STATE, (state.size, logged_at)), *after])


def _keep_beside(submission: Submission) -> None:
    if submission.blob is not None:
        blobs.keep(submission.blob)
    salt, clear = submission.restricted_salt, submission.restricted_body
    if salt is not None and clear is not None:
        restricted.keep(salt, clear)
