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

The cost of an accepted statement: one Ed25519 verify, one Ed25519 sign (the
receipt; two for a hosted key), a handful of indexed row reads and writes,
and one durable commit.
"""

import base64
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from pydantic import ValidationError

from accord.ledger import blobs, parallel, registry, signed_notes
from accord.ledger.custody import HostedKeys, KeyCustody
from accord.ledger.envelope import (
    Entry as EntryBytes,
)
from accord.ledger.envelope import (
    EnvelopeError,
    SignedStatement,
    Statement,
    format_time,
    parse_time,
)
from accord.ledger.errors import KeyRefused, Malformed, NotAllowed, Rejected
from accord.ledger.hashes import store_full_tiles
from accord.ledger.models import (
    ActorSeq,
    Blob,
    Entry,
    LogState,
    PartyKey,
    Receipt,
    Refusal,
    RestrictedBody,
)
from accord.ledger.statements import recorded_as_hosted
from accord.lib import canonical, clock
from accord.tlog import note
from accord.tlog.merkle import leaf_hash
from accord.tlog.tiles import MAX_ENTRY_BYTES

FOUNDING_KIND = "ledger.log.founded"


@dataclass(frozen=True)
class Submission:
    """A signed statement and what it refers to beside the log."""

    signed: SignedStatement
    blob: bytes | None = None
    restricted_salt: str | None = None
    restricted_body: dict[str, Any] | None = None
    withheld: bool = False
    """A restricted statement replayed without its body: only the envelope is judged."""


@dataclass(frozen=True)
class Accepted:
    """What the submitter gets back: where its statement sits, and the signed receipt."""

    index: int
    leaf_hash: bytes
    logged_at: str
    receipt: str
    statement: Statement = field(repr=False)


def commitment_of(salt: str, body: dict[str, Any]) -> str:
    """The commitment a restricted statement carries: SHA-256 of the salted canonical body."""
    digest = hashlib.sha256(canonical.dumps({"body": body, "salt": salt})).hexdigest()
    return f"sha256:{digest}"


def new_salt() -> str:
    return base64.b64encode(os.urandom(16)).decode()


def parse_submission(raw: bytes) -> Submission:
    """A submission as the API and ``accord submit`` send it::

        {"statement": {...}, "signature": "<base64>", "key": "<vkey>",
         "blob": "<base64 of the body's canonical bytes>",          (optional)
         "restricted": {"salt": "<base64>", "body": {...}}}          (optional)

    Floats, duplicate keys, text not in NFC and blobs or restricted bodies
    larger than ``blobs.max_bytes()`` are refused here, before any signature
    is checked, with the rule they break as the code.
    """
    try:
        value = canonical.loads(raw)
    except canonical.CanonicalError as exc:
        raise Malformed(f"the submission is not acceptable JSON: {exc}", exc.code) from None
    if not isinstance(value, dict) or not set(value) <= {
        "statement",
        "signature",
        "key",
        "blob",
        "restricted",
    }:
        raise Malformed(
            "expected an object with statement, signature, key and optionally blob, restricted"
        )
    try:
        signed = SignedStatement.from_json(value)
    except EnvelopeError as exc:
        raise Malformed(str(exc), exc.code) from None
    blob = None
    if "blob" in value:
        if not isinstance(value["blob"], str):
            raise Malformed("the blob must be base64 text", "blob_mismatch")
        try:
            blob = base64.b64decode(value["blob"], validate=True)
        except ValueError:
            raise Malformed("the blob must be base64", "blob_mismatch") from None
        _within_limit("blob", len(blob))
    restricted = value.get("restricted")
    if restricted is None:
        return Submission(signed, blob)
    if not isinstance(restricted, dict) or set(restricted) != {"salt", "body"}:
        raise Malformed('restricted must be {"salt": …, "body": {…}}', "restricted_missing")
    salt, body = restricted["salt"], restricted["body"]
    if not isinstance(salt, str) or not isinstance(body, dict):
        raise Malformed("restricted salt must be text and body an object", "restricted_missing")
    _within_limit("restricted body", len(canonical.dumps(body)))
    return Submission(signed, blob, salt, body)


def _within_limit(what: str, size: int) -> None:
    if size > blobs.max_bytes():
        raise Malformed(
            f"the {what} is {size} bytes; this log keeps at most {blobs.max_bytes()}",
            "too_large",
        )


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
    try:
        signed.verify()
    except EnvelopeError as exc:
        raise KeyRefused(str(exc), exc.code) from None
    statement = signed.statement
    rows = _execute(_SELECT_KEY, (signed.key,))
    if not rows:
        if statement.kind == FOUNDING_KIND and not LogState.objects.filter(size__gt=0).exists():
            return False  # the founding statement registers its own key
        raise KeyRefused("this key is not registered in the log", "unknown_key")
    party, _custody, _added_at, revoked_at = rows[0]
    fresh = party == statement.actor and revoked_at is None
    return fresh and statement.seq == _last_seq(statement.actor) + 1


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
    body = canonical.nfc(body)
    salt = new_salt() if distribution == "restricted" else None
    shown_body = {"commitment": commitment_of(salt, body)} if salt is not None else body
    # What was asked, so two different refused acts have two different refusal hashes.
    asked = {"kind": kind, "v": v, "actor": actor, "by": by, "body": shown_body}

    def make(state: LogState, logged_at: str) -> Submission:
        key = _hosted_key(actor, keys)
        shown: dict[str, Any] = shown_body
        blob = None
        if len(canonical.dumps(shown)) > MAX_ENTRY_BYTES // 2:
            blob = canonical.dumps(shown)
            shown = blobs.reference(blob)
        statement = Statement(
            forum=state.origin,
            kind=kind,
            v=v,
            actor=actor,
            seq=_last_seq(actor) + 1,
            at=logged_at,
            distribution=distribution,
            body=shown,
            by=by,
        )
        signature = keys.signer(key).sign(statement.signing_bytes())
        return Submission(
            SignedStatement(statement, signature, key), blob, salt, body if salt else None
        )

    return _run(make, keys, None, asked=asked)


def _hosted_key(actor: str, keys: KeyCustody) -> str:
    """The actor's newest current key that the log records as hosted and the host holds.

    The host signs only with a key the log records as hosted, so what the log
    says the host could have signed stays true: a copy of an *own* key the host
    happens to hold is never used. Two indexed reads.
    """
    current = (
        PartyKey.objects.filter(party=actor, revoked_at__isnull=True)
        .order_by("-added_at")
        .values_list("vkey", "custody")
    )
    hosted = [vkey for vkey, custody in current if custody == "hosted"]
    for vkey in hosted:
        if keys.holds(actor, vkey):
            return vkey
    if hosted:
        raise NotAllowed(
            f"{actor}'s key {hosted[0]} is recorded as hosted, but the host does not hold it;"
            " ask the secretariat to revoke it and register a key the host keeps",
            "key_not_held",
        )
    if any(keys.holds(actor, vkey) for vkey, _ in current):
        raise NotAllowed(
            f"{actor} keeps its own key; the host does not sign for it."
            " Sign the statement with your own key and submit it",
            "own_custody",
        )
    raise NotAllowed(
        f"{actor} has no key held by this host; sign with your own key", "no_hosted_key"
    )


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
            return _integrate(make, custody, signature_checked=signature_checked)
    except Rejected as refusal:
        _record_refusal(submitted, refusal, custody, asked)
        raise
    except IntegrityError:
        # Another process took the same (actor, seq) or index between our reads.
        raced = KeyRefused("another statement took this sequence number first; resubmit", "bad_seq")
        _record_refusal(submitted, raced, custody, asked)
        raise raced from None


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
                    accepted.append(_integrate(_given(submission), None, signature_checked=True))
                except Rejected as refusal:
                    refusal.args = (f"statement {len(accepted)}: {refusal.reason}",)
                    raise
        if progress:
            progress(len(accepted), len(submissions))
    return accepted


def _given(submission: Submission) -> Callable[[LogState, str], Submission]:
    def make(_state: LogState, _logged_at: str) -> Submission:
        return submission

    return make


def _log_time(state: LogState) -> tuple[str, datetime]:
    """``logged_at``: the clock, but never before the last entry's time."""
    now = clock.now()
    if state.last_logged_at and now < parse_time(state.last_logged_at):
        now = parse_time(state.last_logged_at)
    return format_time(now), now


def _last_seq(actor: str) -> int:
    rows = _execute(_SELECT_SEQ, (actor,))
    return int(str(rows[0][0])) if rows else 0


def _integrate(
    make: Callable[[LogState, str], Submission],
    custody: KeyCustody | None,
    *,
    signature_checked: bool = False,
) -> Accepted:
    state = _locked_state()
    logged_at, moment = _log_time(state)
    submission = make(state, logged_at)
    signed = submission.signed
    statement = signed.statement
    kind, ctx = admit(state, submission, moment, signature_checked=signature_checked)
    _check_custody(ctx, custody)
    try:
        leaf = EntryBytes(signed, logged_at).to_bytes()
    except EnvelopeError as exc:
        raise Malformed(str(exc), exc.code) from None
    digest = leaf_hash(leaf)
    text = signed_notes.receipt_text(state.origin, ctx.index, digest, logged_at)
    receipt = signed_notes.sign(text, _log_signer(state, custody))
    row = (state.size, leaf, digest, logged_at, statement.kind, statement.actor, statement.seq)
    _batch([(_INSERT_ENTRY, row), (_UPSERT_SEQ, (statement.actor, statement.seq))])
    _keep_beside(submission)
    store_full_tiles(state.size + 1)
    kind.apply(ctx)
    state.size += 1
    state.last_logged_at = logged_at
    _batch([(_UPDATE_STATE, (state.size, logged_at)), (_INSERT_RECEIPT, (ctx.index, receipt))])
    return Accepted(ctx.index, digest, logged_at, receipt, statement)


# The hot path in plain SQL: the ORM's per-query cost is most of what submit() spends
# besides the one signature check and the durable commit. Table names come from the models.
_INSERT_ENTRY = (
    f"INSERT INTO {Entry._meta.db_table} "  # noqa: SLF001, S608 -- names from our own models
    "(index, leaf, leaf_hash, logged_at, kind, actor, seq) VALUES (%s, %s, %s, %s, %s, %s, %s)"
).replace("(index,", '("index",')
_UPDATE_STATE = f"UPDATE {LogState._meta.db_table} SET size = %s, last_logged_at = %s WHERE id = 1"  # noqa: SLF001, S608
_INSERT_RECEIPT = f"INSERT INTO {Receipt._meta.db_table} (entry_id, note) VALUES (%s, %s)"  # noqa: SLF001, S608
_SELECT_KEY = (
    f"SELECT party, custody, added_at, revoked_at FROM {PartyKey._meta.db_table} WHERE vkey = %s"  # noqa: SLF001, S608
)
_SELECT_SEQ = f"SELECT last_seq FROM {ActorSeq._meta.db_table} WHERE actor = %s"  # noqa: SLF001, S608
_UPSERT_SEQ = (
    f"INSERT INTO {ActorSeq._meta.db_table} (actor, last_seq) VALUES (%s, %s) "  # noqa: SLF001, S608
    "ON CONFLICT (actor) DO UPDATE SET last_seq = excluded.last_seq"
)
_SELECT_STATE = (
    f"SELECT origin, log_vkey, secretariat, size, last_logged_at FROM {LogState._meta.db_table}"  # noqa: SLF001, S608
    " WHERE id = 1"
)


def advance(state: LogState, logged_at: str) -> None:
    """Count one more entry in the log's state, in memory and in its row."""
    state.size += 1
    state.last_logged_at = logged_at
    _execute(_UPDATE_STATE, (state.size, logged_at))


def _batch(statements: list[tuple[str, tuple[Any, ...]]]) -> None:
    """Run writes in order; on PostgreSQL in one round trip, which is most of their cost there."""
    if connection.vendor == "postgresql":
        sql = ";\n".join(statement for statement, _ in statements)
        _execute(sql, tuple(value for _, params in statements for value in params))
        return
    for statement, params in statements:
        _execute(statement, params)


def _execute(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []


def _locked_state() -> LogState:
    """The log's state row, under the log head lock (a row lock on PostgreSQL; SQLite's
    IMMEDIATE transaction already holds the database's write lock)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    rows = _execute(_SELECT_STATE + lock, ())
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


def take_effect(kind: type[registry.Body], ctx: registry.Context) -> None:
    """The statement's effects: the actor's sequence number and the kind's projection."""
    statement = ctx.statement
    _execute(_UPSERT_SEQ, (statement.actor, statement.seq))
    kind.apply(ctx)


def _check_custody(ctx: registry.Context, custody: KeyCustody | None) -> None:
    """A key recorded as hosted must be one the host holds for that party now.

    Judged here, before the entry is written, and not in the kind's ``check``:
    what the host holds is not in the log, so ``check`` (which replay reruns on
    any party's machine) could not be a function of the log. Replay trusts the
    host's answer at the time; ``accord audit`` checks that every current hosted
    key is still held. One indexed read, only for statements that record a key.
    """
    recorded = recorded_as_hosted(ctx.body, ctx.actor)
    if recorded is None:
        return
    party, vkey = recorded
    if not (custody or HostedKeys()).holds(party, vkey):
        raise NotAllowed(
            f"the host does not hold the key {vkey} for {party}, so it cannot be recorded as"
            " hosted; record it as your own key, or have the host keep it first",
            "key_not_held",
        )


def _check_key(
    state: LogState, signed: SignedStatement, *, signature_checked: bool
) -> PartyKey | None:
    statement = signed.statement
    if not signature_checked:
        try:
            signed.verify()
        except EnvelopeError as exc:
            raise KeyRefused(str(exc), exc.code) from None
    if state.size == 0:
        if statement.kind != FOUNDING_KIND:
            raise NotAllowed("the first statement of a log must found it", "not_founded")
        return None
    rows = _execute(_SELECT_KEY, (signed.key,))
    if not rows:
        raise KeyRefused("this key is not registered in the log", "unknown_key")
    party, custody, added_at, revoked_at = rows[0]
    key = PartyKey(
        vkey=signed.key, party=party, custody=custody, added_at=added_at, revoked_at=revoked_at
    )
    if key.party != statement.actor:
        raise KeyRefused(
            f"this key belongs to {key.party}, not to {statement.actor}", "key_of_another_party"
        )
    if key.revoked_at is not None:
        raise KeyRefused(
            f"this key of {key.party} was revoked at entry {key.revoked_at}", "revoked_key"
        )
    return key


def _check_seq(statement: Statement) -> int:
    expected = _last_seq(statement.actor) + 1
    if statement.seq != expected:
        what = "was already used" if statement.seq < expected else "skips ahead"
        raise KeyRefused(
            f"{statement.actor}'s next sequence number is {expected}; {statement.seq} {what}",
            "bad_seq",
        )
    return expected - 1


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
    body = _unblob(statement.body, submission.blob)
    if submission.blob is not None and blobs.parse_reference(statement.body) is None:
        # Kept, it would be served publicly at /log/blob/ though nothing signed refers to it.
        raise Malformed(
            "a blob was sent but the statement's body does not refer to it; send a blob only"
            ' with a body of {"blob": "sha256:…", "size": N}',
            "blob_unreferenced",
        )
    if statement.distribution == "restricted":
        if submission.withheld:
            _commitment(body)
            return kind, None
        body = _unseal(body, submission)
    try:
        return kind, kind.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise Malformed(f"body field {where}: {first['msg']}", "bad_body") from None


def _unblob(body: dict[str, Any], blob: bytes | None) -> dict[str, Any]:
    reference = blobs.parse_reference(body)
    if reference is None:
        return body
    digest, size = reference
    if blob is None:
        raise Malformed("the body is a blob reference but no blob was sent", "blob_missing")
    if hashlib.sha256(blob).hexdigest() != digest or len(blob) != size:
        raise Malformed(
            "the blob sent does not match the hash and size the statement signs", "blob_mismatch"
        )
    try:
        value = canonical.parse(blob)
    except canonical.CanonicalError as exc:
        raise Malformed(f"the blob is not a canonical JSON body: {exc}", "non_canonical") from None
    if not isinstance(value, dict):
        raise Malformed("the blob must hold a JSON object", "bad_body")
    return value


def _commitment(body: dict[str, Any]) -> str:
    commitment = body.get("commitment")
    if (
        set(body) != {"commitment"}
        or not isinstance(commitment, str)
        or not commitment.startswith("sha256:")
    ):
        raise Malformed(
            'a restricted statement\'s body must be only {"commitment": "sha256:…"};'
            " the text itself travels beside the log",
            "restricted_in_clear",
        )
    return commitment


def _unseal(body: dict[str, Any], submission: Submission) -> dict[str, Any]:
    commitment = _commitment(body)
    salt, clear = submission.restricted_salt, submission.restricted_body
    if salt is None or clear is None:
        raise Malformed(
            "a restricted statement needs its salt and body beside it", "restricted_missing"
        )
    if commitment_of(salt, clear) != commitment:
        raise Malformed(
            "the restricted body does not match the signed commitment", "commitment_mismatch"
        )
    return clear


def _keep_beside(submission: Submission) -> None:
    if submission.blob is not None:
        digest = blobs.write(submission.blob)
        Blob.objects.get_or_create(sha256=digest, defaults={"size": len(submission.blob)})
    salt, clear = submission.restricted_salt, submission.restricted_body
    if salt is not None and clear is not None:
        # The commitment _unseal() already checked against the signed statement.
        RestrictedBody.objects.get_or_create(
            commitment=commitment_of(salt, clear),
            defaults={"salt": salt, "body": canonical.dumps(clear)},
        )


_signers: dict[str, note.Signer] = {}


def _log_signer(state: LogState, custody: KeyCustody | None) -> note.Signer:
    signer = _signers.get(state.log_vkey)
    if signer is None:
        signer = _signers[state.log_vkey] = (custody or HostedKeys()).signer(state.log_vkey)
    return signer


def log_signer() -> note.Signer:
    """The log's own signer, for checkpoints."""
    return _log_signer(LogState.objects.get(pk=1), None)


def _record_refusal(
    submitted: Submission | None,
    refusal: Rejected,
    custody: KeyCustody | None,
    asked: dict[str, Any] | None = None,
) -> None:
    """Record the refusal under the hash of what was refused: the signed statement, or for a
    hosted act the canonical request (a restricted body only by its commitment)."""
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
        signed = signed_notes.sign(text, _log_signer(state, custody))
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
