"""The charter's statement kinds: documents, translations, amendments, positions, revisions,
silence procedures, decisions and interpretative statements.

Each class is one kind: its fields are the body's schema, its docstring its
paragraph in docs/charter.md, ``check`` says when it may be made now and
``apply`` writes the projection. Who may make a kind at all (the chair, the
participating parties, the secretariat) is the rules profile's business; what
is checked here holds whoever is granted it. Deadlines are judged by the
log's ``logged_at``, never by the signer's clock.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.charter import notices
from accord.charter import text as charter_text
from accord.charter.models import (
    PROJECTIONS,
    Amendment,
    Cosponsorship,
    Decision,
    Document,
    DocumentSymbol,
    Interpretation,
    Position,
    Provision,
    Revision,
    SilenceBreak,
    SilenceProcedure,
    Translation,
)
from accord.charter.rules import charter_rules, silence_bounds
from accord.forum import queries as forum_queries
from accord.ledger.digest import register_projection
from accord.ledger.envelope import format_time, parse_time
from accord.ledger.errors import Malformed, NotAllowed
from accord.ledger.registry import Body, Context, statement_kind
from accord.lib import canonical

for _model in PROJECTIONS:
    register_projection(_model)

Language = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
Element = charter_text.Element
LongText = Field(default="", max_length=charter_text.MAX_TEXT)


class ProvisionBody(BaseModel):
    """One provision as a statement carries it (``accord.charter.text.Provision``)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    eid: str = Field(pattern=r"^[A-Za-z0-9_-]{1,200}$")
    element: Element
    num: str = Field(default="", max_length=64)
    heading: str = Field(default="", max_length=2000)
    text: str = LongText
    parent: str = Field(default="", max_length=200)

    def provision(self) -> charter_text.Provision:
        return charter_text.Provision(
            self.eid, self.element, self.num, self.heading, self.text, self.parent
        )


def text_sha256(provisions: Sequence[charter_text.Provision]) -> str:
    """The hash of a complete text: SHA-256 of the canonical JSON of its provisions."""
    data = canonical.dumps([provision.to_json() for provision in provisions])
    return hashlib.sha256(data).hexdigest()


def _wording_sha256(heading: str, text: str) -> str:
    return hashlib.sha256(canonical.dumps([heading, text])).hexdigest()


# -- reads for check and apply -------------------------------------------------------------------


def _document(entry: int) -> Document:
    document = Document.objects.filter(entry_index=entry).first()
    if document is None:
        raise NotAllowed(f"entry {entry} is not a document of this forum", "no_document")
    return document


def _open_for_drafting(document: Document) -> None:
    if document.status == "adopted":
        raise NotAllowed(
            f"{document.current_symbol} was adopted; an adopted text is not amended",
            "adopted",
        )
    if document.status == "under_silence":
        raise NotAllowed(
            f"{document.current_symbol} is under silence; break silence with a counter-proposal"
            " instead",
            "under_silence",
        )
    if document.status == "superseded":
        raise NotAllowed(f"{document.current_symbol} was superseded", "superseded")


def current_text(document: Document) -> list[charter_text.Provision]:
    """The provisions of the document's current revision in order; one query."""
    return [
        charter_text.Provision(row.eid, row.element, row.num, row.heading, row.text, row.parent)
        for row in Provision.objects.filter(
            document=document.entry_index, revision=document.revision
        )
    ]


def _provision(document: Document, eid: str) -> Provision:
    row = Provision.objects.filter(
        document=document.entry_index, revision=document.revision, eid=eid
    ).first()
    if row is not None:
        return row
    earlier = (
        Provision.objects.filter(document=document.entry_index, eid=eid)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    if earlier is not None:
        raise NotAllowed(
            f"{eid} was deleted in Rev.{earlier + 1} of {document.symbol}; it cannot be amended",
            "deleted",
        )
    raise NotAllowed(f"{document.current_symbol} has no provision {eid}", "no_provision")


def _open_amendment(entry: int) -> Amendment:
    amendment = Amendment.objects.filter(entry_index=entry).first()
    if amendment is None:
        raise NotAllowed(f"entry {entry} is not an amendment", "no_amendment")
    if amendment.status != "open":
        raise NotAllowed(f"amendment {entry} is {amendment.status}", "amendment_closed")
    return amendment


def _write_text(document: int, revision: int, provisions: Sequence[charter_text.Provision]) -> None:
    Provision.objects.bulk_create(
        Provision(
            document=document,
            revision=revision,
            position=position,
            eid=p.eid,
            element=p.element,
            num=p.num,
            heading=p.heading,
            text=p.text,
            parent=p.parent,
        )
        for position, p in enumerate(provisions)
    )


def allocate_symbol(series: str, ctx: Context) -> str:
    """The next symbol of ``series`` this year (``ESD.L/1/25``), registered for this entry.

    The registry every app that issues documents shares: numbers run per series and
    year, from the projection, so replay allocates the same ones.
    """
    forum = forum_queries.forum()
    prefix = forum.symbol_prefix if forum is not None else "DOC"
    year = ctx.logged_at.year
    number = DocumentSymbol.objects.filter(series=series, year=year).count() + 1
    symbol = f"{prefix}.{series}/{number}/{year % 100:02d}"
    DocumentSymbol.objects.create(
        symbol=symbol, series=series, number=number, year=year, entry_index=ctx.index
    )
    return symbol


def _participating() -> list[str]:
    return sorted(
        party.code for party in forum_queries.parties_by_status().get("participating", [])
    )


# -- documents and translations ------------------------------------------------------------------


@statement_kind("charter.document.introduced", 1)
class DocumentIntroduced(Body):
    """A party introduces a document for negotiation: its title, its original language and
    its provisions in reading order, each with its Akoma Ntoso eId, element, number, heading,
    text and parent. The document takes the next symbol of the draft series
    (``<prefix>.L/<n>/<yy>``), shared by all its language versions. A large text travels as
    a blob."""

    title: str = Field(min_length=1, max_length=300)
    language: str = Language
    provisions: list[ProvisionBody] = Field(min_length=1, max_length=charter_text.MAX_PROVISIONS)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(DocumentIntroduced)
        try:
            charter_text.check(p.provision() for p in body.provisions)
        except charter_text.TextError as exc:
            raise Malformed(
                f"the document's text does not hold together: {exc}", "bad_text"
            ) from None

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(DocumentIntroduced)
        Document.objects.create(
            entry_index=ctx.index,
            symbol=allocate_symbol("L", ctx),
            title=body.title,
            language=body.language,
            introduced_by=ctx.actor,
            introduced_at=format_time(ctx.logged_at),
        )
        _write_text(ctx.index, 0, [p.provision() for p in body.provisions])


@statement_kind("charter.translation.given", 1)
class TranslationGiven(Body):
    """A party or the secretariat gives a provision's heading and text in another of the
    forum's official languages. It translates the original as it stands now: when the original
    changes in a later revision, the translation is shown as outdated until given again."""

    document: int = Field(ge=0)
    provision: str = Field(min_length=1, max_length=200)
    language: str = Language
    heading: str = Field(default="", max_length=2000)
    text: str = LongText

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(TranslationGiven)
        document = _document(body.document)
        if body.language == document.language:
            raise NotAllowed(
                f"{document.symbol} was written in {body.language}; that is its original",
                "original_language",
            )
        forum = forum_queries.forum()
        languages = list(forum.languages) if forum is not None else []
        if body.language not in languages:
            raise NotAllowed(
                f"{body.language} is not an official language of the forum"
                f" ({', '.join(languages)})",
                "not_official",
            )
        original = _provision(document, body.provision)
        if bool(original.text) != bool(body.text) or bool(original.heading) != bool(body.heading):
            raise NotAllowed(
                f"give the text and the heading that {body.provision} has, no more and no less",
                "incomplete",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(TranslationGiven)
        document = _document(body.document)
        original = _provision(document, body.provision)
        Translation.objects.update_or_create(
            document=body.document,
            eid=body.provision,
            language=body.language,
            defaults={
                "heading": body.heading,
                "text": body.text,
                "source_sha256": _wording_sha256(original.heading, original.text),
                "entry_index": ctx.index,
                "translated_by": ctx.actor,
            },
        )


def translation_is_current(translation: Translation, heading: str, text: str) -> bool:
    """Whether ``translation`` translates the original wording (``heading``, ``text``)."""
    return translation.source_sha256 == _wording_sha256(heading, text)


# -- amendments and positions --------------------------------------------------------------------


@statement_kind("charter.amendment.proposed", 1)
class AmendmentProposed(Body):
    """A party proposes to amend one provision of a document's current revision: replace its
    text (and heading), insert a new provision before or after it, or delete it, with a
    rationale. Amendments to the same provision are alternatives. Refused for an adopted
    document, one under silence, and a provision that does not exist or was deleted."""

    document: int = Field(ge=0)
    provision: str = Field(min_length=1, max_length=200)
    action: Literal["replace", "insert_before", "insert_after", "delete"]
    text: str = LongText
    heading: str = Field(default="", max_length=2000)
    rationale: str = Field(default="", max_length=10_000)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(AmendmentProposed)
        document = _document(body.document)
        _open_for_drafting(document)
        target = _provision(document, body.provision)
        if body.action == "delete" and (body.text or body.heading):
            raise NotAllowed("a deletion carries no new text", "bad_amendment")
        if body.action != "delete" and not (body.text.strip() or body.heading.strip()):
            raise NotAllowed("give the new text the amendment proposes", "bad_amendment")
        if body.action == "replace" and (body.text, body.heading or target.heading) == (
            target.text,
            target.heading,
        ):
            raise NotAllowed(f"the text proposed is the text of {target.eid} already", "unchanged")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(AmendmentProposed)
        document = _document(body.document)
        Amendment.objects.create(
            entry_index=ctx.index,
            document=body.document,
            eid=body.provision,
            action=body.action,
            text=body.text,
            heading=body.heading,
            rationale=body.rationale,
            sponsor=ctx.actor,
            proposed_at=format_time(ctx.logged_at),
            revision=document.revision,
        )


@statement_kind("charter.amendment.cosponsored", 1)
class AmendmentCosponsored(Body):
    """A party other than the sponsor co-sponsors an open amendment with its own signature."""

    amendment: int = Field(ge=0)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(AmendmentCosponsored)
        amendment = _open_amendment(body.amendment)
        if amendment.sponsor == ctx.actor:
            raise NotAllowed(f"{ctx.actor} sponsors amendment {body.amendment}", "own_amendment")
        if Cosponsorship.objects.filter(amendment=body.amendment, party=ctx.actor).exists():
            raise NotAllowed(
                f"{ctx.actor} co-sponsors amendment {body.amendment} already", "cosponsor_already"
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(AmendmentCosponsored)
        Cosponsorship.objects.create(
            amendment=body.amendment, party=ctx.actor, entry_index=ctx.index
        )


@statement_kind("charter.amendment.withdrawn", 1)
class AmendmentWithdrawn(Body):
    """The sponsor withdraws its open amendment; its co-sponsorships and positions stay on
    record."""

    amendment: int = Field(ge=0)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(AmendmentWithdrawn)
        amendment = _open_amendment(body.amendment)
        if amendment.sponsor != ctx.actor:
            raise NotAllowed(
                f"amendment {body.amendment} is {amendment.sponsor}'s; only its sponsor withdraws"
                " it",
                "not_sponsor",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(AmendmentWithdrawn)
        Amendment.objects.filter(entry_index=body.amendment).update(
            status="withdrawn", closed_at=ctx.index
        )


@statement_kind("charter.position.stated", 1)
class PositionStated(Body):
    """A participating party states its position on an open amendment: support, can accept,
    reserve or object, with a note. A later position replaces it; the earlier stays in the
    history."""

    amendment: int = Field(ge=0)
    stance: Literal["support", "accept", "reserve", "object"]
    note: str = Field(default="", max_length=4000)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(PositionStated)
        _open_amendment(body.amendment)
        standing = forum_queries.party(ctx.actor)
        if standing is None or standing.status != "participating":
            raise NotAllowed(
                f"{ctx.actor} is not a participating party; only they state positions",
                "not_participating",
            )
        current = Position.objects.filter(
            amendment=body.amendment, party=ctx.actor, current=True
        ).first()
        if current is not None and (current.stance, current.note) == (body.stance, body.note):
            raise NotAllowed(f"{ctx.actor}'s position is {body.stance} already", "unchanged")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(PositionStated)
        Position.objects.filter(amendment=body.amendment, party=ctx.actor, current=True).update(
            current=False
        )
        Position.objects.create(
            amendment=body.amendment,
            party=ctx.actor,
            stance=body.stance,
            note=body.note,
            entry_index=ctx.index,
            stated_at=format_time(ctx.logged_at),
        )


# -- revisions -----------------------------------------------------------------------------------


class RevisionError(ValueError):
    """The chair's choices do not make a text; ``code`` is the refusal's."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


def revised_text(
    document: Document, incorporate: Sequence[int], drop: Sequence[int]
) -> tuple[list[charter_text.Provision], dict[int, str]]:
    """The complete text of the next revision (the current one with ``incorporate`` applied),
    and the eId each incorporated insertion takes.

    Raises RevisionError when an amendment is not open on this document, is both
    incorporated and dropped, when two alternatives to one provision are both incorporated,
    or when a kept amendment would be left amending a provision the revision deletes.
    Two queries, then linear in the provisions.
    """
    chosen = set(incorporate) | set(drop)
    if set(incorporate) & set(drop):
        raise RevisionError("an amendment cannot be both incorporated and dropped", "bad_choice")
    open_ones = {
        a.entry_index: a
        for a in Amendment.objects.filter(document=document.entry_index, status="open")
    }
    strangers = sorted(chosen - set(open_ones))
    if strangers:
        raise RevisionError(
            f"amendments {', '.join(map(str, strangers))} are not open on {document.symbol}",
            "no_amendment",
        )
    taken = [open_ones[entry] for entry in sorted(incorporate)]
    anchors = [(a.eid, a.action) for a in taken]
    if len(set(anchors)) != len(anchors) or _replaced_and_deleted(taken):
        raise RevisionError(
            "two amendments to one provision are alternatives; incorporate one of them",
            "alternatives",
        )
    deleted = {a.eid for a in taken if a.action == "delete"}
    orphans = sorted(
        entry for entry, a in open_ones.items() if entry not in chosen and a.eid in deleted
    )
    if orphans:
        raise RevisionError(
            f"amendments {', '.join(map(str, orphans))} amend a provision this revision deletes;"
            " drop them",
            "orphaned",
        )
    return _applied(current_text(document), taken)


def _replaced_and_deleted(taken: Sequence[Amendment]) -> bool:
    changed = [a.eid for a in taken if a.action in ("replace", "delete")]
    return len(set(changed)) != len(changed)


def _applied(
    provisions: list[charter_text.Provision], taken: Sequence[Amendment]
) -> tuple[list[charter_text.Provision], dict[int, str]]:
    changes = {a.eid: a for a in taken if a.action in ("replace", "delete")}
    before = {a.eid: a for a in taken if a.action == "insert_before"}
    after = {a.eid: a for a in taken if a.action == "insert_after"}
    eids = {p.eid for p in provisions}
    siblings = _previous_siblings(provisions)
    deleted = {eid for eid, a in changes.items() if a.action == "delete"}
    result: list[charter_text.Provision] = []
    made: dict[int, str] = {}
    for provision in provisions:
        if provision.eid in deleted or provision.parent in deleted:
            deleted.add(provision.eid)
            continue
        if provision.eid in before:
            new = _inserted(before[provision.eid], provision, siblings[provision.eid], eids)
            made[before[provision.eid].entry_index] = new.eid
            result.append(new)
        change = changes.get(provision.eid)
        kept = provision
        if change is not None:
            kept = replace(kept, heading=change.heading or kept.heading, text=change.text)
        result.append(kept)
        if provision.eid in after:
            new = _inserted(after[provision.eid], kept, kept, eids)
            made[after[provision.eid].entry_index] = new.eid
            result.append(new)
    return result, made


def _previous_siblings(
    provisions: Sequence[charter_text.Provision],
) -> dict[str, charter_text.Provision | None]:
    """Each provision's previous sibling (None for a first child), in one pass."""
    last: dict[str, charter_text.Provision] = {}
    previous: dict[str, charter_text.Provision | None] = {}
    for provision in provisions:
        previous[provision.eid] = last.get(provision.parent)
        last[provision.parent] = provision
    return previous


def _inserted(
    amendment: Amendment,
    anchor: charter_text.Provision,
    follows: charter_text.Provision | None,
    eids: set[str],
) -> charter_text.Provision:
    """A new sibling of ``anchor`` named after the sibling it follows ("5 bis" after "5");
    inserted before the first sibling, after the anchor with "ante" ("1 ante")."""
    if follows is None:
        eid, repeat = f"{anchor.eid}ante", 1
        while eid in eids:
            repeat += 1
            eid = f"{anchor.eid}ante_{repeat}"
        num = f"{anchor.num.rstrip('.')} ante" if anchor.num else ""
    else:
        eid = charter_text.inserted_eid(follows.eid, eids)
        num = charter_text.inserted_num(follows.num, eid, _stem(follows.eid)) if follows.num else ""
    eids.add(eid)
    return charter_text.Provision(
        eid, anchor.element, num, amendment.heading, amendment.text, anchor.parent
    )


def _stem(eid: str) -> str:
    for suffix in charter_text.SUFFIXES:
        if eid.endswith(suffix):
            return eid[: -len(suffix)]
    return eid


@statement_kind("charter.revision.issued", 1)
class RevisionIssued(Body):
    """The chair issues the next revision (Rev.N) of a document: per open amendment, to
    incorporate it or drop it (the rest stay in brackets), and the complete text that results,
    with its hash. The log checks that the text is exactly the current one with the
    incorporated amendments applied, so the chair's text and its choices cannot disagree."""

    document: int = Field(ge=0)
    number: int = Field(ge=1)
    incorporate: list[int] = Field(default_factory=list, max_length=10_000)
    drop: list[int] = Field(default_factory=list, max_length=10_000)
    provisions: list[ProvisionBody] = Field(min_length=1, max_length=charter_text.MAX_PROVISIONS)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(RevisionIssued)
        document = _document(body.document)
        _open_for_drafting(document)
        if body.number != document.revision + 1:
            raise NotAllowed(
                f"the next revision of {document.symbol} is Rev.{document.revision + 1}",
                "bad_number",
            )
        try:
            expected, _made = revised_text(document, body.incorporate, body.drop)
        except RevisionError as exc:
            raise NotAllowed(str(exc), exc.code) from None
        given = [p.provision() for p in body.provisions]
        if given != expected:
            raise NotAllowed(
                "the text given is not the current text with the incorporated amendments applied",
                "revision_mismatch",
            )
        if text_sha256(given) != body.sha256:
            raise NotAllowed(
                "the hash given is not the hash of the text given", "revision_mismatch"
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(RevisionIssued)
        document = _document(body.document)
        _provisions, made = revised_text(document, body.incorporate, body.drop)
        _write_text(document.entry_index, body.number, [p.provision() for p in body.provisions])
        for amendment, eid in made.items():
            Amendment.objects.filter(entry_index=amendment).update(new_eid=eid)
        Amendment.objects.filter(entry_index__in=body.incorporate).update(
            status="incorporated", closed_at=ctx.index
        )
        Amendment.objects.filter(entry_index__in=body.drop).update(
            status="dropped", closed_at=ctx.index
        )
        document.revision = body.number
        document.save(update_fields=["revision"])
        Revision.objects.create(
            document=document.entry_index,
            number=body.number,
            entry_index=ctx.index,
            issued_by=ctx.actor,
            issued_at=format_time(ctx.logged_at),
            sha256=body.sha256,
            incorporated=sorted(body.incorporate),
            dropped=sorted(body.drop),
            brackets=brackets_open(document.entry_index),
        )


def brackets_open(document: int) -> int:
    """How many provisions have open amendments: the brackets that remain. One query."""
    return (
        Amendment.objects.filter(document=document, status="open").values("eid").distinct().count()
    )


# -- silence, decisions, interpretative statements ------------------------------------------------


@statement_kind("charter.silence.opened", 1)
class SilenceOpened(Body):
    """The chair puts the current revision of a document under silence until a deadline (RFC
    3339, UTC), which must fall within the rules profile's silence bounds from the moment the
    log takes the statement. The revision must be clean: no amendment open on it."""

    document: int = Field(ge=0)
    revision: int = Field(ge=0)
    until: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(SilenceOpened)
        document = _document(body.document)
        _open_for_drafting(document)
        if body.revision != document.revision:
            raise NotAllowed(
                f"the current revision of {document.symbol} is {document.revision}",
                "not_current",
            )
        remaining = brackets_open(document.entry_index)
        if remaining:
            raise NotAllowed(
                f"{document.current_symbol} still has {remaining} provisions in brackets;"
                " issue a clean revision first",
                "brackets_open",
            )
        low, high = silence_bounds()
        length = parse_time(body.until) - ctx.logged_at
        if not low <= length <= high:
            raise NotAllowed(
                f"silence must last between {_hours(low)} and {_hours(high)} hours from now;"
                f" {body.until} is {_hours(length)} hours away",
                "out_of_bounds",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(SilenceOpened)
        SilenceProcedure.objects.create(
            entry_index=ctx.index,
            document=body.document,
            revision=body.revision,
            until=body.until,
            opened_by=ctx.actor,
            opened_at=format_time(ctx.logged_at),
        )
        Document.objects.filter(entry_index=body.document).update(status="under_silence")

    @classmethod
    def deliver(cls, ctx: Context) -> None:
        notices.silence_opened(ctx.index)


def _hours(length: timedelta) -> int:
    return int(length.total_seconds() // 3600)


def _open_procedure(entry: int) -> SilenceProcedure:
    procedure = SilenceProcedure.objects.filter(entry_index=entry).first()
    if procedure is None:
        raise NotAllowed(f"entry {entry} is not a silence procedure", "no_procedure")
    if procedure.status != "open":
        raise NotAllowed(f"the silence procedure of entry {entry} was concluded", "concluded")
    return procedure


@statement_kind("charter.silence.broken", 1)
class SilenceBroken(Body):
    """A participating party breaks silence before the deadline (judged by the time the log
    takes it), with its reason and, if it has one, a counter-proposal. Each party breaks a
    procedure once; a break after the deadline is refused."""

    procedure: int = Field(ge=0)
    reason: str = Field(min_length=1, max_length=10_000)
    counter_proposal: str = Field(default="", max_length=charter_text.MAX_TEXT)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(SilenceBroken)
        procedure = _open_procedure(body.procedure)
        if ctx.logged_at >= parse_time(procedure.until):
            document = _document(procedure.document)
            raise NotAllowed(
                f"silence on {document.current_symbol} ended at {procedure.until};"
                " objections are no longer accepted",
                "silence_ended",
            )
        if SilenceBreak.objects.filter(procedure=body.procedure, party=ctx.actor).exists():
            raise NotAllowed(f"{ctx.actor} broke this silence already", "broken_already")
        standing = forum_queries.party(ctx.actor)
        if standing is None or standing.status != "participating":
            raise NotAllowed(
                f"{ctx.actor} is not a participating party; only they break silence",
                "not_participating",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(SilenceBroken)
        SilenceBreak.objects.create(
            procedure=body.procedure,
            party=ctx.actor,
            reason=body.reason,
            counter_proposal=body.counter_proposal,
            entry_index=ctx.index,
            broken_at=format_time(ctx.logged_at),
        )


def outcome_of(procedure: SilenceProcedure) -> str:
    """``broken`` if any party broke silence, else ``adopted``: what the log says."""
    return (
        "broken"
        if SilenceBreak.objects.filter(procedure=procedure.entry_index).exists()
        else "adopted"
    )


@statement_kind("charter.silence.concluded", 1)
class SilenceConcluded(Body):
    """The secretariat's scheduler concludes a silence procedure once its deadline has passed:
    adopted if no party broke silence, else broken (the document returns to drafting). The
    outcome is recomputed from the log, so a dishonest conclusion is refused, here and on
    replay. Adoption makes a decision with its own symbol (``<prefix>.DEC/<n>/<yy>``), joined
    by every participating party."""

    procedure: int = Field(ge=0)
    outcome: Literal["adopted", "broken"]

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(SilenceConcluded)
        procedure = _open_procedure(body.procedure)
        if ctx.logged_at < parse_time(procedure.until):
            raise NotAllowed(
                f"silence runs until {procedure.until}; it is concluded after that", "not_yet"
            )
        found = outcome_of(procedure)
        if body.outcome != found:
            raise NotAllowed(
                f"the log shows this silence {found}, not {body.outcome}", "wrong_outcome"
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(SilenceConcluded)
        procedure = SilenceProcedure.objects.get(entry_index=body.procedure)
        procedure.status, procedure.concluded_at = body.outcome, ctx.index
        procedure.save(update_fields=["status", "concluded_at"])
        document = _document(procedure.document)
        if body.outcome == "broken":
            document.status = "draft"
            document.save(update_fields=["status"])
            return
        adopt(document, procedure.revision, ctx, path="silence", source=procedure.entry_index)

    @classmethod
    def deliver(cls, ctx: Context) -> None:
        notices.silence_concluded(ctx.body_as(SilenceConcluded).procedure)


def adopt(document: Document, revision: int, ctx: Context, *, path: str, source: int) -> Decision:
    """Adopt ``revision`` of ``document`` as a decision of entry ``ctx.index``: the one way a
    text becomes adopted, whether by silence or (with the conference) at a meeting."""
    decision = Decision.objects.create(
        entry_index=ctx.index,
        symbol=allocate_symbol("DEC", ctx),
        document=document.entry_index,
        revision=revision,
        path=path,
        source=source,
        adopted_at=format_time(ctx.logged_at),
        joined=_participating(),
    )
    document.status, document.decision = "adopted", ctx.index
    document.save(update_fields=["status", "decision"])
    return decision


@statement_kind("charter.interpretation.attached", 1)
class InterpretationAttached(Body):
    """A party that joined a decision attaches an interpretative statement to it, within the
    window the rules profile sets (``charter.interpretation_hours``) from the adoption."""

    decision: int = Field(ge=0)
    text: str = Field(min_length=1, max_length=charter_text.MAX_TEXT)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(InterpretationAttached)
        decision = Decision.objects.filter(entry_index=body.decision).first()
        if decision is None:
            raise NotAllowed(f"entry {body.decision} is not a decision", "no_decision")
        if ctx.actor not in decision.joined:
            raise NotAllowed(
                f"{ctx.actor} did not join {decision.symbol}; only parties that joined it attach"
                " statements",
                "not_joined",
            )
        window = timedelta(hours=charter_rules().interpretation_hours)
        closes = parse_time(decision.adopted_at) + window
        if ctx.logged_at > closes:
            raise NotAllowed(
                f"interpretative statements on {decision.symbol} closed at {format_time(closes)}",
                "window_closed",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(InterpretationAttached)
        Interpretation.objects.create(
            decision=body.decision,
            party=ctx.actor,
            text=body.text,
            entry_index=ctx.index,
            attached_at=format_time(ctx.logged_at),
        )
