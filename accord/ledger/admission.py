"""Admission: every check a statement must pass to enter the log; writes nothing.

``submit`` runs it under the log head lock and replay reruns it on every entry,
so a log that was accepted is re-judged by the same rules: the forum, the
signature, the key (registered, the actor's, not revoked), the sequence
number, the body (its blob, its restricted commitment, its kind's schema),
the registered admission rules and the kind's ``check``. The key is judged
one way, by ``registered_key`` and ``key_refusal``, whether here or in
``authenticate`` (the advice the API takes before it spends an allowance).
Costs one Ed25519 verify (unless checked in bulk before), two indexed reads
and whatever the kind's ``check`` reads.
"""

from datetime import datetime
from typing import Literal, overload

from pydantic import ValidationError

from accord.ledger import blobs, log_head, registry, restricted
from accord.ledger.envelope import EnvelopeError, SignedStatement, Statement
from accord.ledger.errors import KeyRefused, Malformed, NotAllowed
from accord.ledger.models import LogState, PartyKey
from accord.ledger.wire import Submission

FOUNDING_KIND = "ledger.log.founded"


def admit(
    state: LogState, submission: Submission, moment: datetime, *, signature_checked: bool = False
) -> tuple[type[registry.Body], registry.Context]:
    """Every check a statement must pass to enter the log at ``state.size``; writes nothing.

    Shared by ``submit`` and replay, so a log that was accepted is re-judged by
    the same rules.
    """
    signed = submission.signed
    statement = signed.statement
    if statement.forum != state.origin:
        raise Malformed(
            f"this statement is for {statement.forum!r}; this log is {state.origin!r}",
            "wrong_forum",
        )
    key = _check_key(state, signed, signature_checked=signature_checked)
    _check_seq(statement)
    kind, body = _resolve_body(submission)
    ctx = registry.Context(signed, body, state.size, moment, state, key)
    for rule in registry.ADMISSION_RULES:
        rule(kind, ctx)
    kind.check(ctx)
    return kind, ctx


def authenticate(signed: SignedStatement) -> bool:
    """Whether ``signed`` is its actor's next statement under the actor's current key.

    Raises KeyRefused when nobody provably signed it: the signature does not
    verify, or the key is not registered in the log (anyone can make a key).
    Answers False for a statement some registered key signed that is not its
    actor's next (a replay, another party's key, a revoked key): ``submit``
    refuses it with a signed refusal. Reads without the log lock, so the
    answer is advice for allowances; ``submit`` judges again under the lock.
    Costs one Ed25519 verify and two indexed reads.
    """
    statement = signed.statement
    founding = statement.kind == FOUNDING_KIND and not LogState.objects.filter(size__gt=0).exists()
    key = registered_key(signed, founding=founding)
    if key is None:
        return False  # the founding statement registers its own key
    fresh = key_refusal(key, statement) is None
    return fresh and statement.seq == log_head.last_seq(statement.actor) + 1


@overload
def registered_key(
    signed: SignedStatement, *, signature_checked: bool = False, founding: Literal[False] = False
) -> PartyKey: ...


@overload
def registered_key(
    signed: SignedStatement, *, signature_checked: bool = False, founding: bool
) -> PartyKey | None: ...


def registered_key(
    signed: SignedStatement, *, signature_checked: bool = False, founding: bool = False
) -> PartyKey | None:
    """The registered key whose signature ``signed`` carries, verified; one indexed read.

    KeyRefused if the signature does not verify (skipped when the caller
    checked it in bulk) or the log knows no such key. The founding statement
    of an empty log (``founding``) registers its own key: it is verified, not
    looked up, and the answer is None.
    """
    if not signature_checked:
        try:
            signed.verify()
        except EnvelopeError as exc:
            raise KeyRefused(str(exc), exc.code) from None
    if founding:
        return None
    row = log_head.key_row(signed.key)
    if row is None:
        raise KeyRefused("this key is not registered in the log", "unknown_key")
    party, custody, added_at, revoked_at = row
    return PartyKey(
        vkey=signed.key, party=party, custody=custody, added_at=added_at, revoked_at=revoked_at
    )


def key_refusal(key: PartyKey, statement: Statement) -> KeyRefused | None:
    """Why ``key`` may not sign ``statement`` now (another party's, or revoked), or None."""
    if key.party != statement.actor:
        return KeyRefused(
            f"this key belongs to {key.party}, not to {statement.actor}", "key_of_another_party"
        )
    if key.revoked_at is not None:
        return KeyRefused(
            f"this key of {key.party} was revoked at entry {key.revoked_at}", "revoked_key"
        )
    return None


def _check_key(
    state: LogState, signed: SignedStatement, *, signature_checked: bool
) -> PartyKey | None:
    if state.size == 0:
        registered_key(signed, signature_checked=signature_checked, founding=True)
        if signed.statement.kind != FOUNDING_KIND:
            raise NotAllowed("the first statement of a log must found it", "not_founded")
        return None
    key = registered_key(signed, signature_checked=signature_checked)
    refusal = key_refusal(key, signed.statement)
    if refusal is not None:
        raise refusal
    return key


def _check_seq(statement: Statement) -> None:
    expected = log_head.last_seq(statement.actor) + 1
    if statement.seq != expected:
        what = "was already used" if statement.seq < expected else "skips ahead"
        raise KeyRefused(
            f"{statement.actor}'s next sequence number is {expected}; {statement.seq} {what}",
            "bad_seq",
        )


def _resolve_body(submission: Submission) -> tuple[type[registry.Body], registry.Body | None]:
    statement = submission.signed.statement
    kind = registry.lookup(statement.kind, statement.v)
    if kind is None:
        raise Malformed(
            f"this log knows no statement kind {statement.kind} v{statement.v}", "unknown_kind"
        )
    if statement.distribution not in kind.distributions:
        raise Malformed(
            f"{statement.kind} may only be {' or '.join(kind.distributions)}", "wrong_distribution"
        )
    body = blobs.unpack(statement.body, submission.blob)
    if submission.blob is not None and blobs.parse_reference(statement.body) is None:
        # Kept, it would be served publicly at /log/blob/ though nothing signed refers to it.
        raise Malformed(
            "a blob was sent but the statement's body does not refer to it; send a blob only"
            ' with a body of {"blob": "sha256:…", "size": N}',
            "blob_unreferenced",
        )
    if statement.distribution == "restricted":
        if submission.withheld:
            restricted.signed_commitment(body)
            return kind, None
        body = restricted.unseal(body, submission.restricted_salt, submission.restricted_body)
    try:
        return kind, kind.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise Malformed(f"body field {where}: {first['msg']}", "bad_body") from None
