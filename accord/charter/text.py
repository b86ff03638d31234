"""A document's text as plain data: provisions in reading order, shaped like Akoma Ntoso.

No Django here: the importers (Markdown, Word, Akoma Ntoso) produce a ``Draft``,
the exporters read a ``Compilation``, and the statements carry provisions as
the dicts ``Provision.to_json`` writes. A provision names its parent by eId, so
the hierarchy (parts, chapters, sections, articles, paragraphs, points; recitals
in the preamble; attached documents) is a flat list that a statement can sign
and a database row can hold.

eIds follow the Akoma Ntoso Naming Convention v1.0 (OASIS, 21 Feb 2019, §5.2):
the element's alias, ``_``, the cleaned number, joined to the ancestors' eIds
with ``__`` (``chp_2__art_5__para_1``); an unnumbered element takes ``nn`` and a
counter. An eId never changes once given: a provision inserted later takes the
eId of its neighbour with ``bis``, ``ter``… (``art_5bis``), as negotiators
number an inserted paragraph "5 bis" rather than renumber the rest.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

Element = Literal[
    "recital",
    "part",
    "title",
    "chapter",
    "subchapter",
    "section",
    "subsection",
    "article",
    "paragraph",
    "subparagraph",
    "point",
    "indent",
    "clause",
    "attachment",
]
ELEMENTS: tuple[str, ...] = get_args(Element)
"""The provisions a document holds. Recitals sit in the preamble; an attachment (a
convention an act approves) holds its own hierarchy below it."""

ALIASES = {
    "recital": "rec",
    "chapter": "chp",
    "subchapter": "subchp",
    "section": "sec",
    "subsection": "subsec",
    "article": "art",
    "paragraph": "para",
    "subparagraph": "subpara",
    "clause": "cl",
    "attachment": "att",
}
"""NC v1.0 §5.2.1's element aliases; other elements use their own name."""

RECITALS = "recs"
"""The eId prefix of every recital: AKN wraps them in ``<recitals eId="recs">``."""

SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")
"""Latin ordinals for inserted provisions, as drafters write "5 bis", "5 ter"."""

MAX_PROVISIONS = 20_000
MAX_TEXT = 100_000
"""Characters in one provision's text: a 5 MB paste is refused, a long article is not."""
MAX_DEPTH = 12
"""Levels of nesting: part > chapter > section > article > paragraph > point > … fits."""


class TextError(ValueError):
    """A document's text breaks a rule; the message names the provision and the rule."""


@dataclass(frozen=True)
class Provision:
    """One provision: its eId, its element, its number and heading as printed, its text in
    the document's original language (a leaf's content, or a container's introduction),
    and its parent's eId ("" at the top)."""

    eid: str
    element: str
    num: str = ""
    heading: str = ""
    text: str = ""
    parent: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "eid": self.eid,
            "element": self.element,
            "num": self.num,
            "heading": self.heading,
            "text": self.text,
            "parent": self.parent,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> "Provision":
        return cls(
            eid=str(value["eid"]),
            element=str(value["element"]),
            num=str(value.get("num", "")),
            heading=str(value.get("heading", "")),
            text=str(value.get("text", "")),
            parent=str(value.get("parent", "")),
        )

    @property
    def label(self) -> str:
        """How a reader names it: "Article 5", "Article 5, paragraph 1", "Recital 2"."""
        return label_of(self)


def label_of(provision: Provision) -> str:
    """The English label of a provision; pages translate the element word themselves."""
    word = provision.element.capitalize()
    if provision.num:
        return f"{word} {provision.num.strip('.()')}"
    return f"{word} {provision.eid.rsplit('_', 1)[-1]}"


@dataclass(frozen=True)
class Draft:
    """A text as an importer reads it: a title, its original language (ISO 639-1 where the
    file says it, else what the person importing said) and its provisions in order."""

    title: str
    language: str
    provisions: tuple[Provision, ...]
    notes: tuple[str, ...] = ()
    """What the importer noticed and the person importing should know (skipped tables,
    images, unknown elements), one sentence each."""


def clean_number(num: str) -> str:
    """NC v1.0 §5.2.2: the number with its surrounding punctuation and inner spaces removed
    and other punctuation turned into ``-``; ``(i)`` → ``i``, ``1.2.`` → ``1-2``,
    ``3a bis`` → ``3abis``. A leading word ("Article 5") is dropped."""
    text = unicodedata.normalize("NFC", num).strip()
    words = r"^(?:article|art\.|статья|section|chapter|part|глава|раздел)\s+"
    text = re.sub(words, "", text, flags=re.IGNORECASE)
    text = text.strip(" \t\n.,;:()[]{}-–—§")
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[^\w]+", "-", text)
    return text.strip("-")


def eid_of(element: str, num: str, parent_eid: str, taken: set[str]) -> str:
    """The eId of a new element under ``parent_eid``, unique among ``taken`` (which it
    extends): ``_2``, ``_3`` are appended to a repeated one, as NC v1.0 prescribes."""
    alias = ALIASES.get(element, element)
    cleaned = clean_number(num)
    if element == "recital":
        prefix = RECITALS if not parent_eid else f"{parent_eid}__{RECITALS}"
    else:
        prefix = parent_eid
    if cleaned:
        own = f"{alias}_{cleaned}"
    else:
        counter = 1 + sum(
            1
            for eid in taken
            if eid.startswith(f"{prefix}__{alias}_nn_" if prefix else f"{alias}_nn_")
        )
        own = f"{alias}_nn_{counter}" if element != "recital" else f"{alias}_{counter}"
    eid = f"{prefix}__{own}" if prefix else own
    candidate, repeat = eid, 1
    while candidate in taken:
        repeat += 1
        candidate = f"{eid}_{repeat}"
    taken.add(candidate)
    return candidate


def inserted_eid(neighbour: str, taken: set[str]) -> str:
    """The eId for a provision inserted after ``neighbour``: ``art_5bis``, then ``art_5ter``…
    (after ``art_5bis``: ``art_5bisbis`` would be wrong; the series continues ``art_5ter``)."""
    base = neighbour
    for suffix in SUFFIXES:
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    for suffix in SUFFIXES:
        candidate = f"{base}{suffix}"
        if candidate not in taken:
            return candidate
    counter = len(SUFFIXES) + 1
    while f"{base}_{counter}" in taken:
        counter += 1
    return f"{base}_{counter}"


def inserted_num(num: str, eid: str, base_eid: str) -> str:
    """The printed number of an inserted provision: "5 bis" for ``art_5bis`` after "5", and
    "5 ter" (not "5 bis ter") for ``art_5ter`` after "5 bis"."""
    if not num:
        return ""
    stem = num.rstrip(".").strip()
    for suffix in SUFFIXES:
        if stem.endswith(f" {suffix}"):
            stem = stem[: -len(suffix) - 1]
            break
    suffix = eid[len(base_eid) :].lstrip("_")
    return f"{stem} {suffix}".strip()


def check(provisions: Iterable[Provision]) -> tuple[Provision, ...]:  # noqa: C901 -- one rule a line
    """The provisions if they form one document, else TextError naming the first fault:
    an unknown element, a repeated eId, a parent that does not come before its child,
    nesting deeper than ``MAX_DEPTH``, a text longer than ``MAX_TEXT``, or too many."""
    seen: dict[str, int] = {}
    result = tuple(provisions)
    if not result:
        raise TextError("the document has no provisions")
    if len(result) > MAX_PROVISIONS:
        raise TextError(f"the document has {len(result)} provisions; at most {MAX_PROVISIONS}")
    for position, provision in enumerate(result, start=1):
        where = f"provision {position} ({provision.eid or 'no eId'})"
        if provision.element not in ELEMENTS:
            raise TextError(f"{where}: {provision.element!r} is not an element Accord keeps")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,200}", provision.eid):
            raise TextError(f"{where}: the eId must be letters, digits, _ and -")
        if provision.eid in seen:
            raise TextError(f"{where}: the eId {provision.eid} is used twice")
        if provision.parent and provision.parent not in seen:
            raise TextError(f"{where}: its parent {provision.parent} does not come before it")
        depth = seen.get(provision.parent, 0) + 1 if provision.parent else 1
        if depth > MAX_DEPTH:
            raise TextError(f"{where}: nested {depth} levels deep; at most {MAX_DEPTH}")
        for name in ("text", "heading", "num"):
            value = getattr(provision, name)
            if len(value) > MAX_TEXT:
                raise TextError(
                    f"{where}: its {name} is {len(value)} characters; at most {MAX_TEXT}"
                )
        seen[provision.eid] = depth
    return result


def children(provisions: Iterable[Provision]) -> dict[str, list[Provision]]:
    """Each eId's children in order ("" for the top level): how exporters walk the tree."""
    found: dict[str, list[Provision]] = {}
    for provision in provisions:
        found.setdefault(provision.parent, []).append(provision)
    return found


@dataclass(frozen=True)
class Option:
    """One open amendment to a provision, as the bracketed views show it."""

    amendment: int
    """The amendment's entry index: its identifier everywhere."""
    action: str
    """``replace``, ``insert_before``, ``insert_after`` or ``delete``."""
    text: str
    heading: str
    sponsors: tuple[str, ...]
    """The sponsor's name first, then the co-sponsors', in the order they signed."""
    positions: tuple[tuple[str, str], ...] = ()
    """(party name, stance) for every party that has stated one, by party name."""
    rationale: str = ""

    @property
    def tally(self) -> dict[str, int]:
        counts = {"support": 0, "accept": 0, "reserve": 0, "object": 0}
        for _party, stance in self.positions:
            counts[stance] = counts.get(stance, 0) + 1
        return counts

    @property
    def agreeable(self) -> bool:
        """No party objects to it: the option could be taken into the text as it stands."""
        return all(stance != "object" for _party, stance in self.positions)


@dataclass(frozen=True)
class Compiled:
    """A provision with the open amendments to it; no options means agreed wording."""

    provision: Provision
    options: tuple[Option, ...] = ()

    @property
    def bracketed(self) -> bool:
        return bool(self.options)

    @property
    def agreeable(self) -> bool:
        return any(option.agreeable for option in self.options)


@dataclass(frozen=True)
class Compilation:
    """A document at one revision, in one language, with its brackets: what every export reads.

    ``status`` is ``draft``, ``under_silence``, ``adopted`` or ``superseded``; an adopted
    document exports as an AKN ``act``, any other as a ``bill``. ``dates`` are ISO dates.
    """

    symbol: str
    title: str
    language: str
    original_language: str
    status: str
    revision: int
    forum: str
    introduced_on: str
    revised_on: str
    provisions: tuple[Compiled, ...]
    decision: str = ""
    """The adopting decision's symbol, once adopted."""
    parties: Mapping[str, str] = field(default_factory=dict)
    """Party code → name, for the exports' references."""

    @property
    def brackets(self) -> int:
        return sum(1 for compiled in self.provisions if compiled.bracketed)

    def clean(self) -> "Compilation":
        """The same text without its options: the clean view."""
        return replace(self, provisions=tuple(Compiled(c.provision) for c in self.provisions))
