"""The conference's reads for its pages, each a fixed number of queries (its docstring says
how many) whatever the number of meetings, inscriptions, statements or parties: rows are
fetched per kind in one query each and joined here, never one query a row.

Party names are not read here: the pages print them with ``party_name`` from the ``parties``
register the layout's context loads once (two queries, ``accord.ledger.names``).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from accord.charter.models import Decision, Document, Interpretation
from accord.dialogue import order
from accord.dialogue.models import (
    AgendaItem,
    Circulated,
    Credentials,
    CredentialsReport,
    Delegation,
    DeliveredStatement,
    Edition,
    FollowUp,
    Inscription,
    Journal,
    Meeting,
    Objection,
    Question,
    SpeakersList,
    Summary,
)
from accord.dialogue.templatetags.dialogue_words import parse, zone
from accord.forum.models import ForumParty

STANDINGS = ("participating", "observer", "partner", "invited")
"""Delegations by standing: the participating parties first, then the guests."""


def editions() -> list[Edition]:
    """Every edition, earliest first; one query."""
    return list(Edition.objects.order_by("starts_on", "entry_index"))


def meetings_by_edition() -> dict[int, list[Meeting]]:
    """Every meeting, by edition, in order; one query."""
    found: dict[int, list[Meeting]] = {}
    for row in Meeting.objects.order_by("starts_at", "number"):
        found.setdefault(row.edition, []).append(row)
    return found


def edition(entry: int) -> Edition | None:
    """One query."""
    return Edition.objects.filter(entry_index=entry).first()


def meeting(entry: int) -> Meeting | None:
    """One query."""
    return Meeting.objects.filter(entry_index=entry).first()


@dataclass(frozen=True)
class Item:
    """An agenda item with its depth (``2.1`` sits under ``2``), the documents it links and
    the follow-up items of earlier editions it reviews."""

    row: AgendaItem
    depth: int
    documents: list[Document]
    followups: list[FollowUp]


def agenda(edition_entry: int) -> list[Item]:
    """The edition's agenda in order; three queries (items, documents, follow-ups)."""
    rows = list(AgendaItem.objects.filter(edition=edition_entry).order_by("position"))
    wanted = {entry for row in rows for entry in row.documents}
    reviewed = {entry for row in rows for entry in row.followups}
    documents = {d.entry_index: d for d in Document.objects.filter(entry_index__in=wanted)}
    followups = {f.entry_index: f for f in FollowUp.objects.filter(entry_index__in=reviewed)}
    return [
        Item(
            row,
            row.number.count(".") + 1,
            [documents[e] for e in row.documents if e in documents],
            [followups[e] for e in row.followups if e in followups],
        )
        for row in rows
    ]


def meetings(edition_entry: int) -> list[Meeting]:
    """One query."""
    return list(Meeting.objects.filter(edition=edition_entry).order_by("starts_at", "number"))


@dataclass(frozen=True)
class Asked:
    """A question put to a meeting: the draft, the objections heard, the decision if adopted."""

    question: Question
    document: Document | None
    objections: list[Objection]
    decision: Decision | None
    interpretations: list[Interpretation] = field(default_factory=list)


def questions(meeting_entries: Iterable[int]) -> list[Asked]:
    """The questions of some meetings; five queries (questions, documents, objections,
    decisions, interpretations)."""
    rows = list(Question.objects.filter(meeting__in=list(meeting_entries)).order_by("entry_index"))
    documents = {
        d.entry_index: d
        for d in Document.objects.filter(entry_index__in={r.document for r in rows})
    }
    objections: dict[int, list[Objection]] = {}
    for objection in Objection.objects.filter(question__in=[r.entry_index for r in rows]).order_by(
        "entry_index"
    ):
        objections.setdefault(objection.question, []).append(objection)
    decided = {r.decision for r in rows if r.decision is not None}
    decisions = {d.entry_index: d for d in Decision.objects.filter(entry_index__in=decided)}
    attached: dict[int, list[Interpretation]] = {}
    for one in Interpretation.objects.filter(decision__in=decided).order_by("entry_index"):
        attached.setdefault(one.decision, []).append(one)
    return [
        Asked(
            row,
            documents.get(row.document),
            objections.get(row.entry_index, []),
            decisions.get(row.decision) if row.decision is not None else None,
            attached.get(row.decision, []) if row.decision is not None else [],
        )
        for row in rows
    ]


def summaries(edition_entry: int) -> list[Summary]:
    """One query."""
    return list(Summary.objects.filter(edition=edition_entry).order_by("entry_index"))


def followups(edition_entry: int) -> list[FollowUp]:
    """One query."""
    return list(FollowUp.objects.filter(edition=edition_entry).order_by("entry_index"))


@dataclass(frozen=True)
class Present:
    """A delegation with its members in precedence and its credentials (latest first)."""

    delegation: Delegation
    members: list[dict[str, object]]
    credentials: list[Credentials]
    reports: dict[int, str]


def participants(edition_entry: int) -> list[Present]:
    """Delegations by standing, then party; three queries (delegations, credentials,
    reports)."""
    rows = list(Delegation.objects.filter(edition=edition_entry))
    held: dict[str, list[Credentials]] = {}
    for found in Credentials.objects.filter(edition=edition_entry).order_by("-entry_index"):
        held.setdefault(found.party, []).append(found)
    reports = dict(
        CredentialsReport.objects.filter(edition=edition_entry).values_list("entry_index", "symbol")
    )
    rows.sort(
        key=lambda d: (STANDINGS.index(d.standing) if d.standing in STANDINGS else 9, d.party)
    )
    return [
        Present(
            row,
            sorted(row.members, key=lambda m: int(str(m.get("precedence", 0)))),
            held.get(row.party, []),
            reports,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Spoken:
    """A delivered statement and its circulated text (None when the host holds no copy)."""

    delivered: DeliveredStatement
    circulated: Circulated | None


def statements(meeting_entry: int) -> list[Spoken]:
    """A meeting's statements in order of delivery; two queries."""
    rows = list(DeliveredStatement.objects.filter(meeting=meeting_entry).order_by("entry_index"))
    texts = {
        c.entry_index: c
        for c in Circulated.objects.filter(entry_index__in={r.circulated for r in rows})
    }
    return [Spoken(row, texts.get(row.circulated)) for row in rows]


def statement(entry: int) -> Spoken | None:
    """A delivered statement with its text; two queries."""
    found = DeliveredStatement.objects.filter(entry_index=entry).first()
    if found is None:
        return None
    return Spoken(found, Circulated.objects.filter(entry_index=found.circulated).first())


def lineage(found: DeliveredStatement) -> list[DeliveredStatement]:
    """The statements that revise, correct or add to this one, and the one it revises; one
    query."""
    wanted = DeliveredStatement.objects.filter(revises=found.entry_index)
    if found.revises is not None:
        wanted = wanted | DeliveredStatement.objects.filter(entry_index=found.revises)
    return list(wanted.order_by("entry_index"))


def journal(meeting_entry: int) -> Journal | None:
    """One query."""
    return Journal.objects.filter(meeting=meeting_entry).first()


@dataclass(frozen=True)
class Room:
    """The live room: the item whose list was opened last, who has the floor and since when,
    the speakers waiting in order and the rights of reply waiting."""

    item: str
    title: str
    closed: bool
    speaking: Inscription | None
    speakers: list[Inscription]
    replies: list[Inscription]


def room(meeting_entry: int) -> Room | None:
    """Three queries whatever the number of inscriptions (the latest list, the item's title,
    its inscriptions); None when no list was opened at the meeting."""
    current = SpeakersList.objects.filter(meeting=meeting_entry).order_by("-opened").first()
    if current is None:
        return None
    title = (
        AgendaItem.objects.filter(
            number=current.item,
            edition__in=Meeting.objects.filter(entry_index=meeting_entry).values("edition"),
        )
        .values_list("title", flat=True)
        .first()
    )
    rows = list(Inscription.objects.filter(meeting=meeting_entry, item=current.item))
    given = [row for row in rows if row.floor is not None]
    speaking = max(given, key=lambda row: row.floor or 0) if given else None
    queue = order.waiting(rows)
    return Room(
        current.item,
        title or "",
        current.closed is not None,
        speaking,
        [row for row in queue if row.kind != "reply"],
        [row for row in queue if row.kind == "reply"],
    )


def day(on: date) -> list[tuple[Meeting, Edition]]:
    """The meetings that begin on a day in their edition's time zone, in order; two queries."""
    found = {
        e.entry_index: e
        for e in Edition.objects.filter(starts_on__lte=on.isoformat(), ends_on__gte=on.isoformat())
    }
    rows = []
    for row in Meeting.objects.filter(edition__in=list(found)).order_by("starts_at", "entry_index"):
        edition_of = found[row.edition]
        moment = parse(row.starts_at)
        if moment is not None and moment.astimezone(zone(edition_of.time_zone)).date() == on:
            rows.append((row, edition_of))
    return rows


def standing(code: str) -> str:
    """A party's standing in the forum, one query; empty when unknown."""
    return ForumParty.objects.filter(code=code).values_list("status", flat=True).first() or ""
