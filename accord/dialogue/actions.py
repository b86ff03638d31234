"""What pages, the API and the CLI call to act in a conference; each act is one transaction.

An action builds a body and hands it to ``submit_hosted`` for the acting party (its key
held by this host), naming the person who acts; the rules profile and the kind's
``check`` decide. A party with its own key signs the same bodies itself (``accord
conference … --url URL --key FILE``). Two actions compute part of their body from the
log, as anyone could: ``give_floor`` names the next speaker the list's order gives, and
``issue_journal`` the hash of the journal the log implies.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from accord.dialogue import journal
from accord.dialogue.models import Meeting
from accord.dialogue.statements import next_speaker
from accord.forum.actions import Actor
from accord.ledger.errors import NotAllowed
from accord.ledger.submit import Accepted, submit_hosted


def _act(actor: Actor, kind: str, body: dict[str, Any], distribution: str = "public") -> Accepted:
    return submit_hosted(
        actor=actor.party, kind=kind, v=1, body=body, by=actor.person, distribution=distribution
    )


def create(  # noqa: PLR0913 -- the edition's fields, each chosen by the convener
    actor: Actor,
    *,
    series: str,
    series_title: str,
    title: str,
    city: str,
    time_zone: str,
    starts_on: str,
    ends_on: str,
    chair: str,
    languages: Sequence[str],
    venue: str = "",
) -> Accepted:
    """Convene an edition; its entry index names it from then on."""
    body = {
        "series": series,
        "series_title": series_title,
        "title": title,
        "city": city,
        "venue": venue,
        "time_zone": time_zone,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "chair": chair,
        "languages": list(languages),
    }
    return _act(actor, "dialogue.edition.created", body)


def add_meeting(  # noqa: PLR0913 -- the meeting's fields
    actor: Actor,
    edition: int,
    *,
    title: str,
    starts_at: str,
    ends_at: str,
    room: str,
    languages: Sequence[str],
    format: str = "plenary",  # noqa: A002 -- the body's field
    record: str = "summary",
    interpretation: Sequence[str] = (),
) -> Accepted:
    body = {
        "edition": edition,
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "room": room,
        "format": format,
        "record": record,
        "languages": list(languages),
        "interpretation": list(interpretation),
    }
    return _act(actor, "dialogue.meeting.added", body)


def propose_agenda(actor: Actor, edition: int, items: Sequence[Mapping[str, Any]]) -> Accepted:
    return _act(actor, "dialogue.agenda.proposed", {"edition": edition, "items": list(items)})


def adopt_agenda(actor: Actor, edition: int, meeting: int) -> Accepted:
    return _act(actor, "dialogue.agenda.adopted", {"edition": edition, "meeting": meeting})


def name_delegation(actor: Actor, edition: int, members: Sequence[Mapping[str, str]]) -> Accepted:
    body = {"edition": edition, "members": [dict(member) for member in members]}
    return _act(actor, "dialogue.delegation.named", body)


def submit_credentials(
    actor: Actor, edition: int, *, issuer: str, instrument: str, dated: str
) -> Accepted:
    body = {"edition": edition, "issuer": issuer, "instrument": instrument, "dated": dated}
    return _act(actor, "dialogue.credentials.submitted", body)


def accept_credentials(
    actor: Actor, edition: int, *, parties: Sequence[str], report: str
) -> Accepted:
    body = {"edition": edition, "parties": list(parties), "report": report}
    return _act(actor, "dialogue.credentials.accepted", body)


def open_list(actor: Actor, meeting: int, item: str, *, seconds: int = 0) -> Accepted:
    body = {"meeting": meeting, "item": item, "seconds": seconds}
    return _act(actor, "dialogue.speakers.opened", body)


def close_list(actor: Actor, meeting: int, item: str) -> Accepted:
    return _act(actor, "dialogue.speakers.closed", {"meeting": meeting, "item": item})


def inscribe(  # noqa: PLR0913 -- the inscription's fields
    actor: Actor,
    meeting: int,
    item: str,
    *,
    speaker: str,
    point_of_order: bool = False,
    on_behalf_of: str = "",
    aligning: Sequence[str] = (),
) -> Accepted:
    body = {
        "meeting": meeting,
        "item": item,
        "speaker": speaker,
        "point_of_order": point_of_order,
        "on_behalf_of": on_behalf_of,
        "aligning": list(aligning),
    }
    return _act(actor, "dialogue.speaker.inscribed", body)


def reply(actor: Actor, meeting: int, item: str, *, to: str, speaker: str) -> Accepted:
    body = {"meeting": meeting, "item": item, "to": to, "speaker": speaker}
    return _act(actor, "dialogue.reply.requested", body)


def give_floor(
    actor: Actor, meeting: int, item: str, *, inscription: int | None = None
) -> Accepted:
    """Give the floor to ``inscription``, or (None) to whoever the list's order names next."""
    if inscription is None:
        following = next_speaker(meeting, item)
        if following is None:
            raise NotAllowed(f"nobody waits for the floor on item {item}", "nobody_waiting")
        inscription = following.entry_index
    body = {"meeting": meeting, "item": item, "inscription": inscription}
    return _act(actor, "dialogue.floor.given", body)


def circulate(  # noqa: PLR0913 -- the text's fields, and its distribution
    actor: Actor,
    *,
    title: str,
    language: str,
    text: str,
    versions: Mapping[str, str] | None = None,
    check_against_delivery: bool = True,
    distribution: str = "public",
) -> Accepted:
    """Circulate a statement's text (the copy for the interpreters); restricted, the log holds
    only a commitment to it."""
    body = {
        "title": title,
        "language": language,
        "text": text,
        "versions": dict(versions or {}),
        "check_against_delivery": check_against_delivery,
    }
    return _act(actor, "dialogue.statement.circulated", body, distribution)


def deliver(  # noqa: PLR0913 -- the delivery's fields
    actor: Actor,
    meeting: int,
    item: str,
    *,
    circulated: int,
    language: str,
    speaker: str = "",
    on_behalf_of: str = "",
    aligning: Sequence[str] = (),
    revises: int | None = None,
    lineage: str = "",
) -> Accepted:
    body: dict[str, Any] = {
        "meeting": meeting,
        "item": item,
        "circulated": circulated,
        "language": language,
        "speaker": speaker,
        "on_behalf_of": on_behalf_of,
        "aligning": list(aligning),
        "lineage": lineage,
    }
    if revises is not None:
        body["revises"] = revises
    return _act(actor, "dialogue.statement.delivered", body)


def circulate_and_deliver(  # noqa: PLR0913 -- the text's fields and the delivery's
    actor: Actor,
    meeting: int,
    item: str,
    *,
    title: str,
    language: str,
    text: str,
    distribution: str = "public",
    check_against_delivery: bool = True,
    versions: Mapping[str, str] | None = None,
    speaker: str = "",
    on_behalf_of: str = "",
    aligning: Sequence[str] = (),
    revises: int | None = None,
    lineage: str = "",
) -> list[Accepted]:
    """A statement delivered from its text in one transaction: circulated, then delivered;
    if the delivery is refused the circulation is not kept either."""
    with transaction.atomic():
        circulated = circulate(
            actor,
            title=title,
            language=language,
            text=text,
            versions=versions,
            check_against_delivery=check_against_delivery,
            distribution=distribution,
        )
        delivered = deliver(
            actor,
            meeting,
            item,
            circulated=circulated.index,
            language=language,
            speaker=speaker,
            on_behalf_of=on_behalf_of,
            aligning=aligning,
            revises=revises,
            lineage=lineage,
        )
    return [circulated, delivered]


def derestrict(actor: Actor, statement: int, *, decision: int) -> Accepted:
    body = {"statement": statement, "decision": decision}
    return _act(actor, "dialogue.statement.derestricted", body)


def ask(  # noqa: PLR0913 -- the question's fields
    actor: Actor,
    meeting: int,
    item: str,
    *,
    document: int,
    revision: int,
    derestricts: Sequence[int] = (),
) -> Accepted:
    """Ask the meeting to adopt ``document`` at ``revision`` by consensus."""
    body = {
        "meeting": meeting,
        "item": item,
        "document": document,
        "revision": revision,
        "derestricts": list(derestricts),
    }
    return _act(actor, "dialogue.decision.asked", body)


def object_to(actor: Actor, question: int, *, reason: str = "") -> Accepted:
    return _act(actor, "dialogue.objection.made", {"question": question, "reason": reason})


def declare(actor: Actor, question: int, *, outcome: str = "adopted") -> Accepted:
    return _act(actor, "dialogue.decision.declared", {"question": question, "outcome": outcome})


def issue_summary(  # noqa: PLR0913 -- the summary's fields
    actor: Actor,
    edition: int,
    *,
    title: str,
    language: str,
    text: str,
    form: str = "chairs_summary",
) -> Accepted:
    body = {"edition": edition, "form": form, "title": title, "language": language, "text": text}
    return _act(actor, "dialogue.summary.issued", body)


def issue_journal(actor: Actor, meeting: int, *, sha256: str = "") -> Accepted:
    """Issue the meeting's journal, hashing the journal the log implies unless ``sha256``
    names the one the secretariat means (``check`` refuses it if they differ)."""
    if not sha256 and Meeting.objects.filter(entry_index=meeting).exists():
        sha256 = journal.sha256_of(journal.content(meeting))
    digest = sha256 or "0" * 64  # no such meeting: the kind's check says so
    return _act(actor, "dialogue.journal.issued", {"meeting": meeting, "sha256": digest})


def record_followup(
    actor: Actor, edition: int, *, category: str, text: str, owner: str
) -> Accepted:
    body = {"edition": edition, "category": category, "text": text, "owner": owner}
    return _act(actor, "dialogue.followup.recorded", body)


def update_followup(actor: Actor, followup: int, *, status: str, evidence: str = "") -> Accepted:
    body = {"followup": followup, "status": status, "evidence": evidence}
    return _act(actor, "dialogue.followup.updated", body)
