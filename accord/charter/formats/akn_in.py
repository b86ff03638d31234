"""Akoma Ntoso XML in: an ``act``, ``bill`` or ``doc`` from LEOS, Indigo or a national gazette.

Spec followed: Akoma Ntoso Version 1.0, Part 1 (Vocabulary) and Part 2 (Specifications),
OASIS Standard, 29 August 2018, for the document types, the hierarchical elements and
``attachments``; the Naming Convention v1.0 (§5.2) for eIds. The AKN 3.0 namespace
(``http://docs.oasis-open.org/legaldocml/ns/akn/3.0``, with or without a committee-draft
suffix) and the older ``http://www.akomantoso.org/2.0`` are read alike.

The file is untrusted. It is parsed by lxml with entities left unresolved, no network, no
DTD and libxml2's huge-tree option off; a DOCTYPE is refused outright (AKN has none, and
entity bombs and external entities need one); nesting deeper than ``limits.MAX_XML_DEPTH``
is refused while parsing, so a 10⁵-deep file costs a few hundred elements of work.

Mapping: hierarchical elements keep their name where Accord has it (part, title, chapter,
section, article, paragraph, point…); book/tome/subpart become parts, division and level
become sections, ``hcontainer`` a section when it holds provisions and a paragraph when it
only holds text, ``blockList`` items points, ``list``/``sublist`` are see-through; recitals
and citations in the preamble become recitals; each attached document becomes an
``attachment`` with its own provisions below it. A provision's ``text`` is its intro and
content, paragraphs joined by newlines; its wrap-up becomes an unnumbered subparagraph after
its children. eIds in the file are kept when valid and unique; others are made with
``text.eid_of``. A ``crossHeading`` (a heading between provisions that names no element, as
Indigo writes "A cross head" above subsections) opens an unnumbered grouping that holds the
provisions after it, as the Markdown importer does with a bare heading (``markdown.GROUPING``);
inside an article or deeper it is skipped. What is skipped (tables, images, footnotes,
conclusions, unknown elements) is said in the draft's notes. One pass over the elements.
"""

import io
import re
from dataclasses import dataclass, field

from lxml import etree

from accord.charter import text
from accord.charter.formats import ImportRefused, gettext_noop, iso639_1, limits
from accord.charter.formats.markdown import GROUPING

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_EID = re.compile(r"[A-Za-z0-9_-]{1,200}")

HIERARCHY = {
    "book": "part",
    "tome": "part",
    "part": "part",
    "subpart": "part",
    "title": "title",
    "subtitle": "title",
    "chapter": "chapter",
    "subchapter": "subchapter",
    "section": "section",
    "subsection": "subsection",
    "division": "section",
    "subdivision": "subsection",
    "level": "section",
    "article": "article",
    "rule": "article",
    "transitional": "article",
    "paragraph": "paragraph",
    "subrule": "paragraph",
    "subparagraph": "subparagraph",
    "alinea": "subparagraph",
    "proviso": "subparagraph",
    "point": "point",
    "indent": "indent",
    "clause": "clause",
    "subclause": "clause",
}
"""AKN hierarchical elements → Accord's elements."""

SEE_THROUGH = {"list", "sublist"}
"""Wrappers whose intro belongs to the enclosing provision and whose children to it too."""

OWN_PARTS = {"num", "heading", "subheading", "intro", "content", "wrapUp", "wrap"}
BLOCKS = {"p", "blockList", "table", "blockContainer", "tblock", "foreign", "ul", "ol", "toc"}
DOCUMENTS = {"act", "bill", "doc", "statement"}
SKIPPED_INLINE = {"authorialNote", "noteRef", "img", "eop"}
BREAKS = {"eol", "br"}


@dataclass(eq=False)
class _Node:
    element: str
    eid: str
    num: str
    heading: str
    parent: str
    parts: list[str] = field(default_factory=list)

    def provision(self) -> text.Provision:
        return text.Provision(
            eid=self.eid,
            element=self.element,
            num=self.num,
            heading=self.heading,
            text="\n".join(part for part in self.parts if part),
            parent=self.parent,
        )


def read(data: bytes, *, language: str) -> text.Draft:
    """The draft an Akoma Ntoso file holds, or ImportRefused naming the element and line."""
    root = parsed(data)
    return _Reader().document(root, language)


def parsed(data: bytes) -> etree._Element:
    """The root element of hardened-parsed XML; refuses a DOCTYPE, malformed XML and
    nesting deeper than ``limits.MAX_XML_DEPTH``."""
    if b"<!DOCTYPE" in data or b"<\x00!\x00D\x00O\x00C\x00" in data:
        line = data[: data.find(b"<!DOCTYPE")].count(b"\n") + 1 if b"<!DOCTYPE" in data else 1
        raise ImportRefused(
            gettext_noop(
                "The XML declares a DOCTYPE at line %(line)s; Akoma Ntoso needs none, and "
                "Accord refuses them because entity declarations can expand or fetch other "
                "files."
            ),
            line=str(line),
        )
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    root: etree._Element | None = None
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                root = element if root is None else root
                if depth > limits.MAX_XML_DEPTH:
                    raise ImportRefused(
                        gettext_noop(
                            "The XML nests elements more than %(most)s deep (<%(element)s> "
                            "at line %(line)s); Akoma Ntoso documents nest a few dozen "
                            "levels at most."
                        ),
                        most=limits.MAX_XML_DEPTH,
                        element=_local(element),
                        line=str(element.sourceline),
                    )
            else:
                depth -= 1
    except etree.XMLSyntaxError as error:
        raise ImportRefused(
            gettext_noop(
                "The XML is not well-formed at line %(line)s; the parser says “%(reason)s”."
            ),
            line=str(error.lineno),
            reason=str(error.msg),
        ) from error
    if root is None:
        raise ImportRefused(gettext_noop("The file holds no XML element."))
    if root.getroottree().docinfo.internalDTD is not None:
        raise ImportRefused(gettext_noop("The XML declares a DOCTYPE; Accord refuses them."))
    return root


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _namespace(element: etree._Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _known_namespace(namespace: str) -> bool:
    return namespace.startswith(
        ("http://docs.oasis-open.org/legaldocml/ns/akn/3.0", "http://www.akomantoso.org/")
    )


def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((child for child in _children(element) if _local(child) == name), None)


@dataclass
class _Reader:
    nodes: list[_Node] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    unnumbered: dict[tuple[str, str], int] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    grouped: list[str] = field(default_factory=list)

    def document(self, root: etree._Element, language: str) -> text.Draft:
        if _local(root) != "akomaNtoso":
            raise ImportRefused(
                gettext_noop(
                    "The XML's root element is <%(element)s> at line %(line)s, not "
                    "<akomaNtoso>: this is not an Akoma Ntoso document."
                ),
                element=_local(root),
                line=str(root.sourceline),
            )
        if not _namespace(root):
            raise ImportRefused(
                gettext_noop(
                    "The <akomaNtoso> element at line %(line)s is in no namespace; it must "
                    "be in Akoma Ntoso 3.0's, http://docs.oasis-open.org/legaldocml/ns/akn/3.0."
                ),
                line=str(root.sourceline),
            )
        if not _known_namespace(_namespace(root)):
            raise ImportRefused(
                gettext_noop(
                    "The <akomaNtoso> element at line %(line)s is in the namespace "
                    "%(namespace)s, not Akoma Ntoso 3.0's "
                    "http://docs.oasis-open.org/legaldocml/ns/akn/3.0."
                ),
                line=str(root.sourceline),
                namespace=_namespace(root),
            )
        documents = _children(root)
        if not documents:
            raise ImportRefused(
                gettext_noop("The <akomaNtoso> element at line %(line)s is empty."),
                line=str(root.sourceline),
            )
        main = documents[0]
        if _local(main) not in DOCUMENTS:
            raise ImportRefused(
                gettext_noop(
                    "An Akoma Ntoso <%(element)s> at line %(line)s is not a text to "
                    "co-draft; import an act, a bill or a doc."
                ),
                element=_local(main),
                line=str(main.sourceline),
            )
        self.contents(main, "")
        return text.Draft(
            title=_title(main),
            language=_language(main) or language,
            provisions=tuple(node.provision() for node in self.nodes),
            notes=self.notes(),
        )

    def contents(self, document: etree._Element, parent: str) -> None:
        """A document's preamble, body and attachments, below ``parent`` ("" for the main one)."""
        for child in _children(document):
            name = _local(child)
            if name == "preamble":
                self.preamble(child, parent)
            elif name in {"body", "mainBody"}:
                self.hierarchy(child, parent)
            elif name in {"attachments", "components"}:
                self.attachments(child, parent)
            elif name == "conclusions":
                self.skip("conclusions (signatures, place and date)", child)
            elif name not in {"meta", "coverPage", "preface"}:
                self.skip(f"<{name}>", child)

    def preamble(self, preamble: etree._Element, parent: str) -> None:
        for child in _children(preamble):
            name = _local(child)
            if name in {"recitals", "citations"}:
                for item in _children(child):
                    if _local(item) in {"recital", "citation"}:
                        self.recital(item, parent)
                    elif _local(item) == "intro":
                        self.skip('the introduction of recitals ("Whereas:")', item)
            elif name in {"recital", "citation", "formula", "p", "container", "blockContainer"}:
                self.recital(child, parent)
            else:
                self.skip(f"<{name}>", child)

    def recital(self, element: etree._Element, parent: str) -> None:
        num = _inline(_child(element, "num"))
        node = self.add(element, "recital", num, "", parent)
        node.parts.append(self.blocks(element, node))

    def hierarchy(self, container: etree._Element, parent: str) -> None:
        inside = parent
        for child in _children(container):
            name = _local(child)
            if name in HIERARCHY or name == "hcontainer":
                self.provision(child, inside)
            elif name in SEE_THROUGH:
                self.hierarchy(child, inside)
            elif name in BLOCKS:
                node = self.add(child, "paragraph", "", "", inside)
                node.parts.append(self.block(child, node))
            elif name == "crossHeading":
                inside = self.cross_heading(child, parent, inside)
            elif name in OWN_PARTS:
                continue
            else:
                self.skip(f"<{name}>", child)

    def provision(self, element: etree._Element, parent: str) -> None:
        name = _local(element)
        num = _inline(_child(element, "num"))
        headings = (_inline(_child(element, "heading")), _inline(_child(element, "subheading")))
        heading = " — ".join(part for part in headings if part)
        if name == "hcontainer":
            holds = any(
                _local(child) in HIERARCHY or _local(child) == "hcontainer"
                for child in _children(element)
            )
            kind = "section" if holds or heading else "paragraph"
        else:
            kind = HIERARCHY[name]
        node = self.add(element, kind, num, heading, parent)
        for part in ("intro", "content"):
            found = _child(element, part)
            if found is not None:
                node.parts.append(self.blocks(found, node))
        for wrapper in (child for child in _children(element) if _local(child) in SEE_THROUGH):
            intro = _child(wrapper, "intro")
            if intro is not None:
                node.parts.append(self.blocks(intro, node))
        self.hierarchy(element, node.eid)
        wrap = _child(element, "wrapUp")
        if wrap is None:
            wrap = _child(element, "wrap")
        if wrap is not None:
            closing = self.add(wrap, "subparagraph", "", "", node.eid)
            closing.parts.append(self.blocks(wrap, closing))

    def cross_heading(self, element: etree._Element, parent: str, inside: str) -> str:
        """The grouping a cross-heading opens below ``parent``, which holds what follows it;
        ``inside`` (unchanged) when the parent is an article or deeper, where it is skipped."""
        kind = GROUPING.get(self.kinds.get(parent, ""))
        heading = _inline(element)
        if kind is None or not heading:
            self.skip("cross-headings inside articles", element)
            return inside
        self.grouped.append(f"line {element.sourceline}")
        return self.add(element, kind, "", heading, parent).eid

    def attachments(self, container: etree._Element, parent: str) -> None:
        for child in _children(container):
            name = _local(child)
            if name in {"attachment", "component"}:
                inner = next((doc for doc in _children(child) if _local(doc) in DOCUMENTS), None)
                if inner is None:
                    self.skip("attachments that reference another file", child)
                    continue
                heading = _inline(_child(child, "heading")) or _title(inner)
                subheading = _inline(_child(child, "subheading"))
                if subheading:
                    heading = f"{heading} — {subheading}" if heading else subheading
                node = self.add(child, "attachment", _inline(_child(child, "num")), heading, parent)
                self.contents(inner, node.eid)
            elif name in DOCUMENTS:
                node = self.add(child, "attachment", "", _title(child), parent)
                self.contents(child, node.eid)
            else:
                self.skip("attachments that reference another file", child)

    def add(self, element: etree._Element, kind: str, num: str, heading: str, parent: str) -> _Node:
        given = element.get("eId") or element.get("id") or element.get(_XML_ID) or ""
        if _EID.fullmatch(given) and given not in self.taken:
            eid = given
            self.taken.add(eid)
        else:
            numbered = num
            if not text.clean_number(num):
                key = (parent, kind)
                self.unnumbered[key] = self.unnumbered.get(key, 0) + 1
                count = self.unnumbered[key]
                numbered = str(count) if kind in {"recital", "attachment"} else f"nn_{count}"
            eid = text.eid_of(kind, numbered, parent, self.taken)
        node = _Node(element=kind, eid=eid, num=num, heading=heading, parent=parent)
        self.nodes.append(node)
        self.kinds[eid] = kind
        return node

    def blocks(self, container: etree._Element, owner: _Node) -> str:
        """The text of a container of blocks (content, intro, a recital), a paragraph per
        line; block lists become points below ``owner``."""
        found = []
        loose = (container.text or "").strip()
        if loose:
            found.append(" ".join(loose.split()))
        for child in _children(container):
            name = _local(child)
            if name in {"num", "heading", "subheading"}:
                continue
            found.append(self.block(child, owner))
        return "\n".join(piece for piece in found if piece)

    def block(self, element: etree._Element, owner: _Node) -> str:
        name = _local(element)
        if name == "blockList":
            return self.block_list(element, owner)
        if name == "table":
            self.skip("tables (kept as lines of text, cells separated by |)", element)
            rows = [
                " | ".join(_inline(cell) for cell in _children(row))
                for row in element.iter("{*}tr")
            ]
            return "\n".join(rows)
        if name in {"img", "object"}:
            self.skip("images", element)
            return ""
        if name in {"blockContainer", "container", "tblock", "intro", "content"}:
            return self.blocks(element, owner)
        if element.find(".//{*}img") is not None:
            self.skip("images", element)
        return _inline(element)

    def block_list(self, element: etree._Element, owner: _Node) -> str:
        intro = []
        for child in _children(element):
            name = _local(child)
            if name in {"listIntroduction", "listWrapUp"}:
                intro.append(_inline(child))
            elif name == "item":
                point = self.add(child, "point", _inline(_child(child, "num")), "", owner.eid)
                point.parts.append(self.blocks(child, point))
        return "\n".join(piece for piece in intro if piece)

    def skip(self, what: str, element: etree._Element) -> None:
        self.skipped.setdefault(what, []).append(f"line {element.sourceline}")

    def notes(self) -> tuple[str, ...]:
        found = [
            f"Skipped {len(places)} × {what}, first at {places[0]}."
            if not what.startswith("tables")
            else f"{len(places)} table(s) kept as text, first at {places[0]}."
            for what, places in self.skipped.items()
        ]
        if self.grouped:
            found.append(
                f"{len(self.grouped)} cross-heading(s) kept as unnumbered groupings of the "
                f"provisions after them, first at {self.grouped[0]}."
            )
        return tuple(found)


def _inline(element: etree._Element | None) -> str:
    """The text of an element and its inline children, whitespace collapsed, footnotes and
    images left out; iterative, so depth costs no stack."""
    if element is None:
        return ""
    pieces: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(element, False)]
    while stack:
        current, closing = stack.pop()
        if closing:
            if current is not element and current.tail:
                pieces.append(current.tail)
            continue
        name = _local(current)
        stack.append((current, True))
        if name in SKIPPED_INLINE and current is not element:
            continue
        if name in BREAKS:
            pieces.append(" ")
            continue
        if current.text and isinstance(current.tag, str):
            pieces.append(current.text)
        stack.extend((child, False) for child in reversed(list(current)))
    return " ".join("".join(pieces).split())


def _title(document: etree._Element) -> str:
    preface = _child(document, "preface")
    if preface is not None:
        for name in ("docTitle", "shortTitle"):
            found = preface.find(f".//{{*}}{name}")
            if found is not None and _inline(found):
                return _inline(found)
    for alias in document.iterfind("{*}meta/{*}identification/{*}FRBRWork/{*}FRBRalias"):
        if alias.get("value"):
            return str(alias.get("value")).strip()
    if preface is not None:
        long_title = preface.find(".//{*}longTitle")
        if long_title is not None:
            return _inline(long_title)
    return ""


def _language(document: etree._Element) -> str:
    found = document.find("{*}meta/{*}identification/{*}FRBRExpression/{*}FRBRlanguage")
    if found is None or not found.get("language"):
        return ""
    return iso639_1(str(found.get("language")))
