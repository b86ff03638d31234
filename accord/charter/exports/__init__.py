"""Exports of a compilation: plain text, Markdown, Akoma Ntoso, Word, HTML and PDF.

``export(compilation, fmt, brackets=...)`` is the one entry point the pages, the API
and ``accord charter show --format`` call. ``brackets=False`` exports the clean text
(the compilation without its options); ``brackets=True`` the bracketed text, each
provision with open amendments shown as its base text and each option in square
brackets with its sponsors and the tally of positions (``bracketed.Bracket``), and,
for Word, the compilation-of-amendments table as a second section.

Every format is built in one pass over the provisions, so its cost is linear in the
text's length; each module's docstring states its own.
"""

from collections.abc import Callable

from accord.charter.exports.akn import export_akn
from accord.charter.exports.docx_out import compilation_table, export_docx
from accord.charter.exports.html import export_html
from accord.charter.exports.markdown_out import export_markdown
from accord.charter.exports.pdf import export_pdf
from accord.charter.exports.plain import export_text
from accord.charter.text import Compilation

FORMATS = ("text", "md", "akn", "docx", "html", "pdf")

MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "akn": "application/akn+xml",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
"""What a page or the API sends as Content-Type for each format."""

EXTENSIONS = {"text": "txt", "md": "md", "akn": "xml", "docx": "docx", "html": "html", "pdf": "pdf"}

_WRITERS: dict[str, Callable[[Compilation], bytes]] = {
    "text": export_text,
    "md": export_markdown,
    "akn": export_akn,
    "html": export_html,
    "pdf": export_pdf,
}


class UnknownFormatError(ValueError):
    """The format asked for is not one Accord exports."""


def export(compilation: Compilation, fmt: str, *, brackets: bool) -> bytes:
    """The compilation in ``fmt`` (one of ``FORMATS``), clean or with its brackets."""
    text = compilation if brackets else compilation.clean()
    if fmt == "docx":
        return export_docx(text, table=brackets)
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise UnknownFormatError(
            f"{fmt!r} is not an export format; choose one of {', '.join(FORMATS)}"
        )
    return writer(text)


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MEDIA_TYPES",
    "UnknownFormatError",
    "compilation_table",
    "export",
]
