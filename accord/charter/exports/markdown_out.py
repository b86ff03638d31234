"""A compilation as CommonMark: a heading per level, numbered paragraphs, options as quotes.

Texts are escaped just enough that nothing in them becomes markup: ``&``, ``<`` and ``>``
as entities (a ``<script>`` in a text renders as the characters, never as HTML), the
inline markers (``\\ ` * _ [ ] ~ |``) with a backslash, and a line that would open a
heading, a list or a rule with its first character escaped; leading spaces are dropped
so no line turns into a code block. Linear in the text's length.
"""

import re

from accord.charter.exports.bracketed import (
    HEADED,
    Bracket,
    agreeable_note,
    brackets_of,
    heading_line,
    remaining_line,
    status_line,
    walk,
)
from accord.charter.text import Compilation

_INLINE = re.compile(r"([\\`*_\[\]~|])")
_BLOCK_START = re.compile(r"^([#+\-=>])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def escape(text: str) -> str:
    """``text`` as Markdown that renders as exactly these characters, line by line."""
    lines = []
    for raw in text.splitlines() or [""]:
        line = raw.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _INLINE.sub(r"\\\1", line)
        line = _BLOCK_START.sub(r"\\\1", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def _bracket(bracket: Bracket) -> str:
    sponsors = ""
    if bracket.sponsors:
        lead, *others = (f"*{escape(name)}*" for name in bracket.sponsors)
        sponsors = f", sponsored by {lead}" + (f", with {', '.join(others)}" if others else "")
    body = escape(bracket.body).replace("\n", " ")
    quote = f"> \\[{escape(bracket.label)}{sponsors}: {body}\\]"
    return f"{quote}\\\n> {bracket.tally}" if bracket.tally else quote


def export_markdown(compilation: Compilation) -> bytes:
    """The compilation as UTF-8 Markdown."""
    blocks = [
        f"# {escape(compilation.title or compilation.symbol)}",
        f"**{escape(status_line(compilation))}**",
    ]
    remaining = remaining_line(compilation)
    if remaining:
        blocks.append(f"*{escape(remaining)}*")
    levels: dict[str, int] = {}
    for step in walk(compilation):
        compiled, provision = step.compiled, step.provision
        level = levels.get(provision.parent, 1)
        if step.opens_preamble:
            blocks.append("## Preamble")
        lead = ""
        if provision.element in HEADED:
            level += 1
            blocks.append(f"{'#' * min(level, 6)} {escape(heading_line(provision))}")
        else:
            lead = f"**{escape(provision.num)}** " if provision.num else ""
            if provision.heading:
                blocks.append(f"{lead}*{escape(provision.heading)}*")
                lead = ""
        levels[provision.eid] = level
        brackets = brackets_of(compiled)
        if not brackets:
            if provision.text:
                blocks.append(lead + escape(provision.text))
            continue
        if lead:
            blocks.append(lead.rstrip())
        blocks.append("\n>\n".join(_bracket(bracket) for bracket in brackets))
        note = agreeable_note(compiled)
        if note:
            blocks.append(f"*{escape(note)}*")
    return ("\n\n".join(blocks) + "\n").encode()
