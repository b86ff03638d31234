"""A compilation as PDF (A4), with Debian's Noto fonts so that Cyrillic and CJK render.

fpdf2 embeds a subset of each TrueType font it uses. Noto Sans covers Latin, Greek and
Cyrillic; Noto Sans Armenian and Georgian and Noto Sans CJK (a ``.ttc`` collection:
the face for the document's language — SC for Chinese, JP, KR, TC — is picked by its
index) are fallbacks for characters Noto Sans lacks, so a Russian text with a Chinese
party name still prints. Every path is in ``FONTS``; a missing file raises
``MissingFontError`` naming the Debian package to install.

No text is interpreted as markup (fpdf2's ``markdown`` stays off). The creation date
is the revision's date, so one compilation always gives the same bytes. Cost: linear in
the text's length; fpdf2 holds the document in memory and subsets the fonts at the end
(about a second for a 400-article charter with CJK fallback).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from accord.charter.exports.bracketed import (
    HEADED,
    Bracket,
    Step,
    agreeable_note,
    brackets_of,
    heading_line,
    remaining_line,
    status_line,
    walk,
)
from accord.charter.text import Compilation

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")


@dataclass(frozen=True)
class FontFile:
    """One font file the PDF export embeds, and the Debian package that installs it."""

    family: str
    style: str
    path: Path
    package: str


FONTS = (
    FontFile("NotoSans", "", NOTO / "NotoSans-Regular.ttf", "fonts-noto-core"),
    FontFile("NotoSans", "B", NOTO / "NotoSans-Bold.ttf", "fonts-noto-core"),
    FontFile("NotoSans", "I", NOTO / "NotoSans-Italic.ttf", "fonts-noto-core"),
    FontFile("NotoSans", "BI", NOTO / "NotoSans-BoldItalic.ttf", "fonts-noto-core"),
    FontFile("NotoSansArmenian", "", NOTO / "NotoSansArmenian-Regular.ttf", "fonts-noto-core"),
    FontFile("NotoSansArmenian", "B", NOTO / "NotoSansArmenian-Bold.ttf", "fonts-noto-core"),
    FontFile("NotoSansGeorgian", "", NOTO / "NotoSansGeorgian-Regular.ttf", "fonts-noto-core"),
    FontFile("NotoSansGeorgian", "B", NOTO / "NotoSansGeorgian-Bold.ttf", "fonts-noto-core"),
    FontFile("NotoSansCJK", "", NOTO_CJK / "NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
    FontFile("NotoSansCJK", "B", NOTO_CJK / "NotoSansCJK-Bold.ttc", "fonts-noto-cjk"),
)
"""The fonts, regular and bold of each family; Noto Sans also italic for the sponsors."""

CJK_FACES = {"ja": 0, "ko": 1, "zh": 2, "zh-tw": 3, "zh-hant": 3, "zh-hk": 4}
"""Index of each regional face in the Noto Sans CJK collections (JP, KR, SC, TC, HK)."""

FALLBACKS = ("NotoSansArmenian", "NotoSansGeorgian", "NotoSansCJK")
MARGIN = 20.0
INDENT = 6.0
LINE = 5.5
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


class MissingFontError(RuntimeError):
    """A font the PDF export needs is not installed; the message names the package."""


def _clean(text: str) -> str:
    return _NOT_TEXT.sub("", text)


def _face(language: str) -> int:
    tag = language.strip().lower().replace("_", "-")
    return CJK_FACES.get(tag, CJK_FACES.get(tag.split("-", 1)[0], CJK_FACES["zh"]))


def _load_fonts(pdf: FPDF, language: str) -> None:
    for font in FONTS:
        if not font.path.is_file():
            raise MissingFontError(
                f"The PDF export needs the font {font.path}, which is not installed; "
                f"install the Debian package {font.package} (apt-get install {font.package})."
            )
        number = _face(language) if font.path.suffix == ".ttc" else 0
        pdf.add_font(font.family, font.style, str(font.path), collection_font_number=number)
    pdf.set_fallback_fonts(list(FALLBACKS), exact_match=False)


def _creation_date(compilation: Compilation) -> datetime:
    for value in (compilation.revised_on, compilation.introduced_on):
        try:
            return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
        except ValueError:
            continue
    return datetime(2025, 1, 1, tzinfo=UTC)


class _Writer:
    def __init__(self, compilation: Compilation, pdf: FPDF) -> None:
        self.compilation = compilation
        pdf.set_creation_date(_creation_date(compilation))
        pdf.set_title(_clean(compilation.title or compilation.symbol))
        pdf.set_subject(_clean(compilation.symbol))
        pdf.set_creator("Accord")
        pdf.set_lang(compilation.language or "und")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(auto=True, margin=MARGIN)
        _load_fonts(pdf, compilation.language)
        pdf.add_page()
        self.pdf = pdf

    def block(self, text: str, *, style: str = "", size: float = 10.5, indent: int = 0) -> None:
        pdf = self.pdf
        pdf.set_font("NotoSans", style, size)
        pdf.set_x(MARGIN + INDENT * indent)
        pdf.multi_cell(0, size * 0.55, _clean(text), new_x="LMARGIN", new_y="NEXT")

    def runs(self, runs: list[tuple[str, str]], indent: int, size: float = 10.5) -> None:
        """Mixed styles in one wrapped paragraph: ``(style, text)`` pairs."""
        pdf = self.pdf
        pdf.set_left_margin(MARGIN + INDENT * indent)
        pdf.set_x(MARGIN + INDENT * indent)
        for style, text in runs:
            pdf.set_font("NotoSans", style, size)
            pdf.write(LINE, _clean(text))
        pdf.ln(LINE)
        pdf.set_left_margin(MARGIN)

    def bracket(self, bracket: Bracket, indent: int) -> None:
        runs = [("", f"[{bracket.label}")]
        for position, sponsor in enumerate(bracket.sponsors):
            runs.append(
                ("", ", sponsored by " if position == 0 else (", with " if position == 1 else ", "))
            )
            runs.append(("I", sponsor))
        runs.append(("", f": {bracket.body}]"))
        self.runs(runs, indent + 1)
        if bracket.tally:
            self.block(bracket.tally, size=9, indent=indent + 2)

    def provision(self, step: Step) -> None:
        compiled, provision = step.compiled, step.provision
        indent = min(step.depth - 1, 8)
        lead: list[tuple[str, str]] = []
        if provision.element in HEADED:
            self.pdf.ln(2)
            self.block(heading_line(provision), style="B", size=max(11.0, 14.0 - step.depth))
        elif provision.num or provision.heading:
            lead = [("B", f"{provision.num} " if provision.num else "")]
            if provision.heading:
                self.runs([*lead, ("B", provision.heading)], indent)
                lead = []
        brackets = brackets_of(compiled)
        if not brackets:
            if provision.text or lead:
                self.runs([*lead, ("", provision.text)], indent)
            return
        if lead:
            self.runs(lead, indent)
        for bracket in brackets:
            self.bracket(bracket, indent)
        note = agreeable_note(compiled)
        if note:
            self.block(note, style="I", size=9, indent=indent + 1)

    def write(self) -> bytes:
        compilation = self.compilation
        self.block(compilation.title or compilation.symbol, style="B", size=16)
        self.block(status_line(compilation), size=10)
        remaining = remaining_line(compilation)
        if remaining:
            self.block(remaining, style="B", size=10)
        for step in walk(compilation):
            if step.opens_preamble:
                self.pdf.ln(2)
                self.block("Preamble", style="B", size=12)
            self.provision(step)
        return bytes(self.pdf.output())


def _close_fonts(pdf: FPDF) -> None:
    """fpdf2 opens each font file lazily and never closes it; an export leaves none open."""
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def export_pdf(compilation: Compilation) -> bytes:
    """The compilation as PDF bytes (starts with ``%PDF``)."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    try:
        return _Writer(compilation, pdf).write()
    finally:
        _close_fonts(pdf)
