"""A compilation as one standalone HTML5 page that prints well: no script, no external file.

The page carries its own stylesheet (screen, and ``@media print`` with A4 margins,
black on white, no splitting of a bracket across pages). Every text goes through
``html.escape``, so markup or ``<script>`` in a provision shows as characters. Each
provision is a ``<section id="<eId>">`` (links to ``#art_5`` work); a bracket is
``<span class="bracket">`` with its sponsors in ``<span class="sponsors">``.
Linear in the text's length.
"""

import html
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
from accord.charter.text import Compilation, Compiled

_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """``html.escape`` (quotes too) after dropping the C0 controls HTML may not carry."""
    return html.escape(_NOT_TEXT.sub("", text))


STYLE = """
:root { color-scheme: light; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", system-ui, sans-serif; line-height: 1.5;
  max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }
header { border-bottom: 1px solid #999; margin-bottom: 1.5rem; }
.status { color: #444; }
.remaining { font-weight: bold; color: #8a4b00; }
section { margin: 0.4rem 0; }
.num { font-weight: bold; margin-right: 0.4em; }
.bracket { display: block; margin: 0.3rem 0 0.1rem 1rem; padding: 0.2rem 0.5rem;
  border-left: 3px solid #b06f00; background: #fff7e6; }
.sponsors { font-style: italic; }
.tally { display: block; margin-left: 1.5rem; font-size: 0.9em; color: #444; }
.agreeable { margin-left: 1rem; font-size: 0.9em; color: #1f6b2a; }
@media print {
  @page { size: A4; margin: 2cm 2cm 2.5cm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; color: #000; }
  header { border-bottom: 1px solid #000; }
  .remaining, .agreeable, .status, .tally { color: #000; }
  .bracket { background: none; border-left: 2px solid #000; break-inside: avoid; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; }
  section { orphans: 3; widows: 3; }
}
"""


def _bracket(bracket: Bracket) -> str:
    sponsors = ""
    if bracket.sponsors:
        lead, *others = (f"<i>{escape(name)}</i>" for name in bracket.sponsors)
        named = lead + (f", with {', '.join(others)}" if others else "")
        sponsors = f', sponsored by <span class="sponsors">{named}</span>'
    data = f' data-amendment="{bracket.amendment}"' if bracket.amendment is not None else ""
    span = (
        f'<span class="bracket"{data}>[<span class="label">{escape(bracket.label)}</span>'
        f"{sponsors}: {escape(bracket.body)}]"
    )
    if bracket.tally:
        span += f'<span class="tally">{escape(bracket.tally)}</span>'
    return span + "</span>"


def _paragraphs(text: str, lead: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return [f"<p>{lead}</p>"] if lead else []
    return [f"<p>{lead if n == 0 else ''}{escape(line)}</p>" for n, line in enumerate(lines)]


def _provision(compiled: Compiled, depth: int) -> list[str]:
    provision = compiled.provision
    parts = [f'<section id="{escape(provision.eid)}" class="{escape(provision.element)}">']
    lead = ""
    if provision.element in HEADED:
        level = min(depth + 1, 6)
        parts.append(f"<h{level}>{escape(heading_line(provision))}</h{level}>")
    else:
        lead = f'<span class="num">{escape(provision.num)}</span>' if provision.num else ""
        if provision.heading:
            parts.append(f'<p class="heading">{lead}<b>{escape(provision.heading)}</b></p>')
            lead = ""
    brackets = brackets_of(compiled)
    if brackets:
        parts.append(f'<p class="bracketed">{lead}{"".join(_bracket(b) for b in brackets)}</p>')
        note = agreeable_note(compiled)
        if note:
            parts.append(f'<p class="agreeable">{escape(note)}</p>')
    else:
        parts.extend(_paragraphs(provision.text, lead))
    parts.append("</section>")
    return parts


def export_html(compilation: Compilation) -> bytes:
    """The compilation as a UTF-8 HTML5 document in the compilation's language."""
    title = escape(compilation.title or compilation.symbol)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(compilation.language or "und")}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<header><h1>{title}</h1>",
        f'<p class="status">{escape(status_line(compilation))}</p>',
    ]
    remaining = remaining_line(compilation)
    if remaining:
        parts.append(f'<p class="remaining">{escape(remaining)}</p>')
    parts.append("</header>")
    parts.append("<main>")
    for step in walk(compilation):
        if step.opens_preamble:
            parts.append('<h2 class="preamble">Preamble</h2>')
        parts.extend(_provision(step.compiled, step.depth))
    parts.extend(["</main>", "</body>", "</html>", ""])
    return "\n".join(parts).encode()
