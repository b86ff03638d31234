"""The words every export prints around bracketed text, so that all six formats agree.

A provision with open amendments is shown as its base text and each option in
square brackets, with the sponsors and the tally of positions:

    [Option 1 (text as it stands): Each Party shall notify …]
    [Option 2 (amendment 57), sponsored by Kazakhstan, with Armenia: Each Party may notify …]
    support 3 · can accept 1 · reserve 0 · object 1

Each format styles the parts (sponsors in italics, the tally smaller), so the parts are
kept apart in ``Bracket`` rather than joined into one string. Pure and linear in the
number of options.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from accord.charter.text import Compilation, Compiled, Option, Provision, label_of

STANCES = (
    ("support", "support"),
    ("accept", "can accept"),
    ("reserve", "reserve"),
    ("object", "object"),
)
"""Each stance's stored value and the words the tally prints, in the tally's order."""

ACTIONS = {
    "replace": "",
    "insert_before": "insert before",
    "insert_after": "insert after",
    "delete": "delete",
}

STATUS_WORDS = {
    "draft": "Draft",
    "under_silence": "Under silence procedure",
    "adopted": "Adopted",
    "superseded": "Superseded",
}

HEADED = frozenset(
    {"part", "title", "chapter", "subchapter", "section", "subsection", "article", "attachment"}
)
"""Elements shown as a heading line ("Article 5 — Notification"); the others (paragraphs,
points, recitals…) are shown as numbered text."""


@dataclass(frozen=True)
class Bracket:
    """One alternative in a bracketed provision: the base text (``amendment`` None) or an option."""

    label: str
    """"Option 1 (text as it stands)" or "Option 2 (amendment 57)"."""
    sponsors: tuple[str, ...]
    body: str
    """The wording proposed (a heading first, then " — ", when the option changes it)."""
    tally: str
    """"support 3 · can accept 1 · reserve 0 · object 1"; empty for the base text."""
    amendment: int | None = None
    action: str = ""

    @property
    def sponsored(self) -> str:
        """ ", sponsored by Kazakhstan, with Armenia, Belarus" (empty for the base text)."""
        if not self.sponsors:
            return ""
        lead, *others = self.sponsors
        return f", sponsored by {lead}" + (f", with {', '.join(others)}" if others else "")

    @property
    def line(self) -> str:
        """The bracket as one line of plain text, tally after the closing bracket."""
        text = f"[{self.label}{self.sponsored}: {self.body}]"
        return f"{text} {self.tally}" if self.tally else text


def tally_of(option: Option) -> str:
    counts = option.tally
    return " · ".join(f"{words} {counts.get(stance, 0)}" for stance, words in STANCES)


def _option_body(option: Option) -> str:
    if option.action == "delete":
        return "delete this provision"
    if option.heading and option.text:
        return f"{option.heading} — {option.text}"
    return option.text or option.heading


def _base_body(provision: Provision) -> str:
    if provision.heading and provision.text:
        return f"{provision.heading} — {provision.text}"
    return provision.text or provision.heading


def brackets_of(compiled: Compiled) -> list[Bracket]:
    """The base text then each option, numbered from 1; empty when the wording is agreed."""
    if not compiled.options:
        return []
    found = [Bracket("Option 1 (text as it stands)", (), _base_body(compiled.provision), "")]
    for number, option in enumerate(compiled.options, start=2):
        action = ACTIONS.get(option.action, option.action)
        detail = f"amendment {option.amendment}" + (f", {action}" if action else "")
        found.append(
            Bracket(
                f"Option {number} ({detail})",
                option.sponsors,
                _option_body(option),
                tally_of(option),
                option.amendment,
                option.action,
            )
        )
    return found


def agreeable_note(compiled: Compiled) -> str:
    """ "Agreeable: no party objects to option 2." when some option could be taken as it stands."""
    numbers = [str(n) for n, option in enumerate(compiled.options, start=2) if option.agreeable]
    if not numbers:
        return ""
    return f"Agreeable: no party objects to option {', '.join(numbers)}."


def heading_line(provision: Provision) -> str:
    """ "Article 5 — Notification"; a number that already carries its word is kept as printed."""
    label = provision.num.strip() if _has_word(provision.num) else label_of(provision)
    return f"{label} — {provision.heading}" if provision.heading else label


def _has_word(num: str) -> bool:
    first = num.strip().split(" ", 1)[0]
    return len(first) >= 3 and first.isalpha() and not set(first.upper()) <= set("IVXLCDM")


def status_line(compilation: Compilation) -> str:
    """ "ESD.L/1/25 · Rev.1 · Draft · 2025-02-10": what a reader checks before reading on."""
    parts = [compilation.symbol]
    if compilation.revision:
        parts.append(f"Rev.{compilation.revision}")
    parts.append(STATUS_WORDS.get(compilation.status, compilation.status))
    date = compilation.revised_on or compilation.introduced_on
    if date:
        parts.append(date)
    if compilation.decision:
        parts.append(f"adopted by {compilation.decision}")
    return " · ".join(part for part in parts if part)


def remaining_line(compilation: Compilation) -> str:
    """ "3 brackets remain." for a bracketed export; empty when the text is clean."""
    count = compilation.brackets
    if not count:
        return ""
    return "1 bracket remains." if count == 1 else f"{count} brackets remain."


@dataclass(frozen=True)
class Step:
    """One provision as the linear formats meet it: its depth (1 at the top), and whether
    the preamble's heading goes before it (the first recital of a run of recitals)."""

    compiled: Compiled
    depth: int
    opens_preamble: bool

    @property
    def provision(self) -> Provision:
        return self.compiled.provision


def walk(compilation: Compilation) -> Iterator[Step]:
    """The provisions in reading order with their depth: one pass, one dict."""
    level: dict[str, int] = {}
    in_preamble = False
    for compiled in compilation.provisions:
        provision = compiled.provision
        depth = level[provision.eid] = level.get(provision.parent, 0) + 1
        recital = provision.element == "recital"
        yield Step(compiled, depth, recital and not in_preamble)
        in_preamble = recital


def depths(compilation: Compilation) -> dict[str, int]:
    """Each provision's depth (1 at the top), one pass over the list."""
    found: dict[str, int] = {}
    for compiled in compilation.provisions:
        provision = compiled.provision
        found[provision.eid] = found.get(provision.parent, 0) + 1
    return found
