"""A meeting's journal, computed from the log (the OSCE per-meeting journal, dialogue.md §2.7).

Who spoke under each item with the symbols of their statements, the decisions adopted with
the interpretative statements attached to them, and the agenda's adoption when it happened
at this meeting. Only public facts: a restricted statement appears by its symbol and
distribution, never by its text, so the journal is the same for every reader and a public
replay recomputes it. ``sha256_of(content(m))`` is what ``dialogue.journal.issued`` signs.

Cost: a fixed number of queries (eight) whatever the meeting's length; linear in its rows.
"""

import hashlib
from typing import Any

from accord.charter import queries as charter_queries
from accord.dialogue.models import (
    AgendaItem,
    DeliveredStatement,
    Edition,
    Inscription,
    Meeting,
    Question,
)
from accord.lib import canonical


def content(meeting_entry: int) -> dict[str, Any]:
    """The journal of a meeting as plain data (canonical-JSON-ready)."""
    meeting = Meeting.objects.get(entry_index=meeting_entry)
    edition = Edition.objects.get(entry_index=meeting.edition)
    items = list(AgendaItem.objects.filter(edition=edition.entry_index).order_by("position"))
    turns = list(
        Inscription.objects.filter(meeting=meeting_entry, floor__isnull=False).order_by("floor")
    )
    delivered = list(DeliveredStatement.objects.filter(meeting=meeting_entry))
    questions = list(Question.objects.filter(meeting=meeting_entry).order_by("entry_index"))
    decided = {
        question.decision: charter_queries.decision(question.decision)
        for question in questions
        if question.decision is not None
    }
    by_item: dict[str, dict[str, Any]] = {}

    def under(number: str, title: str = "") -> dict[str, Any]:
        """The journal's entry for an item; one a later proposal dropped keeps its number."""
        return by_item.setdefault(
            number,
            {"number": number, "title": title, "speakers": [], "statements": [], "decisions": []},
        )

    for item in items:
        under(item.number, item.title)
    for turn in turns:
        under(turn.item)["speakers"].append(
            {
                "party": turn.party,
                "speaker": turn.speaker,
                "kind": turn.kind,
                "on_behalf_of": turn.on_behalf_of,
                "aligning": list(turn.aligning),
                "replying_to": turn.replying_to,
                "at": turn.floor_at,
            }
        )
    for statement in delivered:
        under(statement.item)["statements"].append(
            {
                "symbol": statement.symbol,
                "party": statement.party,
                "language": statement.language,
                "distribution": "restricted" if statement.is_restricted else "public",
                "on_behalf_of": statement.on_behalf_of,
                "aligning": list(statement.aligning),
            }
        )
    for question in questions:
        found = decided.get(question.decision) if question.decision is not None else None
        document = charter_queries.document(question.document)
        under(question.item)["decisions"].append(
            {
                "asked_at": question.asked_at,
                "document": document.current_symbol if document is not None else "",
                "title": document.title if document is not None else "",
                "outcome": question.status,
                "symbol": found.symbol if found is not None else "",
                "interpretations": [
                    {"party": row.party, "text": row.text, "at": row.attached_at}
                    for row in (charter_queries.interpretations(found.entry_index) if found else [])
                ],
            }
        )
    return {
        "edition": {"title": edition.title, "number": edition.number, "chair": edition.chair},
        "meeting": {
            "number": meeting.number,
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "room": meeting.room,
            "format": meeting.format,
            "record": meeting.record,
        },
        "agenda_adopted": edition.agenda_symbol
        if edition.agenda_adopted is not None and _adopted_here(edition, meeting)
        else "",
        "items": [entry for entry in by_item.values() if _has_content(entry)],
    }


def _adopted_here(edition: Edition, meeting: Meeting) -> bool:
    opening = Meeting.objects.filter(edition=edition.entry_index).order_by("number").first()
    return opening is not None and opening.entry_index == meeting.entry_index


def _has_content(item: dict[str, Any]) -> bool:
    return bool(item["speakers"] or item["statements"] or item["decisions"])


def sha256_of(journal: dict[str, Any]) -> str:
    """The hash the secretariat signs: SHA-256 of the journal's canonical JSON."""
    return hashlib.sha256(canonical.dumps(journal)).hexdigest()
