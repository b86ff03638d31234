"""A conference document laid out once and written as plain text, PDF (A4) or Word.

A ``Paper`` is what every conference export prints: a title, a few lines under it, then
headings, paragraphs and notes, with the document's symbol and its distribution level
on every page (the PDF's and the Word document's header and footer; the first and last
lines of the plain text). The writers follow the charter's exports: fpdf2 with Debian's
Noto fonts (``accord.charter.exports.pdf.FONTS``: Noto Sans for Latin, Greek and
Cyrillic, the CJK collection in the document's language's face as a fallback) and
python-docx. Each output is the same bytes for the same paper: the PDF's creation date is
``Paper.dated`` (a time the log holds, never the clock), and the Word document's core
properties and zip members carry fixed dates.

Cost: linear in the paper's length; both libraries hold the document in memory.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt
from fpdf import FPDF

from accord.charter.exports.pdf import FALLBACKS, FONTS, MissingFontError

MARGIN = 20.0
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CJK_FACES = {"ja": 0, "ko": 1, "zh": 2}
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The zip format's earliest date, which every member of a Word export carries."""


@dataclass(frozen=True)
class Block:
    """One paragraph: a ``heading``, running ``text``, or a smaller ``note`` under it."""

    kind: Literal["heading", "text", "note"]
    text: str


@dataclass(frozen=True)
class Paper:
    """A document as every format prints it; ``running`` is what each page's header shows
    (the symbol) and ``distribution`` what each page's footer shows."""

    title: str
    running: str
    distribution: str
    language: str
    dated: datetime
    lines: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def _clean(text: str) -> str:
    return _NOT_TEXT.sub("", text)


def as_text(paper: Paper) -> bytes:
    """UTF-8 text: the running line, the title and its lines, then each block; headings
    underlined, notes indented; the running line and the distribution again at the end."""
    out = [f"{paper.running} | {paper.distribution}", "", paper.title, "=" * len(paper.title)]
    out.extend(paper.lines)
    for block in paper.blocks:
        if block.kind == "heading":
            out.extend(["", block.text, "-" * len(block.text)])
        elif block.kind == "note":
            out.append(f"    {block.text}")
        else:
            out.append(block.text)
    out.extend(["", f"{paper.running} | {paper.distribution}"])
    return ("\n".join(_clean(line) for line in out) + "\n").encode()


class _Pages(FPDF):
    """A4 pages whose header prints the symbol and footer the distribution and the page."""

    paper: Paper

    def header(self) -> None:
        self.set_font("NotoSans", "B", 9)
        self.set_y(8)
        self.cell(0, 5, _clean(self.paper.running), align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_y(MARGIN)

    def footer(self) -> None:
        self.set_font("NotoSans", "", 8)
        self.set_y(-14)
        self.cell(0, 5, _clean(f"{self.paper.distribution} · {self.page_no()}"), align="C")


def _load_fonts(pdf: FPDF, language: str) -> None:
    face = _CJK_FACES.get(language.split("-", 1)[0], _CJK_FACES["zh"])
    for font in FONTS:
        if not font.path.is_file():
            raise MissingFontError(
                f"The PDF export needs the font {font.path}, which is not installed; "
                f"install the Debian package {font.package} (apt-get install {font.package})."
            )
        number = face if font.path.suffix == ".ttc" else 0
        pdf.add_font(font.family, font.style, str(font.path), collection_font_number=number)
    pdf.set_fallback_fonts(list(FALLBACKS), exact_match=False)


def as_pdf(paper: Paper) -> bytes:
    """A4 PDF bytes (starts with ``%PDF``); no text is read as markup."""
    pdf = _Pages(orientation="portrait", unit="mm", format="A4")
    pdf.paper = paper
    try:
        pdf.set_creation_date(paper.dated)
        pdf.set_title(_clean(paper.title))
        pdf.set_subject(_clean(paper.running))
        pdf.set_creator("Accord")
        pdf.set_lang(paper.language or "und")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(auto=True, margin=MARGIN)
        _load_fonts(pdf, paper.language)
        pdf.add_page()
        _write(pdf, paper.title, "B", 15)
        for line in paper.lines:
            _write(pdf, line, "", 10)
        for block in paper.blocks:
            if block.kind == "heading":
                pdf.ln(2)
                _write(pdf, block.text, "B", 12)
            elif block.kind == "note":
                _write(pdf, block.text, "", 9, indent=6)
            else:
                _write(pdf, block.text, "", 10.5)
        return bytes(pdf.output())
    finally:
        for font in pdf.fonts.values():  # fpdf2 opens font files lazily and never closes them
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()


def _write(pdf: FPDF, text: str, style: str, size: float, indent: float = 0) -> None:
    pdf.set_font("NotoSans", style, size)
    pdf.set_x(MARGIN + indent)
    pdf.multi_cell(0, size * 0.55, _clean(text), new_x="LMARGIN", new_y="NEXT")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def as_docx(paper: Paper) -> bytes:
    """A Word document: the symbol in every page's header, the distribution in its footer."""
    document: WordDocument = Document()
    properties = document.core_properties
    properties.title = _xml(paper.title)[:255]
    properties.subject = _xml(paper.running)[:255]
    properties.language = _xml(paper.language)[:64]
    properties.author = "Accord"
    properties.last_modified_by = "Accord"
    properties.created = paper.dated.replace(tzinfo=None)
    properties.modified = paper.dated.replace(tzinfo=None)
    properties.revision = 1
    section = document.sections[0]
    section.header.paragraphs[0].text = _xml(paper.running)
    section.footer.paragraphs[0].text = _xml(paper.distribution)
    document.add_paragraph(_xml(paper.title), "Title")
    for line in paper.lines:
        document.add_paragraph(_xml(line))
    for block in paper.blocks:
        if block.kind == "heading":
            document.add_heading(_xml(block.text), 1)
        elif block.kind == "note":
            note = document.add_paragraph()
            run = note.add_run(_xml(block.text))
            run.font.size = Pt(9)
            note.paragraph_format.left_indent = Pt(18)
        else:
            document.add_paragraph(_xml(block.text))
    return _stable(document)


def _stable(document: WordDocument) -> bytes:
    """The package with every zip member dated ``_ZIP_DATE``, as the charter's Word export."""
    buffer = io.BytesIO()
    document.save(buffer)
    stable = io.BytesIO()
    with zipfile.ZipFile(buffer) as saved, zipfile.ZipFile(stable, "w") as written:
        for member in saved.infolist():
            dated = zipfile.ZipInfo(member.filename, date_time=_ZIP_DATE)
            dated.compress_type = member.compress_type
            dated.external_attr = member.external_attr
            written.writestr(dated, saved.read(member))
    return stable.getvalue()


def moment(value: str) -> datetime:
    """A time the log wrote (``2025-10-30T07:00:00Z``) as an aware UTC datetime; the start of
    2025 for an empty or unreadable one, so an export never depends on the clock."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return datetime(2025, 1, 1, tzinfo=UTC)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
