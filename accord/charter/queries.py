"""Reads of the charter, each with its query count fixed: it never grows with the number of
provisions, amendments or parties (the bracketed page of a 400-article charter with 4,000
amendments costs the same handful of queries as a short one; a test counts them).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from accord.charter import text as charter_text
from accord.charter.models import (
    Amendment,
    Cosponsorship,
    Decision,
    Document,
    Interpretation,
    Position,
    Provision,
    Revision,
    SilenceBreak,
    SilenceProcedure,
    Translation,
)
from accord.charter.statements import translation_is_current
from accord.forum import queries as forum_queries
from accord.ledger.names import party_names


def documents() -> list[Document]:
    """Every document, newest first; one query."""
    return list(Document.objects.order_by("-entry_index"))


def document(entry: int) -> Document | None:
    return Document.objects.filter(entry_index=entry).first()


def resolve(reference: str) -> Document | None:
    """The document an identifier names: its entry index, or its symbol with or without a
    revision (``ESD.L/1/25``, ``ESD.L/1/25/Rev.2``). One query."""
    if reference.isdigit():
        return document(int(reference))
    base = reference.split("/Rev.", 1)[0]
    return Document.objects.filter(symbol=base).first()


def text_of(found: Document, revision: int | None = None) -> list[charter_text.Provision]:
    """The provisions of a revision (default: the current one); one query."""
    number = found.revision if revision is None else revision
    rows = Provision.objects.filter(document=found.entry_index, revision=number)
    return [
        charter_text.Provision(r.eid, r.element, r.num, r.heading, r.text, r.parent) for r in rows
    ]


def names() -> dict[str, str]:
    """Every registered party's name in the reader's language, by code; two queries."""
    register = party_names()
    return {code: register.name(code) or code for code in register.names}


@dataclass(frozen=True)
class AmendmentView:
    """An amendment with who backs it and where every party stands."""

    amendment: Amendment
    cosponsors: tuple[str, ...]
    positions: dict[str, Position]
    """The current position of each party that stated one, by party code."""

    @property
    def sponsors(self) -> tuple[str, ...]:
        return (self.amendment.sponsor, *self.cosponsors)

    @property
    def tally(self) -> dict[str, int]:
        counts = dict.fromkeys(("support", "accept", "reserve", "object"), 0)
        for position in self.positions.values():
            counts[position.stance] += 1
        return counts

    @property
    def agreeable(self) -> bool:
        return all(position.stance != "object" for position in self.positions.values())


def amendments(found: Document, *, status: str | None = "open") -> list[AmendmentView]:
    """The document's amendments (open ones by default) with co-sponsors and current
    positions; three queries whatever their number."""
    rows = Amendment.objects.filter(document=found.entry_index)
    if status is not None:
        rows = rows.filter(status=status)
    listed = list(rows.order_by("entry_index"))
    entries = [a.entry_index for a in listed]
    cosponsors: dict[int, list[str]] = defaultdict(list)
    for row in Cosponsorship.objects.filter(amendment__in=entries).order_by("entry_index"):
        cosponsors[row.amendment].append(row.party)
    positions: dict[int, dict[str, Position]] = defaultdict(dict)
    for position in Position.objects.filter(amendment__in=entries, current=True):
        positions[position.amendment][position.party] = position
    return [
        AmendmentView(a, tuple(cosponsors[a.entry_index]), positions[a.entry_index]) for a in listed
    ]


def _open_options(found: Document, named: dict[str, str]) -> dict[str, list[charter_text.Option]]:
    """The open amendments as options, by eId; three queries of bare rows (no model
    instances: at 4,000 amendments with 24,000 positions and co-sponsors, building those
    cost four times the rest of the bracketed page). The same options ``amendments`` and
    ``_option`` make."""
    open_now = Amendment.objects.filter(document=found.entry_index, status="open")
    entries = open_now.values("entry_index")
    cosponsors: dict[int, list[str]] = defaultdict(list)
    rows = Cosponsorship.objects.filter(amendment__in=entries).order_by("entry_index")
    for amendment, party in rows.values_list("amendment", "party"):
        cosponsors[amendment].append(named.get(party, party))
    positions: dict[int, list[tuple[str, str]]] = defaultdict(list)
    held = Position.objects.filter(amendment__in=entries, current=True)
    for amendment, party, stance in held.values_list("amendment", "party", "stance"):
        positions[amendment].append((named.get(party, party), stance))
    options: dict[str, list[charter_text.Option]] = defaultdict(list)
    fields = ("entry_index", "eid", "action", "text", "heading", "rationale", "sponsor")
    for entry, eid, action, text, heading, rationale, sponsor in open_now.order_by(
        "entry_index"
    ).values_list(*fields):
        options[eid].append(
            charter_text.Option(
                amendment=entry,
                action=action,
                text=text,
                heading=heading,
                sponsors=(named.get(sponsor, sponsor), *cosponsors[entry]),
                positions=tuple(sorted(positions[entry])),
                rationale=rationale,
            )
        )
    return options


def translated(
    provisions: Iterable[charter_text.Provision], found: Document, language: str
) -> list[charter_text.Provision]:
    """The provisions in ``language`` where a current translation exists, else as written;
    one query."""
    if language == found.language:
        return list(provisions)
    given = {
        t.eid: t for t in Translation.objects.filter(document=found.entry_index, language=language)
    }
    result = []
    for provision in provisions:
        translation = given.get(provision.eid)
        if translation is not None and translation_is_current(
            translation, provision.heading, provision.text
        ):
            provision = charter_text.Provision(  # noqa: PLW2901 -- the same provision, translated
                provision.eid,
                provision.element,
                provision.num,
                translation.heading,
                translation.text,
                provision.parent,
            )
        result.append(provision)
    return result


def compilation(
    found: Document, *, revision: int | None = None, language: str | None = None
) -> charter_text.Compilation:
    """The document at a revision, in a language, with its brackets (open amendments shown
    only at the current revision): what the pages and every export read. Eight queries,
    whatever the number of provisions, amendments and positions."""
    number = found.revision if revision is None else revision
    named = names()
    provisions = text_of(found, number)
    if language:
        provisions = translated(provisions, found, language)
    options = _open_options(found, named) if number == found.revision else {}
    revised = Revision.objects.filter(document=found.entry_index, number=number).first()
    decision = (
        Decision.objects.filter(entry_index=found.decision).first() if found.decision else None
    )
    forum = forum_queries.forum()
    symbol = found.symbol if number == 0 else f"{found.symbol}/Rev.{number}"
    status = found.status if number == found.revision else "superseded"
    return charter_text.Compilation(
        symbol=symbol,
        title=found.title,
        language=language or found.language,
        original_language=found.language,
        status=status,
        revision=number,
        forum=forum.name if forum is not None else "",
        introduced_on=found.introduced_at[:10],
        revised_on=(revised.issued_at if revised else found.introduced_at)[:10],
        provisions=tuple(
            charter_text.Compiled(p, tuple(options.get(p.eid, ()))) for p in provisions
        ),
        decision=decision.symbol if decision is not None and status == "adopted" else "",
        parties=named,
    )


@dataclass(frozen=True)
class Matrix:
    """Parties × open amendments: each cell the party's current stance, or "" (none stated)."""

    parties: list[tuple[str, str]]
    """(code, name) of every participating party, by name."""
    amendments: list[AmendmentView]

    def stance(self, party: str, view: AmendmentView) -> str:
        position = view.positions.get(party)
        return position.stance if position is not None else ""


def matrix(found: Document) -> Matrix:
    """The positions matrix of the document's open amendments; four queries."""
    named = names()
    members = forum_queries.parties_by_status().get("participating", [])
    parties = sorted(
        ((p.code, named.get(p.code, p.name)) for p in members), key=lambda pair: pair[1]
    )
    return Matrix(parties, amendments(found))


def convergence(found: Document) -> list[tuple[str, int]]:
    """Brackets remaining per revision, from the introduction to now: (label, count). The
    introduction's count is what was open just before Rev.1; two queries."""
    revisions = list(Revision.objects.filter(document=found.entry_index).order_by("number"))
    points: list[tuple[str, int]] = []
    first_revision = revisions[0].entry_index if revisions else None
    proposed = Amendment.objects.filter(document=found.entry_index)
    if first_revision is not None:
        before = proposed.filter(entry_index__lt=first_revision).values("eid").distinct().count()
        points.append((found.symbol, before))
        points.extend((f"Rev.{r.number}", r.brackets) for r in revisions)
    else:
        points.append(
            (found.symbol, proposed.filter(status="open").values("eid").distinct().count())
        )
    return points


def objections(found: Document) -> dict[str, list[AmendmentView]]:
    """Per party (by code), the open amendments it objects to now: what a chief negotiator
    asks before every session. Three queries."""
    held: dict[str, list[AmendmentView]] = defaultdict(list)
    for view in amendments(found):
        for code, position in view.positions.items():
            if position.stance == "object":
                held[code].append(view)
    return dict(held)


def history(amendment: int) -> list[Position]:
    """Every position stated on an amendment, oldest first; one query."""
    return list(Position.objects.filter(amendment=amendment).order_by("entry_index"))


def amendment(entry: int) -> AmendmentView | None:
    found = Amendment.objects.filter(entry_index=entry).first()
    if found is None:
        return None
    document_row = Document.objects.get(entry_index=found.document)
    return next(
        (
            view
            for view in amendments(document_row, status=None)
            if view.amendment.entry_index == entry
        ),
        None,
    )


def revisions(found: Document) -> list[Revision]:
    return list(Revision.objects.filter(document=found.entry_index).order_by("number"))


def procedures(found: Document | None = None) -> list[SilenceProcedure]:
    rows = SilenceProcedure.objects.order_by("-entry_index")
    if found is not None:
        rows = rows.filter(document=found.entry_index)
    return list(rows)


def procedure(entry: int) -> SilenceProcedure | None:
    return SilenceProcedure.objects.filter(entry_index=entry).first()


def breaks(procedure_entry: int) -> list[SilenceBreak]:
    return list(SilenceBreak.objects.filter(procedure=procedure_entry).order_by("entry_index"))


def decisions() -> list[Decision]:
    return list(Decision.objects.order_by("-entry_index"))


def decision(reference: str | int) -> Decision | None:
    """A decision by entry index or symbol (``ESD.DEC/1/25``); one query."""
    text = str(reference)
    if text.isdigit():
        return Decision.objects.filter(entry_index=int(text)).first()
    return Decision.objects.filter(symbol=text).first()


def interpretations(decision_entry: int) -> list[Interpretation]:
    return list(Interpretation.objects.filter(decision=decision_entry).order_by("entry_index"))


@dataclass(frozen=True)
class LanguageVersion:
    """One provision in one language: its wording and whether it is the original, a current
    translation, an outdated one, or missing."""

    heading: str
    text: str
    status: str
    """``original``, ``current``, ``outdated`` or ``missing``."""


def side_by_side(
    found: Document, languages: Iterable[str]
) -> list[tuple[charter_text.Provision, dict[str, LanguageVersion]]]:
    """Each provision of the current revision with its version in every language; two
    queries."""
    wanted = list(languages)
    given: dict[tuple[str, str], Translation] = {
        (t.eid, t.language): t
        for t in Translation.objects.filter(document=found.entry_index, language__in=wanted)
    }
    rows = []
    for provision in text_of(found):
        versions: dict[str, LanguageVersion] = {}
        for language in wanted:
            if language == found.language:
                versions[language] = LanguageVersion(provision.heading, provision.text, "original")
                continue
            translation = given.get((provision.eid, language))
            if translation is None:
                versions[language] = LanguageVersion("", "", "missing")
            elif translation_is_current(translation, provision.heading, provision.text):
                versions[language] = LanguageVersion(
                    translation.heading, translation.text, "current"
                )
            else:
                versions[language] = LanguageVersion(
                    translation.heading, translation.text, "outdated"
                )
        rows.append((provision, versions))
    return rows
