"""Markdown (and plain text) in: a treaty as people paste it, turned into provisions.

Two parts. ``Outline`` turns a stream of headings and lines of text into provisions: it
knows the words drafters use ("Part I — Principles", "Chapter 2", "Section 3", "Article 5 —
Title", "Article 5. Title", "Статья 5"), numbered paragraphs ("1." / "1)" / "(1)"), lettered
points ("(a)" / "a)"), roman sub-points ("(i)") and dashes, and a preamble of recitals (the
text before the first article or part). The Word importer feeds the same ``Outline`` with
the paragraphs of a .docx. ``read`` feeds it the lines of a Markdown file.

Markup is text: nothing here parses HTML, so ``<script>`` in a paragraph stays those eight
characters. Markdown's own emphasis (``**bold**``, ``*italic*``) is removed, because the
text model holds no formatting. Each line is looked at once and each provision's text is
joined once, so reading costs time linear in the file.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from accord.charter import text
from accord.charter.formats import ElementWord, ImportRefused, Place, gettext_noop, iso639_1

_WORDS: dict[str, tuple[str, ...]] = {
    "part": ("part", "partie", "parte", "teil", "deel", "część", "часть", "раздел"),
    "title": ("title", "titre", "título", "titulo", "titolo", "titel"),
    "chapter": (
        "chapter",
        "chapitre",
        "capítulo",
        "capitulo",
        "capitolo",
        "capo",
        "kapitel",
        "hoofdstuk",
        "rozdział",
        "глава",
    ),
    "subchapter": ("subchapter", "sub-chapter", "подраздел"),
    "section": (
        "section",
        "sección",
        "seccion",
        "secção",
        "seção",
        "sezione",
        "abschnitt",
        "afdeling",
    ),
    "subsection": ("subsection", "sub-section"),
    "article": (
        "article",
        "art.",
        "§",
        "artículo",
        "articulo",
        "artigo",
        "articolo",
        "artikel",
        "artykuł",
        "статья",
        "ст.",
    ),
    "attachment": (
        "annex",
        "annexe",
        "appendix",
        "schedule",
        "anexo",
        "allegato",
        "anhang",
        "bijlage",
        "załącznik",
        "приложение",
    ),
    "preamble": ("preamble", "préambule", "preámbulo", "preambolo", "präambel", "преамбула"),
}
"""The words that open a structural heading, by the element they open."""

ELEMENT_OF = {word: element for element, words in _WORDS.items() for word in words}

RANK = {
    "part": 1,
    "title": 2,
    "chapter": 3,
    "subchapter": 4,
    "section": 5,
    "subsection": 6,
    "article": 7,
}
"""Containers from the outermost in: a heading closes every open container of its rank or
deeper and opens below the nearest shallower one."""

GROUPING = {
    "": "section",
    "attachment": "section",
    "part": "section",
    "title": "section",
    "chapter": "subchapter",
    "subchapter": "section",
    "section": "subsection",
    "subsection": "subsection",
}
"""The element a heading that names no element opens, by the container it falls in.

Treaties group articles under bare headings: the UN Charter's Chapter IV has "Composition",
"Functions and Powers", "Voting" and "Procedure" above its articles, with no number and no
word such as "Section". Dropping them would lose the grouping; making them text would glue
them to the article before. So such a heading opens an unnumbered container one level below
the part, chapter or section it falls in (a subchapter in a chapter, a section elsewhere),
holding the articles that follow until the next heading of its level or above. Akoma Ntoso
allows these unnumbered levels (``subchapter``, ``section``) and NC v1.0 names them ``nn``."""

_ORDINALS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    "premier|première|unique|único|unico|единственная"
)
_NUMBER = (
    rf"(?:{_ORDINALS}|[IVXLCDM]+|\d+(?:[.\-]\d+)*[A-Za-z]?|[A-Z])"
    r"(?:\s?[°º])?"
    r"(?:[\s-]?(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies))?"
)
_STRUCTURE = re.compile(
    r"^(?P<word>"
    + "|".join(re.escape(word) for word in sorted(ELEMENT_OF, key=len, reverse=True))
    + r")(?![^\W\d_])\s*(?:(?P<num>"
    + _NUMBER
    + r")(?![^\W_]))?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^[—–\-.:)]+\s*")
_ROMAN = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")

_PAREN_ITEM = re.compile(r"^\((?P<num>[a-zа-я]{1,2}|[ivxlc]+|\d{1,3}[a-z]?)\)\s*(?P<rest>.*)$")
_LETTER_ITEM = re.compile(r"^(?P<num>[a-zа-я])[.)]\s*(?P<rest>\S.*)$")
_NUMBER_ITEM = re.compile(
    r"^(?P<num>\d{1,3}[a-z]?(?:\s?(?:bis|ter|quater))?)[.)](?![\d.])\s*(?P<rest>\S.*)$"
)
_BULLET = re.compile(r"^(?:[-*+•–—])\s+(?P<rest>\S.*)$")

_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(?P<strong>.+?)(?<=\S)\1|(?<![\w*])\*(?=[^\s*])(?P<em>[^*]+?)(?<=\S)\*(?![\w*])"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_HEADING = re.compile(r"^\s{0,3}(?P<marks>#{1,6})(?P<text>.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-{2,})\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_PAGE_WRAPPER = re.compile(
    r"^\s*</?(?:meta|link|html|head|body|!doctype)\b[^<>]*>\s*$", re.IGNORECASE
)
_BOLD_LINE = re.compile(r"^(\*\*|__)[^*_]+\1$")
_SPACES = re.compile(r"[ \t]{2,}|\t")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def plain(line: str) -> str:
    """A line of Markdown as text: emphasis markers and backslash escapes removed, runs of
    spaces and tabs made one space (as Markdown shows them; converters leave "list.   The"),
    surrounding space trimmed. Nothing else is interpreted."""
    if "*" in line or "__" in line:
        line = _EMPHASIS.sub(lambda match: match.group("strong") or match.group("em"), line)
    if "\\" in line:
        line = _ESCAPE.sub(r"\1", line)
    if "  " in line or "\t" in line:
        line = _SPACES.sub(" ", line)
    return line.strip()


def opens_provision(line: str) -> bool:
    """Whether a line read as text ("# …" for a Markdown heading) opens a part, chapter,
    section, article or annex: what tells a bold line above it to be a heading."""
    heading = line.startswith("# ")
    found = structural(plain(line[2:] if heading else line), alone=not heading)
    return found is not None and found.element != "preamble"


@dataclass(frozen=True)
class Heading:
    """A structural heading recognised in a line: the element, its number, its heading."""

    element: str
    num: str
    heading: str


def structural(line: str, *, alone: bool) -> Heading | None:
    """The structural heading ``line`` is, if it is one. A line that is only a line of text
    (``alone``: not a Markdown heading, not a Word heading style) must separate its heading
    with punctuation ("Article 5 — Scope", "Article 5. Scope") or have none, so that
    "Article 5 applies to…" stays a sentence."""
    match = _STRUCTURE.match(line)
    if match is None or len(line) > 300:
        return None
    element = ELEMENT_OF[match.group("word").lower()]
    num = (match.group("num") or "").strip()
    rest = match.group("rest").strip()
    separated = _SEPARATOR.match(rest)
    if separated:
        rest = rest[separated.end() :].strip()
    elif rest and alone:
        return None
    if alone and element not in {"preamble", "attachment"} and not num:
        return None
    if alone and rest.endswith((";", ",")):
        return None
    return Heading(element=element, num=num, heading=rest)


@dataclass(eq=False)
class _Node:
    element: str
    num: str
    where: Place
    parent: "_Node | None"
    heading: str = ""
    style: str = ""
    parts: list[str] = field(default_factory=list)
    size: int = 0
    children: int = 0
    eid: str = ""
    rank: float = 0
    grouping: bool = False

    @property
    def fresh(self) -> bool:
        return not self.heading and not self.parts and not self.children


@dataclass
class Outline:
    """Provisions built from headings and lines in reading order.

    ``heading`` takes a heading (Markdown ``#``, a Word heading style, a bold line);
    ``line`` takes a line of text; ``blank`` ends a block, so the next line starts a new
    paragraph rather than continuing this one. ``where`` names the place in the file for
    error messages (line 12, paragraph 34). ``draft`` returns the result.
    """

    title: str = ""
    language: str = ""
    notes: list[str] = field(default_factory=list)
    _nodes: list[_Node] = field(default_factory=list)
    _containers: list[_Node] = field(default_factory=list)
    _items: list[_Node] = field(default_factory=list)
    _attachment: _Node | None = None
    _preamble: bool = True
    _last: _Node | None = None
    _cross_headings: list[Place] = field(default_factory=list)

    def heading(self, line: str, where: Place, *, or_text: bool = False) -> None:
        """A heading: structural if it names an element, else the heading of the container
        just opened, else the document's title, else with ``or_text`` (a bold line, which may
        be emphasis) a line of text, else a grouping of the articles that follow (see
        ``GROUPING``); one in the preamble is noted and not kept."""
        line = plain(line)
        if not line:
            return
        found = structural(line, alone=False)
        if found is not None:
            self._open(found, where)
            return
        fresh = self._containers[-1] if self._containers else self._attachment
        if fresh is not None and fresh.fresh and not self._items:
            fresh.heading = line
            self._last = None
        elif not self.title and not self._nodes:
            self.title = line
        elif or_text:
            self.blank()
            self.line(line, where)
        elif self._preamble_open():
            self._cross_headings.append(where)
        else:
            self._group(line, where)
        self._last = None

    def _group(self, line: str, where: Place) -> None:
        """Open the unnumbered container a bare heading names, closing the open articles and
        the grouping before it; a second bare heading straight after the first (nothing in
        between) is added to its heading."""
        self._items.clear()
        self._last = None
        last = self._containers[-1] if self._containers else None
        if last is not None and last.grouping and not last.parts and not last.children:
            last.heading = f"{last.heading} — {line}"
            return
        while self._containers and (
            self._containers[-1].grouping or self._containers[-1].rank >= RANK["article"]
        ):
            self._containers.pop()
        parent = self._container()
        element = GROUPING[parent.element if parent is not None else ""]
        rank: float = RANK[element]
        if parent is not None and rank <= parent.rank:
            rank = parent.rank + 0.5
        node = self._add(element, "", where, parent)
        node.heading = line
        node.rank = rank
        node.grouping = True
        self._containers.append(node)

    def blank(self) -> None:
        """The end of a block of lines."""
        self._last = None

    def line(self, line: str, where: Place) -> None:
        """A line of text: a structural heading standing alone, a numbered paragraph, a
        point, a dash, or text that continues the block or starts a new one."""
        if len(line) > text.MAX_TEXT:
            raise ImportRefused(
                gettext_noop(
                    "The text %(at)s is %(length)s characters long; one provision may hold "
                    "at most %(most)s. Split it into paragraphs."
                ),
                at=where.at(),
                length=len(line),
                most=text.MAX_TEXT,
            )
        line = plain(line.lstrip("> ").strip())
        if not line:
            self._last = None
            return
        if self._last is None:
            found = structural(line, alone=True)
            if found is not None:
                self._open(found, where)
                return
        if self._item(line, where):
            return
        if self._last is not None:
            self._append(self._last, line, " ")
            return
        self._block(line, where)

    def draft(self, language: str) -> text.Draft:
        """The provisions read so far, with eIds made by ``text.eid_of`` in reading order."""
        taken: set[str] = set()
        unnumbered: dict[tuple[str, str], int] = {}
        provisions = []
        for node in self._nodes:
            parent = node.parent.eid if node.parent else ""
            num = node.num
            if not text.clean_number(num):
                key = (parent, node.element)
                unnumbered[key] = unnumbered.get(key, 0) + 1
                count = unnumbered[key]
                num = str(count) if node.element in {"recital", "attachment"} else f"nn_{count}"
            node.eid = text.eid_of(node.element, num, parent, taken)
            provisions.append(
                text.Provision(
                    eid=node.eid,
                    element=node.element,
                    num=node.num,
                    heading=node.heading,
                    text="".join(node.parts).strip(),
                    parent=parent,
                )
            )
        notes = list(self.notes)
        if self._cross_headings:
            notes.append(
                f"{len(self._cross_headings)} heading(s) in the preamble that name no part, "
                "chapter, section or article were not kept as provisions "
                f"(first at {self._cross_headings[0]})."
            )
        return text.Draft(
            title=self.title,
            language=self.language or language,
            provisions=tuple(provisions),
            notes=tuple(notes),
        )

    def _open(self, found: Heading, where: Place) -> None:
        self._items.clear()
        self._last = None
        if found.element == "preamble":
            self._containers.clear()
            self._attachment = None
            self._preamble = True
            return
        self._preamble = False
        if found.element == "attachment":
            self._containers.clear()
            self._attachment = self._add("attachment", found.num, where, None)
            self._attachment.heading = found.heading
            return
        rank = RANK[found.element]
        while self._containers and self._containers[-1].rank >= rank:
            self._containers.pop()
        node = self._add(found.element, found.num, where, self._container())
        node.heading = found.heading
        node.rank = rank
        self._containers.append(node)

    def _container(self) -> _Node | None:
        return self._containers[-1] if self._containers else self._attachment

    def _add(self, element: str, num: str, where: Place, parent: _Node | None) -> _Node:
        node = _Node(element=element, num=num, where=where, parent=parent)
        if parent is not None:
            parent.children += 1
        self._nodes.append(node)
        return node

    def _append(self, node: _Node, line: str, joint: str) -> None:
        piece = f"{joint}{line}" if node.parts else line
        node.size += len(piece)
        if node.size > text.MAX_TEXT:
            raise ImportRefused(
                gettext_noop(
                    "The %(element)s that starts %(at)s is longer than %(most)s characters, "
                    "the most one provision may hold. Split it into paragraphs."
                ),
                element=ElementWord(node.element),
                at=node.where.at(),
                most=text.MAX_TEXT,
            )
        node.parts.append(piece)

    def _item(self, line: str, where: Place) -> bool:
        match = _PAREN_ITEM.match(line)
        if match:
            num = match.group("num")
            style = "paren-number" if num[0].isdigit() else "paren"
            return self._numbered(f"({num})", num, style, match.group("rest"), where)
        match = _NUMBER_ITEM.match(line)
        if match:
            num = match.group("num")
            return self._numbered(
                line[: match.start("rest")].strip(), num, "dot", match.group("rest"), where
            )
        match = _LETTER_ITEM.match(line)
        if match:
            num = match.group("num")
            printed = line[: match.start("rest")].strip()
            return self._numbered(printed, num, "letter", match.group("rest"), where)
        match = _BULLET.match(line)
        if match and not self._preamble_open():
            holders = [item for item in self._items if item.element != "indent"]
            parent = holders[-1] if holders else self._container()
            node = self._add("indent", "", where, parent)
            node.style = "bullet"
            self._items = [*self._items_up_to(parent), node]
            self._append(node, match.group("rest"), "")
            self._last = node
            return True
        return False

    def _numbered(self, printed: str, num: str, style: str, rest: str, where: Place) -> bool:
        if self._preamble_open():
            if style == "dot":
                self._preamble = False
            else:
                node = self._add("recital", printed, where, None)
                self._append(node, rest, "")
                self._last = node
                return True
        element, parent = self._place(num, style)
        node = self._add(element, printed, where, parent)
        node.style = style
        self._items = [*self._items_up_to(parent), node]
        self._append(node, rest, "")
        self._last = node
        return True

    def _place(self, num: str, style: str) -> tuple[str, _Node | None]:
        """The element a numbered line opens and its parent, from what is open now."""
        container = self._container()
        paragraph = next((item for item in self._items if item.element == "paragraph"), None)
        points = [item for item in self._items if item.element == "point"]
        if style == "dot" or (
            style == "paren-number" and (paragraph is None or paragraph.style != "dot")
        ):
            return "paragraph", container
        if style == "paren-number":
            return "point", paragraph
        letter_point = next((point for point in points if point.style != "roman"), None)
        if _ROMAN.match(num) and letter_point is not None and not _follows(letter_point.num, num):
            return "point", letter_point
        return "point", paragraph or container

    def _items_up_to(self, parent: _Node | None) -> list[_Node]:
        if parent is None or parent not in self._items:
            return []
        return self._items[: self._items.index(parent) + 1]

    def _preamble_open(self) -> bool:
        return self._preamble and not self._containers and self._attachment is None

    def _block(self, line: str, where: Place) -> None:
        if self._preamble_open():
            node = self._add("recital", "", where, None)
        else:
            container = self._container()
            if container is not None and not container.children:
                self._items.clear()
                self._append(container, line, "\n")
                self._last = container
                return
            node = self._add("paragraph", "", where, container)
            self._items = [node]
        self._append(node, line, "")
        self._last = node


def _follows(previous: str, num: str) -> bool:
    """Whether ``num`` is the letter after ``previous`` ("(h)" then "i" is a letter)."""
    letters = previous.strip("().")
    return len(letters) == 1 and len(num) == 1 and ord(num) == ord(letters) + 1


def read(data: bytes, *, language: str) -> text.Draft:
    """The draft a Markdown or plain-text file holds; one pass over its lines."""
    lines = _decoded(data).split("\n")
    outline = Outline()
    reader = _Lines(lines, outline)
    index = _front_matter(lines, outline)
    while index < len(lines):
        index = reader.take(index)
    if reader.wrappers:
        outline.notes.append(
            f"{reader.wrappers} line(s) of HTML page markup (<meta>, <html>…) were skipped."
        )
    return outline.draft(language)


@dataclass
class _Lines:
    """Markdown's block syntax over the lines, handed to the outline."""

    lines: list[str]
    outline: Outline
    fenced: bool = False
    wrappers: int = 0

    def take(self, index: int) -> int:
        """Read the line at ``index``; the index of the next line to read."""
        raw = self.lines[index]
        where = Place("line", index + 1)
        stripped = raw.strip()
        if stripped.startswith(("```", "~~~")):
            self.fenced = not self.fenced
            self.outline.blank()
        elif self.fenced:
            self.outline.line(raw, where)
        elif not stripped or _RULE.match(raw) or _TABLE_RULE.match(raw):
            self.outline.blank()
        elif _PAGE_WRAPPER.match(raw):
            self.wrappers += 1
        elif heading := _HEADING.match(raw):
            self.outline.heading(heading.group("text"), where)
        elif self._setext(index):
            self.outline.heading(raw, where)
            return index + 2
        elif _BOLD_LINE.match(stripped) and len(stripped) <= 200:
            following = self._following(index)
            self.outline.heading(stripped, where, or_text=not opens_provision(following))
            self.outline.blank()
        else:
            self.outline.line(raw, where)
        return index + 1

    def _following(self, index: int) -> str:
        """The next line that holds text, as text ("" at the end): a bold line followed by
        "Article 9" heads the articles after it; one followed by a sentence may be emphasis."""
        for line in self.lines[index + 1 : index + 40]:
            if not line.strip():
                continue
            heading = _HEADING.match(line)
            return f"# {heading.group('text')}" if heading else line
        return ""

    def _setext(self, index: int) -> bool:
        following = self.lines[index + 1] if index + 1 < len(self.lines) else ""
        return bool(_SETEXT.match(following)) and _block_start(self.lines, index)


def _decoded(data: bytes) -> str:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        source = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            gettext_noop(
                "The file is not UTF-8 text: the byte at line %(line)s cannot be read. "
                "Save it as UTF-8 and import it again."
            ),
            line=str(line),
        ) from error
    if "\x00" in source:
        line = source[: source.index("\x00")].count("\n") + 1
        raise ImportRefused(
            gettext_noop("Line %(line)s holds a NUL character: the file is not text."),
            line=str(line),
        )
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", source)


def _block_start(lines: list[str], index: int) -> bool:
    return index == 0 or not lines[index - 1].strip()


def _front_matter(lines: list[str], outline: Outline) -> int:
    """YAML front matter's ``title`` and ``lang``/``language``, if the file opens with it;
    the index of the first line after it (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    found: dict[str, str] = {}
    for index in range(1, min(len(lines), 60)):
        line = lines[index].strip()
        if line in {"---", "..."}:
            if "title" in found:
                outline.title = found["title"]
            language = found.get("lang") or found.get("language")
            if language:
                outline.language = iso639_1(language)
            return index + 1
        key, _colon, value = line.partition(":")
        found[key.strip().lower()] = value.strip().strip("\"'")
    return 0
