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

Paragraphs, runs and table rows are written as WordprocessingML (ECMA-376 Part 1, §17.3
paragraphs and runs, §17.4 tables) straight into the body with lxml: python-docx's
``add_paragraph`` looks for the body's section properties among all its children on
every call, ``table.add_row`` costs more the more rows the table has, and ``run.text``
writes its text one character at a time, which made a 400-article export with 4,000
amendments cost nearly 9 s and grow faster than the text. The elements written are the ones
python-docx writes (same styles, indents, run properties, cell widths), so a reader
sees the same document. Styles are looked up once per name.

Cost: linear in the text's length; python-docx keeps the whole document in memory
(about 2 KB per provision and per table row).
"""

import io
import re
import zipfile

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt
from lxml import etree

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
_BREAKS = re.compile("([\t\r\n])")
_STANCE_WORDS = dict(STANCES)
INDENT = Cm(0.75)
TALLY_SIZE = Pt(9)
TABLE_TITLE = "Compilation of amendments"
TABLE_COLUMNS = ("Provision", "Amendment", "Sponsors", "Proposal", "Positions")

_P, _PPR, _PSTYLE, _IND = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:ind")
_R, _RPR, _T, _TAB, _BR = qn("w:r"), qn("w:rPr"), qn("w:t"), qn("w:tab"), qn("w:br")
_B, _I, _SZ, _VAL, _LEFT = qn("w:b"), qn("w:i"), qn("w:sz"), qn("w:val"), qn("w:left")
_TR, _TC, _SPACE = qn("w:tr"), qn("w:tc"), qn("xml:space")


def _clean(text: str) -> str:
    """Text Word's XML can carry: NUL and other C0 controls dropped."""
    return _NOT_XML.sub("", text)


def _run(
    paragraph: etree._Element,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
) -> None:
    """A run at the end of ``paragraph``: a tab is ``w:tab``, a line end ``w:br`` (as
    python-docx's ``run.text`` writes them), the rest ``w:t``, space-preserved when it
    starts or ends with a space."""
    run = etree.SubElement(paragraph, _R)
    if bold or italic or size is not None:
        properties = etree.SubElement(run, _RPR)  # §17.3.2.28: b, then i, then sz
        if bold:
            etree.SubElement(properties, _B)
        if italic:
            etree.SubElement(properties, _I)
        if size is not None:
            etree.SubElement(properties, _SZ).set(_VAL, str(int(size.pt * 2)))
    for piece in _BREAKS.split(text):
        if piece == "\t":
            etree.SubElement(run, _TAB)
        elif piece in {"\r", "\n"}:
            etree.SubElement(run, _BR)
        elif piece:
            t = etree.SubElement(run, _T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_SPACE, "preserve")


class _Body:
    """Where the paragraphs go: before the body's final section properties, which stay
    its last child; each paragraph costs a constant, whatever the body holds."""

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self._body = document.element.body
        self._end = self._body.get_or_add_sectPr()
        self._styles: dict[str, str | None] = {}

    def paragraph(self, style: str = "", indent: int | None = None) -> etree._Element:
        """An empty paragraph with ``style`` (a name, looked up once) and a left indent
        of ``indent`` steps of ``INDENT``."""
        paragraph = etree.SubElement(self._body, _P)
        self._end.addprevious(paragraph)
        style_id = self._style_id(style) if style else None
        if style_id is not None or indent is not None:
            properties = etree.SubElement(paragraph, _PPR)  # §17.3.1.26: pStyle, then ind
            if style_id is not None:
                etree.SubElement(properties, _PSTYLE).set(_VAL, style_id)
            if indent is not None:
                left = Emu(INDENT * indent).twips
                etree.SubElement(properties, _IND).set(_LEFT, str(left))
        return paragraph

    def text(self, text: str, style: str = "") -> etree._Element:
        """A paragraph of one run of ``text`` (none when empty), as ``add_paragraph`` makes."""
        paragraph = self.paragraph(style)
        if text:
            _run(paragraph, text)
        return paragraph

    def heading(self, text: str, level: int) -> etree._Element:
        return self.text(text, f"Heading {level}")

    def _style_id(self, name: str) -> str | None:
        if name not in self._styles:
            default = self.document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
            style = self.document.styles[name]
            self._styles[name] = None if style == default else style.style_id
        return self._styles[name]


def _new_document(compilation: Compilation) -> tuple[WordDocument, _Body]:
    document = Document()
    properties = document.core_properties
    properties.title = _clean(compilation.title)[:255]
    properties.subject = _clean(compilation.symbol)[:255]
    properties.language = _clean(compilation.language)[:64]
    properties.author = _clean(
        f"Secretariat of {compilation.forum}" if compilation.forum else "Secretariat"
    )[:255]
    body = _Body(document)
    body.text(_clean(compilation.title or compilation.symbol), "Title")
    body.text(_clean(status_line(compilation)), "Subtitle")
    return document, body


def _bracket(body: _Body, bracket: Bracket, indent: int) -> None:
    paragraph = body.paragraph(indent=indent + 1)
    _run(paragraph, _clean(f"[{bracket.label}"))
    for position, sponsor in enumerate(bracket.sponsors):
        _run(
            paragraph,
            ", sponsored by " if position == 0 else (", with " if position == 1 else ", "),
        )
        _run(paragraph, _clean(sponsor), italic=True)
    _run(paragraph, _clean(f": {bracket.body}]"))
    if bracket.tally:
        _run(paragraph, f" {bracket.tally}", size=TALLY_SIZE)


def _numbered(body: _Body, compiled: Compiled, indent: int) -> None:
    """A paragraph, point or recital: its number in bold, its heading bold, then its text."""
    provision = compiled.provision
    paragraph = None
    if provision.num or provision.heading:
        paragraph = body.paragraph(indent=indent)
        if provision.num:
            _run(paragraph, _clean(f"{provision.num} "), bold=True)
        if provision.heading:
            _run(paragraph, _clean(provision.heading), bold=True)
            paragraph = None
    if not compiled.options and provision.text:
        _run(
            paragraph if paragraph is not None else body.paragraph(indent=indent),
            _clean(provision.text),
        )


def _text(body: _Body, compilation: Compilation) -> None:
    remaining = remaining_line(compilation)
    if remaining:
        _run(body.paragraph(), remaining, bold=True)
    headed: dict[str, int] = {}
    for step in walk(compilation):
        compiled, provision = step.compiled, step.provision
        if step.opens_preamble:
            body.heading("Preamble", 1)
        outer = headed.get(provision.parent, 0)
        if provision.element in HEADED:
            headed[provision.eid] = outer + 1
            body.heading(_clean(heading_line(provision)), min(outer + 1, 9))
            indent = 0
            if not compiled.options and provision.text:
                _run(body.paragraph(indent=indent), _clean(provision.text))
        else:
            headed[provision.eid] = outer
            indent = min(step.depth - 1 - outer, 8)
            _numbered(body, compiled, indent)
        for bracket in brackets_of(compiled):
            _bracket(body, bracket, indent)
        note = agreeable_note(compiled)
        if note:
            _run(body.paragraph(), note, italic=True)


def _positions(option: Option) -> str:
    named = "; ".join(
        f"{party}: {_STANCE_WORDS.get(stance, stance)}" for party, stance in option.positions
    )
    return named or "no position stated"


def _table(body: _Body, compilation: Compilation) -> None:
    """The table made by python-docx with all its rows at once (one parse of its XML),
    then each cell's paragraph filled in one pass over the rows."""
    body.heading(TABLE_TITLE, 1)
    rows = [
        (
            _clean(compiled.provision.label),
            _clean(bracket.label.removeprefix("Option ")),
            _clean(", ".join(option.sponsors)),
            _clean(bracket.body),
            _clean(f"{_positions(option)}\n{bracket.tally}"),
        )
        for compiled in compilation.provisions
        for bracket, option in zip(brackets_of(compiled)[1:], compiled.options, strict=True)
    ]
    if not rows:
        body.text("No amendment is open.")
        return
    table = body.document.add_table(rows=1 + len(rows), cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    trs = table._tbl.iterchildren(_TR)  # noqa: SLF001 - python-docx's row access is quadratic
    for tr, texts in zip(trs, [TABLE_COLUMNS, *rows], strict=True):
        for tc, text in zip(tr.iterchildren(_TC), texts, strict=True):
            _run(tc.find(_P), text, bold=texts is TABLE_COLUMNS)


def _landscape_section(document: WordDocument) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _bytes(document: WordDocument) -> bytes:
    """The package's bytes, the same for the same document whenever it is exported.

    python-docx stamps each zip member with the current time, so two exports of one
    text a second apart differed; members are written again with the zip format's
    earliest date, which costs one more pass over a few hundred kilobytes.
    """
    buffer = io.BytesIO()
    document.save(buffer)
    stable = io.BytesIO()
    with zipfile.ZipFile(buffer) as saved, zipfile.ZipFile(stable, "w") as written:
        for member in saved.infolist():
            dated = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            dated.compress_type = member.compress_type
            dated.external_attr = member.external_attr
            written.writestr(dated, saved.read(member))
    return stable.getvalue()


def export_docx(compilation: Compilation, *, table: bool) -> bytes:
    """The compilation as .docx bytes; with ``table``, the compilation table in a second section."""
    document, body = _new_document(compilation)
    _text(body, compilation)
    if table:
        _landscape_section(document)
        _table(body, compilation)
    return _bytes(document)


def compilation_table(compilation: Compilation) -> bytes:
    """The compilation-of-amendments table alone, as a landscape .docx."""
    document, body = _new_document(compilation)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _table(body, compilation)
    return _bytes(document)
