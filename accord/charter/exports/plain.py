"""A compilation as plain text wrapped at 80 columns: what ``accord charter show DOC`` prints.

Headings on their own lines ("Article 2 — Notification"), numbered text indented two
spaces per level below its heading, each bracket on its own wrapped lines with its
tally. Linear in the text's length.
"""

import textwrap

from accord.charter.exports.bracketed import (
    HEADED,
    Step,
    agreeable_note,
    brackets_of,
    heading_line,
    remaining_line,
    status_line,
    walk,
)
from accord.charter.text import Compilation

WIDTH = 80
MAX_INDENT = 16
"""Columns of indentation at most, so that deep points keep 64 columns of text."""


def _wrap(text: str, indent: str, hanging: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(
                paragraph,
                WIDTH,
                initial_indent=indent,
                subsequent_indent=indent + hanging,
                break_long_words=True,
                break_on_hyphens=False,
            )
            or [indent.rstrip()]
        )
    return lines


def _provision(step: Step) -> list[str]:
    provision, compiled = step.provision, step.compiled
    indent = " " * min(MAX_INDENT, 2 * (step.depth - 1))
    lines = ["", "Preamble"] if step.opens_preamble else []
    lead = ""
    if provision.element in HEADED:
        lines.extend(["", *_wrap(heading_line(provision), indent)])
    else:
        lead = f"{provision.num} " if provision.num else ""
        if provision.heading:
            lines.extend(_wrap(f"{lead}{provision.heading}", indent))
            lead = ""
    brackets = brackets_of(compiled)
    if not brackets:
        if provision.text:
            lines.extend(_wrap(f"{lead}{provision.text}", indent, " " * len(lead)))
        return lines
    if lead:
        lines.append(f"{indent}{lead.rstrip()}")
    for bracket in brackets:
        lines.extend(_wrap(bracket.line, indent + "  ", "  "))
    note = agreeable_note(compiled)
    if note:
        lines.extend(_wrap(note, indent + "  "))
    return lines


def export_text(compilation: Compilation) -> bytes:
    """The compilation as UTF-8 text, ending with a newline."""
    lines = _wrap(compilation.title or compilation.symbol, "")
    lines.extend(_wrap(status_line(compilation), ""))
    remaining = remaining_line(compilation)
    if remaining:
        lines.extend(_wrap(remaining, ""))
    for step in walk(compilation):
        lines.extend(_provision(step))
    return ("\n".join(lines) + "\n").encode()
