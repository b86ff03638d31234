"""Reading a text to co-draft from a file: Markdown, Word (.docx) or Akoma Ntoso XML.

``read`` chooses the importer from the file's name and, when the name says nothing, its
first bytes; every importer returns a ``text.Draft`` whose provisions ``text.check`` has
accepted, or raises ``ImportRefused`` with a sentence naming the line (Markdown), the
paragraph (Word) or the element and line (XML) that is wrong. Files are untrusted: the
limits they must keep are in ``formats.limits``.
"""

import importlib
from pathlib import PurePath
from typing import Protocol

from babel.core import get_global

from accord.charter import text
from accord.charter.formats import limits


class ImportRefused(ValueError):  # noqa: N818 - the name the charter app codes against
    """The file cannot become a document; the message says where and why, for the person
    importing it."""


MARKDOWN = (".md", ".markdown", ".txt", ".text")
WORD = (".docx",)
XML = (".xml", ".akn")


def read(data: bytes, filename: str, *, language: str) -> text.Draft:
    """The draft a file holds. ``language`` is the original language to assume when the
    file states none (ISO 639-1); a language the file states wins. Costs one pass over the
    file and one over its provisions."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise ImportRefused(
            f"The file is {len(data):,} bytes; at most {limits.MAX_FILE_BYTES:,} can be imported."
        )
    draft = _importer(data, filename)(data, language=language)
    if not draft.title:
        draft = text.Draft(
            title=PurePath(filename).stem,
            language=draft.language,
            provisions=draft.provisions,
            notes=draft.notes,
        )
    return checked(draft)


def _importer(data: bytes, filename: str) -> "Importer":
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".doc", ".rtf", ".odt", ".pdf"}:
        raise ImportRefused(
            f"{suffix} files cannot be imported; save the text as Word (.docx), "
            "Markdown (.md) or Akoma Ntoso (.xml) first."
        )
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in MARKDOWN:
        kind = "markdown"
    elif suffix in WORD or (suffix not in XML and head.startswith(b"PK\x03\x04")):
        kind = "docx_in"
    elif suffix in XML or head.startswith(b"<?xml") or b"akomaNtoso" in head:
        kind = "akn_in"
    else:
        kind = "markdown"
    # Each importer imports ImportRefused from here, so it is looked up only when needed.
    module = importlib.import_module(f"accord.charter.formats.{kind}")
    importer: Importer = module.read
    return importer


class Importer(Protocol):
    """What every importer is: bytes and a fallback language in, a draft out."""

    def __call__(self, data: bytes, *, language: str) -> text.Draft: ...


def checked(draft: text.Draft) -> text.Draft:
    """The draft if ``text.check`` accepts its provisions, else ImportRefused saying why."""
    try:
        text.check(draft.provisions)
    except text.TextError as error:
        raise ImportRefused(f"The imported text breaks a rule: {error}.") from error
    return draft


def iso639_1(code: str) -> str:
    """The two-letter code of a language a file names (``eng``, ``ger``, ``en-GB``, ``ru``);
    a code with no two-letter form is kept as the file wrote it, lower-cased."""
    cleaned = code.strip().replace("_", "-").lower()
    primary = cleaned.split("-", 1)[0]
    if len(primary) == 2 and primary.isalpha():
        return primary
    alias = str(get_global("language_aliases").get(primary, ""))
    if len(alias) == 2:
        return alias
    return primary
