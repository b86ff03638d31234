"""Word (.docx) in: a treaty typed in Word, with heading styles or with bold "Article N" lines.

The archive is checked before python-docx opens it (a .docx is a zip of XML parts, and an
untrusted zip may be a bomb): it must be a zip, hold ``word/document.xml``, have at most
``limits.MAX_ZIP_MEMBERS`` members whose declared sizes add up to at most
``limits.MAX_ZIP_UNCOMPRESSED`` bytes with no member compressed more than
``limits.MAX_ZIP_RATIO`` times, and no XML part may declare a DOCTYPE. Then each body
paragraph goes, in order, to the same ``markdown.Outline`` the Markdown importer uses: a
"Title" paragraph is the title, "Heading N" paragraphs and wholly bold short paragraphs are
headings, Word's automatic list numbers are written out ("1.", "(a)") so that numbered list
paragraphs become paragraphs and points. Tables and images are skipped and noted. The cost is
one pass over the body's paragraphs and one over the numbering definitions; each paragraph
style is resolved once (python-docx's ``paragraph.style`` scans every style of the document
on each call, which was most of an import's time).
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from lxml import etree

from accord.charter import text
from accord.charter.formats import ImportRefused, Place, gettext_noop, iso639_1, limits
from accord.charter.formats.markdown import Outline, opens_provision

_HEADING_STYLE = re.compile(r"^(?:heading|заголовок|überschrift|titre|título)\s*\d", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read(data: bytes, *, language: str) -> text.Draft:
    """The draft a .docx holds, or ImportRefused naming the paragraph that is wrong."""
    archive_checked(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (etree.XMLSyntaxError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ImportRefused(
            gettext_noop("The Word document cannot be read; python-docx says “%(reason)s”."),
            reason=str(error),
        ) from error
    outline = Outline()
    outline.language = _language(document)
    _Reader(document, outline).read()
    if not outline.title and document.core_properties.title:
        outline.title = document.core_properties.title.strip()
    return outline.draft(language)


def archive_checked(data: bytes) -> None:
    """Refuse a file that is not a .docx or whose archive could cost more to open than the
    limits allow; reads the zip's directory and the head of each XML part."""
    if data.startswith(_OLE_MAGIC):
        raise ImportRefused(
            gettext_noop(
                "This is a Word 97–2003 (.doc) file or a password-protected document, not a "
                ".docx; save it as an unprotected Word document (.docx) and import it again."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ImportRefused(
            gettext_noop(
                "The file is not a Word document: a .docx is a zip archive, and this file "
                "is not one."
            )
        ) from error
    with archive:
        members = archive.infolist()
        if len(members) > limits.MAX_ZIP_MEMBERS:
            raise ImportRefused(
                gettext_noop(
                    "The Word document holds %(count)s files; at most %(most)s are accepted."
                ),
                count=len(members),
                most=limits.MAX_ZIP_MEMBERS,
            )
        total = sum(member.file_size for member in members)
        if total > limits.MAX_ZIP_UNCOMPRESSED:
            raise ImportRefused(
                gettext_noop(
                    "The Word document expands to %(size)s bytes; at most %(most)s are accepted."
                ),
                size=total,
                most=limits.MAX_ZIP_UNCOMPRESSED,
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > limits.MAX_ZIP_RATIO:
                raise ImportRefused(
                    gettext_noop(
                        "The part %(part)s of the Word document is compressed %(ratio)s "
                        "times; at most %(most)s is accepted (this is how a zip bomb looks)."
                    ),
                    part=member.filename,
                    ratio=round(ratio),
                    most=limits.MAX_ZIP_RATIO,
                )
        names = {member.filename for member in members}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise ImportRefused(
                gettext_noop(
                    "The file is a zip archive but not a Word document: it has no "
                    "word/document.xml."
                )
            )
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _refuse_doctype(archive, member)


def _refuse_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    with archive.open(member) as part:
        head = part.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or b"<\x00!\x00D\x00" in head:
        raise ImportRefused(
            gettext_noop(
                "The part %(part)s of the Word document declares a DOCTYPE; Word never "
                "writes one, and Accord does not read them."
            ),
            part=member.filename,
        )


def _language(document: Document) -> str:
    stated = (document.core_properties.language or "").strip()
    if not stated:
        defaults = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
        stated = str(defaults[0]) if defaults else ""
    return iso639_1(stated) if stated else ""


@dataclass(frozen=True)
class _Level:
    start: int
    format: str
    text: str


@dataclass(frozen=True)
class _Style:
    """What the reader needs of one paragraph style, resolved once per style."""

    name: str
    bold: bool
    """Bold in the style itself (not through the style it is based on)."""
    numbering: tuple[str, int] | None
    """The list and level the style or the first of its bases that says puts a paragraph in."""


def _style(style: ParagraphStyle | None) -> _Style:
    if style is None:
        return _Style(name="", bold=False, numbering=None)
    numbering = None
    based: ParagraphStyle | None = style
    seen: set[str | None] = set()
    while based is not None and based.style_id not in seen:  # a style may name itself its base
        seen.add(based.style_id)
        stated, numbering = _numbering_of(based.element)
        if stated:
            break
        based = based.base_style
    return _Style(name=style.name or "", bold=bool(style.font.bold), numbering=numbering)


@dataclass
class _Reader:
    """One pass over the document body, feeding the outline."""

    document: Document
    outline: Outline
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    styles: dict[str | None, _Style] = field(default_factory=dict)

    def read(self) -> None:
        self.levels = _numbering(self.document)
        count = 0
        children = list(self.document.element.body.iterchildren())
        for position, child in enumerate(children):
            if child.tag == qn("w:p"):
                count += 1
                following = partial(_following, children, position, self.document)
                where = Place("paragraph", count)
                self.paragraph(Paragraph(child, self.document), where, following)
            elif child.tag == qn("w:tbl"):
                self.tables.append(f"paragraph {count + 1}")
                self.outline.blank()
        if self.tables:
            self.outline.notes.append(
                f"{len(self.tables)} table(s) were skipped (first at {self.tables[0]})."
            )
        if self.images:
            self.outline.notes.append(
                f"{len(self.images)} image(s) were skipped (first at {self.images[0]})."
            )

    def style(self, paragraph: Paragraph) -> _Style:
        """The paragraph's style, looked up the first time its id is met."""
        key = paragraph._p.style  # noqa: SLF001 - the style id, without python-docx's lookup
        if key not in self.styles:
            self.styles[key] = _style(paragraph.style)
        return self.styles[key]

    def paragraph(
        self, paragraph: Paragraph, where: Place, following: Callable[[], str] = str
    ) -> None:
        """Feed one paragraph to the outline; ``following`` (the next paragraph's text) is
        read only for a bold line, which may head the article after it."""
        if paragraph._p.xpath(".//w:drawing | .//w:pict"):  # noqa: SLF001 - python-docx has no public XML walk
            self.images.append(str(where))
        content = paragraph.text.replace("\t", " ").strip()
        if not content:
            self.outline.blank()
            return
        found = self.style(paragraph)
        style = found.name
        if style in {"Title", "Subtitle"}:
            if not self.outline.title:
                self.outline.title = content
            self.outline.blank()
            return
        label = self.number(paragraph, found)
        if label is not None:
            content = f"{label} {content}" if label else f"- {content}"
            self.outline.blank()
            self.outline.line(content, where)
        elif _HEADING_STYLE.match(style):
            self.outline.heading(content, where)
        elif len(content) <= 200 and _bold(paragraph, found):
            self.outline.heading(content, where, or_text=not opens_provision(following()))
        else:
            self.outline.blank()
            self.outline.line(content, where)
        self.outline.blank()

    def number(self, paragraph: Paragraph, style: _Style) -> str | None:
        """The number Word shows before a list paragraph ("1.", "(a)"; "" for a bullet), or
        None for a paragraph that is not in a list."""
        found = _num_pr(paragraph, style)
        if found is None:
            return None
        num_id, depth = found
        levels = self.levels.get(num_id)
        if not levels or depth not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        level = levels[depth]
        counters[depth] = counters[depth] + 1 if counters[depth] else level.start
        for deeper in range(depth + 1, 9):
            counters[deeper] = 0
        if level.format in {"bullet", "none"}:
            return ""
        label = level.text
        for index in range(depth + 1):
            shown = levels.get(index)
            value = counters[index] or (shown.start if shown else 1)
            label = label.replace(
                f"%{index + 1}", _formatted(value, shown.format if shown else "decimal")
            )
        return label.strip()


def _following(children: list[CT_P], position: int, document: Document) -> str:
    """The text of the next paragraph that holds any, within a few: whether a bold line
    heads the articles after it ("Composition" above "Article 9") or is emphasis."""
    for child in children[position + 1 : position + 20]:
        if child.tag != qn("w:p"):
            continue
        content = Paragraph(child, document).text.replace("\t", " ").strip()
        if content:
            return content
    return ""


def _num_pr(paragraph: Paragraph, style: _Style) -> tuple[str, int] | None:
    """The list (numId) and level of a paragraph, from its own properties or its styles'."""
    stated, found = _numbering_of(paragraph._p)  # noqa: SLF001 - numbering has no public API
    return found if stated else style.numbering


def _numbering_of(holder: BaseOxmlElement) -> tuple[bool, tuple[str, int] | None]:
    """Whether a paragraph's or style's properties name a list, and which list and level
    (None when they name list 0, which takes the paragraph out of any list)."""
    num_ids = holder.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    if not num_ids:
        return False, None
    num_id = str(num_ids[0])
    if num_id == "0":
        return True, None
    levels = holder.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
    depth = int(str(levels[0])) if levels else 0
    return True, (num_id, min(depth, 8))


def _numbering(document: Document) -> dict[str, dict[int, _Level]]:
    """Each list's levels (start, number format, label pattern) from numbering.xml."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract: dict[str, dict[int, _Level]] = {}
    for definition in root.findall(qn("w:abstractNum")):
        levels: dict[int, _Level] = {}
        for level in definition.findall(qn("w:lvl")):
            depth = int(level.get(qn("w:ilvl"), "0"))
            levels[depth] = _Level(
                start=int(_value(level, "w:start") or "1"),
                format=_value(level, "w:numFmt") or "decimal",
                text=_value(level, "w:lvlText") or f"%{depth + 1}.",
            )
        abstract[definition.get(qn("w:abstractNumId"), "")] = levels
    found: dict[str, dict[int, _Level]] = {}
    for num in root.findall(qn("w:num")):
        reference = _value(num, "w:abstractNumId")
        found[num.get(qn("w:numId"), "")] = abstract.get(reference or "", {})
    return found


def _value(element: etree._Element, tag: str) -> str | None:
    child = element.find(qn(tag))
    if child is None:
        return None
    value = child.get(qn("w:val"))
    return str(value) if value is not None else None


def _formatted(value: int, number_format: str) -> str:
    if number_format == "lowerLetter":
        return _letters(value)
    if number_format == "upperLetter":
        return _letters(value).upper()
    if number_format == "lowerRoman":
        return _roman(value).lower()
    if number_format == "upperRoman":
        return _roman(value)
    return str(value)


def _letters(value: int) -> str:
    # Word repeats the letter past z: aa, bb, cc.
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    result = ""
    for amount, numeral in numerals:
        while value >= amount:
            result += numeral
            value -= amount
    return result


def _bold(paragraph: Paragraph, style: _Style) -> bool:
    """Whether every run that holds text is bold, directly or through the paragraph style."""
    style_bold = style.bold
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    return all(run.bold or (run.bold is None and style_bold) for run in runs)
