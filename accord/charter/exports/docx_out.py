"""A compilation as a Word document, and the compilation-of-amendments table.

Headed provisions (parts, chapters, sections, articles, attachments) are Word headings,
Heading 1 for the outermost level down to Heading 9, so Word's navigation pane shows
the structure and a re-import finds it; numbered text is a paragraph with its number in
bold, indented by level. A bracket is its own paragraph, ``[Option 2 (amendment 57),
sponsored by`` *Kazakhstan*, ``with`` *Armenia*``: …]`` with the tally after it.

The compilation-of-amendments table (one row per open amendment: provision,
amendment, sponsors, proposal, each party's position) follows the text in a landscape
section of the same document when brackets are exported, and ``compilation_table``
gives it as a document of its own.

Cost: linear in the text's length; python-docx keeps the whole document in memory
(about 2 KB per provision and per table row).
"""

import io
import re

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from accord.charter.exports.bracketed import (
    HEADED,
    STANCES,
    Bracket,
    agreeable_note,
    brackets_of,
    heading_line,
    remaining_line,
    status_line,
    walk,
)
from accord.charter.text import Compilation, Compiled, Option

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_STANCE_WORDS = dict(STANCES)
INDENT = Cm(0.75)
TABLE_TITLE = "Compilation of amendments"
TABLE_COLUMNS = ("Provision", "Amendment", "Sponsors", "Proposal", "Positions")


def _clean(text: str) -> str:
    """Text Word's XML can carry: NUL and other C0 controls dropped."""
    return _NOT_XML.sub("", text)


def _new_document(compilation: Compilation) -> WordDocument:
    document = Document()
    properties = document.core_properties
    properties.title = _clean(compilation.title)[:255]
    properties.subject = _clean(compilation.symbol)[:255]
    properties.language = _clean(compilation.language)[:64]
    properties.author = _clean(
        f"Secretariat of {compilation.forum}" if compilation.forum else "Secretariat"
    )[:255]
    document.add_paragraph(_clean(compilation.title or compilation.symbol), style="Title")
    document.add_paragraph(_clean(status_line(compilation)), style="Subtitle")
    return document


def _bracket(document: WordDocument, bracket: Bracket, indent: int) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = INDENT * (indent + 1)
    paragraph.add_run(_clean(f"[{bracket.label}"))
    for position, sponsor in enumerate(bracket.sponsors):
        paragraph.add_run(
            ", sponsored by " if position == 0 else (", with " if position == 1 else ", ")
        )
        paragraph.add_run(_clean(sponsor)).italic = True
    paragraph.add_run(_clean(f": {bracket.body}]"))
    if bracket.tally:
        tally = paragraph.add_run(f" {bracket.tally}")
        tally.font.size = Pt(9)


def _paragraph(document: WordDocument, indent: int) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = INDENT * indent
    return paragraph


def _numbered(document: WordDocument, compiled: Compiled, indent: int) -> None:
    """A paragraph, point or recital: its number in bold, its heading bold, then its text."""
    provision = compiled.provision
    paragraph = None
    if provision.num or provision.heading:
        paragraph = _paragraph(document, indent)
        if provision.num:
            paragraph.add_run(_clean(f"{provision.num} ")).bold = True
        if provision.heading:
            paragraph.add_run(_clean(provision.heading)).bold = True
            paragraph = None
    if not compiled.options and provision.text:
        (paragraph or _paragraph(document, indent)).add_run(_clean(provision.text))


def _text(document: WordDocument, compilation: Compilation) -> None:
    remaining = remaining_line(compilation)
    if remaining:
        document.add_paragraph().add_run(remaining).bold = True
    headed: dict[str, int] = {}
    for step in walk(compilation):
        compiled, provision = step.compiled, step.provision
        if step.opens_preamble:
            document.add_heading("Preamble", level=1)
        outer = headed.get(provision.parent, 0)
        if provision.element in HEADED:
            headed[provision.eid] = outer + 1
            document.add_heading(_clean(heading_line(provision)), level=min(outer + 1, 9))
            indent = 0
            if not compiled.options and provision.text:
                _paragraph(document, indent).add_run(_clean(provision.text))
        else:
            headed[provision.eid] = outer
            indent = min(step.depth - 1 - outer, 8)
            _numbered(document, compiled, indent)
        for bracket in brackets_of(compiled):
            _bracket(document, bracket, indent)
        note = agreeable_note(compiled)
        if note:
            document.add_paragraph().add_run(note).italic = True


def _positions(option: Option) -> str:
    named = "; ".join(
        f"{party}: {_STANCE_WORDS.get(stance, stance)}" for party, stance in option.positions
    )
    return named or "no position stated"


def _table(document: WordDocument, compilation: Compilation) -> None:
    document.add_heading(TABLE_TITLE, level=1)
    rows = [
        (compiled, bracket, option)
        for compiled in compilation.provisions
        for bracket, option in zip(brackets_of(compiled)[1:], compiled.options, strict=True)
    ]
    if not rows:
        document.add_paragraph("No amendment is open.")
        return
    table = document.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, TABLE_COLUMNS, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    for compiled, bracket, option in rows:
        cells = table.add_row().cells
        cells[0].text = _clean(compiled.provision.label)
        cells[1].text = _clean(bracket.label.removeprefix("Option "))
        cells[2].text = _clean(", ".join(option.sponsors))
        cells[3].text = _clean(bracket.body)
        cells[4].text = _clean(f"{_positions(option)}\n{bracket.tally}")


def _landscape_section(document: WordDocument) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _bytes(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def export_docx(compilation: Compilation, *, table: bool) -> bytes:
    """The compilation as .docx bytes; with ``table``, the compilation table in a second section."""
    document = _new_document(compilation)
    _text(document, compilation)
    if table:
        _landscape_section(document)
        _table(document, compilation)
    return _bytes(document)


def compilation_table(compilation: Compilation) -> bytes:
    """The compilation-of-amendments table alone, as a landscape .docx."""
    document = _new_document(compilation)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _table(document, compilation)
    return _bytes(document)
