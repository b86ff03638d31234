"""What pages, the API and the CLI call to act on the charter; each act is one transaction.

An action builds a body and hands it to ``submit_hosted`` for the acting party
(its key held by this host), naming the person who acts; the rules profile and
the kind's ``check`` decide. A party with its own key signs the same bodies
itself (``accord charter … --url URL --key FILE``). E-mails the act owes (silence
opened, concluded) are queued by the kinds' ``deliver`` in the entry's own
transaction, however it was signed; the day-before reminder by the scheduler.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from accord.charter import notices
from accord.charter.models import Document, SilenceProcedure
from accord.charter.statements import (
    RevisionError,
    outcome_of,
    revised_text,
    text_sha256,
)
from accord.charter.text import Provision
from accord.forum.actions import Actor
from accord.ledger.envelope import format_time, parse_time
from accord.ledger.errors import NotAllowed
from accord.ledger.submit import Accepted, submit_hosted


def _act(actor: Actor, kind: str, body: dict[str, Any]) -> Accepted:
    return submit_hosted(actor=actor.party, kind=kind, v=1, body=body, by=actor.person)


def introduce(
    actor: Actor, title: str, language: str, provisions: Sequence[dict[str, Any]]
) -> Accepted:
    """Introduce a document; its entry index names it from then on."""
    body = {"title": title, "language": language, "provisions": list(provisions)}
    return _act(actor, "charter.document.introduced", body)


def translate(  # noqa: PLR0913 -- the body's fields
    actor: Actor, document: int, provision: str, language: str, *, text: str = "", heading: str = ""
) -> Accepted:
    body = {
        "document": document,
        "provision": provision,
        "language": language,
        "heading": heading,
        "text": text,
    }
    return _act(actor, "charter.translation.given", body)


def amend(  # noqa: PLR0913 -- the body's fields
    actor: Actor,
    document: int,
    provision: str,
    action: str,
    *,
    text: str = "",
    heading: str = "",
    rationale: str = "",
) -> Accepted:
    body = {
        "document": document,
        "provision": provision,
        "action": action,
        "text": text,
        "heading": heading,
        "rationale": rationale,
    }
    return _act(actor, "charter.amendment.proposed", body)


def cosponsor(actor: Actor, amendment: int) -> Accepted:
    return _act(actor, "charter.amendment.cosponsored", {"amendment": amendment})


def withdraw(actor: Actor, amendment: int) -> Accepted:
    return _act(actor, "charter.amendment.withdrawn", {"amendment": amendment})


def state_position(actor: Actor, amendment: int, stance: str, note: str = "") -> Accepted:
    body = {"amendment": amendment, "stance": stance, "note": note}
    return _act(actor, "charter.position.stated", body)


def revision_body(document: int, incorporate: Sequence[int], drop: Sequence[int]) -> dict[str, Any]:
    """The next revision's whole body (number, complete text and its hash) for the chair's
    choices; NotAllowed names what is wrong with them. What an own-key chair signs too
    (``GET /api/v1/charter/documents/{document}/next-revision``)."""
    found = Document.objects.filter(entry_index=document).first()
    if found is None:
        raise NotAllowed(f"entry {document} is not a document of this forum", "no_document")
    try:
        provisions, _made = revised_text(found, incorporate, drop)
    except RevisionError as exc:
        raise NotAllowed(str(exc), exc.code) from None
    return {
        "document": document,
        "number": found.revision + 1,
        "incorporate": sorted(incorporate),
        "drop": sorted(drop),
        "provisions": [p.to_json() for p in provisions],
        "sha256": text_sha256(provisions),
    }


def revise(
    actor: Actor,
    document: int,
    incorporate: Sequence[int] = (),
    drop: Sequence[int] = (),
    **_given: Any,
) -> Accepted:
    """Issue the next revision; the text is computed here from the chair's choices (a text
    sent along, as an own-key tool signs it, is ignored: the log checks it anyway)."""
    with transaction.atomic():
        return _act(actor, "charter.revision.issued", revision_body(document, incorporate, drop))


def open_silence(actor: Actor, document: int, revision: int, until: str | datetime) -> Accepted:
    """Put the revision under silence until ``until``; every participating delegation is told
    (the kind's ``deliver``, whoever signs)."""
    deadline = until if isinstance(until, str) else format_time(until)
    body = {"document": document, "revision": revision, "until": _normal(deadline)}
    return _act(actor, "charter.silence.opened", body)


def _normal(moment: str) -> str:
    """An RFC 3339 time as the log writes it (UTC, ``Z``, microseconds); the text as given if
    it is not a time, for the schema to refuse with its own sentence."""
    try:
        return format_time(parse_time(moment))
    except ValueError:
        return moment


def break_silence(
    actor: Actor, procedure: int, reason: str, counter_proposal: str = ""
) -> Accepted:
    body = {"procedure": procedure, "reason": reason, "counter_proposal": counter_proposal}
    return _act(actor, "charter.silence.broken", body)


def conclude_silence(actor: Actor, procedure: int, outcome: str | None = None) -> Accepted:
    """Conclude a procedure whose deadline passed, with the outcome the log shows (unless one
    is given: the log refuses a wrong one); every participating delegation is told."""
    found = SilenceProcedure.objects.filter(entry_index=procedure).first()
    if outcome is None:
        outcome = outcome_of(found) if found is not None else "adopted"
    return _act(actor, "charter.silence.concluded", {"procedure": procedure, "outcome": outcome})


def interpret(actor: Actor, decision: int, text: str) -> Accepted:
    return _act(actor, "charter.interpretation.attached", {"decision": decision, "text": text})


def provisions_of(draft_provisions: Sequence[Provision]) -> list[dict[str, Any]]:
    """An importer's provisions as a statement carries them."""
    return [provision.to_json() for provision in draft_provisions]


def conclude_due(now: datetime) -> list[str]:
    """The scheduler's job: conclude every silence whose deadline has passed, as the
    secretariat, and queue the day-before reminders. One sentence per conclusion."""
    from accord.forum import queries as forum_queries  # noqa: PLC0415 -- a round, not import time
    from accord.ledger.errors import Rejected  # noqa: PLC0415

    secretariat = forum_queries.secretariat()
    if secretariat is None:
        return []
    done: list[str] = []
    due = SilenceProcedure.objects.filter(status="open").order_by("entry_index")
    for procedure in due:
        if parse_time(procedure.until) > now:
            continue
        try:
            accepted = conclude_silence(Actor(secretariat), procedure.entry_index)
        except Rejected as refusal:
            done.append(f"Silence of entry {procedure.entry_index} was not concluded: {refusal}")
            continue
        done.append(
            f"Concluded the silence of entry {procedure.entry_index} as entry {accepted.index}."
        )
    reminded = notices.remind(now)
    if reminded:
        done.append(f"Reminded the delegations of {reminded} silence ending within a day.")
    return done
