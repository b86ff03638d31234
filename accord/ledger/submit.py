"""``submit()``: the one way a statement enters the log (DESIGN.md §3).

In one database transaction, under the log head lock: assign or check the
sequence number, verify the signature and that the key may sign for the actor
now, resolve the body (a blob, or a restricted body against its commitment),
validate it against its kind's schema, run the kind's ``check``, append the
entry (leaf bytes, leaf hash, full tiles), run ``apply``, and sign a receipt.
Any refusal raises a ``Rejected`` and rolls everything back; the refusal is
then recorded and signed in a transaction of its own, so a party can prove
it was turned away. A refusal is owed to a party that signed something: input
whose signature does not verify, or whose key the log does not know, is
refused without a row, so noise cannot fill the refusal table.

This module is the front door; each step lives in the module named for its
idea: ``wire`` (parsing a submission), ``admission`` (every check),
``restricted`` and ``blobs`` (what travels beside the log), ``hosted``
(signing with keys the host holds), ``integrate`` and ``log_head`` (the single
writer's hot path), ``refusals`` (signed, numbered refusals). The names other
apps import are re-exported here.

The cost of an accepted statement: one Ed25519 verify, one Ed25519 sign (the
receipt; two for a hosted key), a handful of indexed row reads and writes,
and one durable commit.
"""

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from accord.ledger import parallel
from accord.ledger.admission import FOUNDING_KIND, authenticate
from accord.ledger.custody import HostedKeys, KeyCustody
from accord.ledger.errors import KeyRefused, Malformed, Rejected
from accord.ledger.hosted import _signers, log_signer, sign_hosted
from accord.ledger.integrate import Accepted, integrate
from accord.ledger.models import LogState
from accord.ledger.refusals import record_refusal, refuse
from accord.ledger.restricted import commitment_of, new_salt
from accord.ledger.wire import Submission, parse_submission
from accord.lib import canonical

__all__ = [
    "FOUNDING_KIND",
    "Accepted",
    "Submission",
    "_signers",
    "authenticate",
    "commitment_of",
    "ingest",
    "log_signer",
    "new_salt",
    "parse_submission",
    "record_refusal",
    "submit",
    "submit_hosted",
]


def submit(
    submission: Submission, *, custody: KeyCustody | None = None, authenticated: bool = False
) -> Accepted:
    """Integrate a statement signed by its party's own key; raises Rejected on refusal.

    Unless the caller already ran ``authenticate`` (``authenticated=True``), it
    runs first, and its refusals are not recorded.
    """
    if not authenticated:
        authenticate(submission.signed)
    return _run(_given(submission), custody, submission, signature_checked=True)


def submit_hosted(  # noqa: PLR0913 -- the envelope's fields, each chosen by the caller
    *,
    actor: str,
    kind: str,
    v: int,
    body: dict[str, Any],
    by: str | None = None,
    distribution: str = "public",
    custody: KeyCustody | None = None,
) -> Accepted:
    """Sign with the actor's hosted key under the lock (so ``seq`` cannot race) and integrate."""
    keys = custody or HostedKeys()
    try:
        body = canonical.nfc(body)
        canonical.dumps(body)
    except canonical.CanonicalError as error:  # a NUL, a float: refused like any bad body
        raise Malformed(str(error), error.code) from error
    salt = new_salt() if distribution == "restricted" else None
    shown_body = {"commitment": commitment_of(salt, body)} if salt is not None else body
    # What was asked, so two different refused acts have two different refusal hashes.
    asked = {"kind": kind, "v": v, "actor": actor, "by": by, "body": shown_body}

    def make(state: LogState, logged_at: str) -> Submission:
        return sign_hosted(
            state,
            logged_at,
            keys,
            actor=actor,
            kind=kind,
            v=v,
            shown_body=shown_body,
            by=by,
            distribution=distribution,
            sealed=(salt, body) if salt is not None else None,
        )

    return _run(make, keys, None, asked=asked)


def ingest(
    submissions: list[Submission],
    *,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> list[Accepted]:
    """Integrate many own-key statements: signatures checked on every core first, then one
    writer appends them in transactions of ``batch``. All-or-nothing per batch: a refusal
    raises Rejected naming the statement's position, after the batches before it committed.
    """
    failures = parallel.check_signed([submission.signed for submission in submissions])
    for position, failure in enumerate(failures):
        if failure is not None:
            raise KeyRefused(f"statement {position}: {failure}", "bad_signature")
    accepted: list[Accepted] = []
    for start in range(0, len(submissions), batch):
        with transaction.atomic():
            for submission in submissions[start : start + batch]:
                try:
                    accepted.append(integrate(_given(submission), None, signature_checked=True))
                except Rejected as refusal:
                    refusal.args = (f"statement {len(accepted)}: {refusal.reason}",)
                    raise
        if progress:
            progress(len(accepted), len(submissions))
    return accepted


def _run(
    make: Callable[[LogState, str], Submission],
    custody: KeyCustody | None,
    submitted: Submission | None,
    *,
    signature_checked: bool = False,
    asked: dict[str, Any] | None = None,
) -> Accepted:
    try:
        with transaction.atomic():
            return integrate(make, custody, signature_checked=signature_checked)
    except Rejected as refusal:
        refuse(submitted, refusal, custody, asked)
        raise
    except IntegrityError:
        # Another process took the same (actor, seq) or index between our reads.
        raced = KeyRefused("another statement took this sequence number first; resubmit", "bad_seq")
        refuse(submitted, raced, custody, asked)
        raise raced from None


def _given(submission: Submission) -> Callable[[LogState, str], Submission]:
    def make(_state: LogState, _logged_at: str) -> Submission:
        return submission

    return make
