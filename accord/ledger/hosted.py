"""Signing with keys the host holds: a party's hosted key, and the log's own key.

The host signs for a party only with a key the log records as hosted and the
host holds, under the log head lock, so the ``seq`` it assigns cannot race and
what the log says the host could have signed stays true. The log's key signs
receipts, refusals and checkpoints; its signer is opened from custody once per
process and kept (opening it decrypts the sealed key). A hosted statement
costs two indexed reads and one Ed25519 signature besides ``submit``'s own.
"""

from typing import Any

from accord.ledger import blobs, log_head
from accord.ledger.custody import HostedKeys, KeyCustody
from accord.ledger.envelope import SignedStatement, Statement
from accord.ledger.errors import NotAllowed
from accord.ledger.models import LogState, PartyKey
from accord.ledger.registry import Context
from accord.ledger.statements import recorded_as_hosted
from accord.ledger.wire import Submission
from accord.lib import canonical
from accord.tlog import note
from accord.tlog.tiles import MAX_ENTRY_BYTES


def hosted_key(actor: str, keys: KeyCustody) -> str:
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


def sign_hosted(  # noqa: PLR0913 -- the envelope's fields, each chosen by the caller
    state: LogState,
    logged_at: str,
    keys: KeyCustody,
    *,
    actor: str,
    kind: str,
    v: int,
    shown_body: dict[str, Any],
    by: str | None,
    distribution: str,
    sealed: tuple[str, dict[str, Any]] | None,
) -> Submission:
    """The actor's next statement signed by its hosted key, with what travels beside it.

    Runs under the log head lock, so ``seq`` is the actor's last plus one and
    ``at`` is the log's time. A body past half an entry's limit goes as a blob;
    ``sealed`` is a restricted statement's (salt, clear body).
    """
    key = hosted_key(actor, keys)
    shown = shown_body
    blob = None
    if len(canonical.dumps(shown)) > MAX_ENTRY_BYTES // 2:
        blob = canonical.dumps(shown)
        shown = blobs.reference(blob)
    statement = Statement(
        forum=state.origin,
        kind=kind,
        v=v,
        actor=actor,
        seq=log_head.last_seq(actor) + 1,
        at=logged_at,
        distribution=distribution,
        body=shown,
        by=by,
    )
    signature = keys.signer(key).sign(statement.signing_bytes())
    signed = SignedStatement(statement, signature, key)
    if sealed is None:
        return Submission(signed, blob)
    return Submission(signed, blob, *sealed)


def check_custody(ctx: Context, custody: KeyCustody | None) -> None:
    """A key recorded as hosted must be one the host holds for that party now.

    Judged by ``submit`` before the entry is written, and not in the kind's
    ``check``: what the host holds is not in the log, so ``check`` (which
    replay reruns on any party's machine) could not be a function of the log.
    Replay trusts the host's answer at the time; ``accord audit`` checks that
    every current hosted key is still held. One indexed read, only for
    statements that record a key.
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


_signers: dict[str, note.Signer] = {}


def log_signer_for(state: LogState, custody: KeyCustody | None) -> note.Signer:
    """The log's signer, opened from custody on first use in this process and kept."""
    signer = _signers.get(state.log_vkey)
    if signer is None:
        signer = _signers[state.log_vkey] = (custody or HostedKeys()).signer(state.log_vkey)
    return signer


def log_signer() -> note.Signer:
    """The log's own signer, for checkpoints."""
    return log_signer_for(LogState.objects.get(pk=1), None)
