"""Reading a text to co-draft from a file: Markdown, Word (.docx) or Akoma Ntoso XML.

``read`` chooses the importer from the file's name and, when the name says nothing, its
first bytes; every importer returns a ``text.Draft`` whose provisions ``text.check`` has
accepted, or raises ``ImportRefused`` with a sentence naming the line (Markdown), the
paragraph (Word) or the element and line (XML) that is wrong. Files are untrusted: the
limits they must keep are in ``formats.limits``.

A refusal is read by the person importing, in their language: each sentence is an English
template marked with ``gettext_noop`` and translated in ``accord/locale`` when it is shown
(``str(refused)``), so the introduce page, the API and the command line need not know of it.
"""

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import NamedTuple, Protocol

from babel.core import UnknownLocaleError, get_global
from babel.numbers import format_decimal

from accord.charter import text
from accord.charter.formats import limits


def gettext_noop(message: str) -> str:
    """Mark a refusal's sentence for ``makemessages``, which extracts this name, and return
    it unchanged: the sentence is translated when it is shown, in the reader's language,
    not when the importer raises it."""
    return message


class Speech(NamedTuple):
    """How to word a phrase in one language: its catalogue and its Babel locale ("" for
    English without Django)."""

    gettext: Callable[[str], str]
    pgettext: Callable[[str, str], str]
    locale: str


ENGLISH = Speech(lambda message: message, lambda _context, message: message, "")


def speech() -> Speech:
    """The active language's, or English where Django is not set up (the importers used
    from a script without settings)."""
    from django.apps import apps  # noqa: PLC0415 - the formats work without Django
    from django.conf import settings  # noqa: PLC0415

    if not (settings.configured and apps.ready):
        return ENGLISH
    from django.utils import translation  # noqa: PLC0415

    language = translation.get_language() or settings.LANGUAGE_CODE
    return Speech(translation.gettext, translation.pgettext, translation.to_locale(language))


class Spoken(Protocol):
    """A part of a sentence that is itself worded in the reader's language."""

    def spoken(self, speech: Speech) -> str: ...


Value = int | str | Spoken
"""What a phrase's placeholder takes: an ``int`` is a quantity, grouped as the language
writes numbers (``10,485,760``, ``10 485 760``); a ``str`` (a line number, a tag, a part's
name, the parser's own words) goes in as it is; a ``Spoken`` is worded too."""


@dataclass(frozen=True)
class Phrase:
    """An English sentence with ``%(name)s`` placeholders and their values, worded anew each
    time it is shown: one catalogue lookup and one formatting per showing."""

    template: str
    values: Mapping[str, Value]

    def spoken(self, speech: Speech) -> str:
        sentence = speech.gettext(self.template)
        if not self.values:
            return sentence
        return sentence % {name: _worded(value, speech) for name, value in self.values.items()}

    def __str__(self) -> str:
        return self.spoken(speech())


def _worded(value: Value, speech: Speech) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        if speech.locale:
            try:
                return str(format_decimal(value, locale=speech.locale))
            except (UnknownLocaleError, ValueError):
                pass
        return f"{value:,}"
    return value.spoken(speech)


@dataclass(frozen=True)
class ElementWord:
    """An Accord element's name in lower case ("article", "статья"), from the catalogue's
    ``provision`` words that the charter's pages show for the same elements."""

    element: str

    def spoken(self, speech: Speech) -> str:
        return speech.pgettext("provision", self.element.capitalize()).lower()


_AT = {
    "line": gettext_noop("at line %(number)s"),
    "paragraph": gettext_noop("at paragraph %(number)s"),
}


class Place(NamedTuple):
    """Where a line or paragraph is in the file: line 12 of a text, paragraph 34 of a Word
    document. ``str`` is the English the draft's notes use, ``at`` the wording a refusal
    uses ("at line 12", "в строке 12")."""

    unit: str
    number: int

    def __str__(self) -> str:
        return f"{self.unit} {self.number}"

    def at(self) -> Phrase:
        return Phrase(_AT[self.unit], {"number": str(self.number)})


class ImportRefused(ValueError):  # noqa: N818 - the name the charter app codes against
    """The file cannot become a document; the message says where and why, for the person
    importing it.

    ``template`` is an English sentence marked with ``gettext_noop``, ``values`` fill its
    placeholders. ``args[0]`` is the English sentence; ``str()`` is the sentence in the
    active language, worded when it is called."""

    def __init__(self, template: str, **values: Value) -> None:
        self.phrase = Phrase(template, values)
        super().__init__(self.phrase.spoken(ENGLISH))

    def __str__(self) -> str:
        return str(self.phrase)


MARKDOWN = (".md", ".markdown", ".txt", ".text")
WORD = (".docx",)
XML = (".xml", ".akn")


def read(data: bytes, filename: str, *, language: str) -> text.Draft:
    """The draft a file holds. ``language`` is the original language to assume when the
    file states none (ISO 639-1); a language the file states wins. Costs one pass over the
    file and one over its provisions."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise ImportRefused(
            gettext_noop("The file is %(size)s bytes; at most %(most)s can be imported."),
            size=len(data),
            most=limits.MAX_FILE_BYTES,
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
            gettext_noop(
                "%(suffix)s files cannot be imported; save the text as Word (.docx), "
                "Markdown (.md) or Akoma Ntoso (.xml) first."
            ),
            suffix=suffix,
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
        raise _broken_rule(draft.provisions, error) from error
    return draft


_TOO_LONG = {
    "text": gettext_noop(
        "The text of provision %(position)s (%(eid)s) is %(length)s characters long; one "
        "provision may hold at most %(most)s. Split it into paragraphs."
    ),
    "heading": gettext_noop(
        "The heading of provision %(position)s (%(eid)s) is %(length)s characters long; "
        "at most %(most)s are accepted."
    ),
    "num": gettext_noop(
        "The number of provision %(position)s (%(eid)s) is %(length)s characters long; "
        "at most %(most)s are accepted."
    ),
}


def _broken_rule(provisions: tuple[text.Provision, ...], error: text.TextError) -> ImportRefused:
    """The refusal for a rule of ``text.check`` that a file can break (no provisions, too
    many, too deep, too long), worded for the person importing; a rule only a faulty
    importer could break (an unknown element, a bad or repeated eId) is quoted as
    ``text.check`` words it. One more pass over the provisions, for a refused draft only."""
    if not provisions:
        return ImportRefused(
            gettext_noop(
                "The file holds no provisions: no article, paragraph or other part of a "
                "text was found in it."
            )
        )
    if len(provisions) > text.MAX_PROVISIONS:
        return ImportRefused(
            gettext_noop(
                "The file holds %(count)s provisions; a document may hold at most %(most)s."
            ),
            count=len(provisions),
            most=text.MAX_PROVISIONS,
        )
    depths: dict[str, int] = {}
    for position, provision in enumerate(provisions, start=1):
        depth = depths.get(provision.parent, 0) + 1 if provision.parent else 1
        depths.setdefault(provision.eid, depth)
        where: dict[str, Value] = {"position": str(position), "eid": provision.eid}
        if depth > text.MAX_DEPTH:
            return ImportRefused(
                gettext_noop(
                    "Provision %(position)s (%(eid)s) is nested %(depth)s levels deep; a "
                    "document may nest at most %(most)s."
                ),
                **where,
                depth=depth,
                most=text.MAX_DEPTH,
            )
        for name, template in _TOO_LONG.items():
            length = len(getattr(provision, name))
            if length > text.MAX_TEXT:
                return ImportRefused(template, **where, length=length, most=text.MAX_TEXT)
    return ImportRefused(
        gettext_noop("The imported text breaks a rule: %(rule)s."), rule=str(error)
    )


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
