"""The charter's charts as SVG strings drawn on the server: the positions matrix and the
convergence of a document (brackets remaining per revision).

Pure functions: no Django, no database, no script. Every text that reaches the SVG (party
names, labels, the words of the legend) is escaped here, so a name holding markup shows as
text; the pages put the same numbers in a table beside each chart for screen readers.
Colours are SVG attributes, as the Content-Security-Policy refuses ``style=""``. The cost
is one pass over the cells.
"""

from collections.abc import Mapping, Sequence
from html import escape

COLOURS = {
    "support": "#146c2e",
    "accept": "#7fb88f",
    "reserve": "#c98a00",
    "object": "#a4161a",
    "": "#eef2f6",
}
"""A stance's fill; "" for a party that has stated none."""
STANCES = ("support", "accept", "reserve", "object", "")

CELL, GAP = 18, 2
LEFT, TOP = 150, 64
NAME_CHARS = 22
"""Characters of a party's name shown left of its row; the whole name is in the row's title."""
BAR, BAR_GAP, HEIGHT, MARGIN = 40, 24, 200, 28


def _text(value: str) -> str:
    return escape(value, quote=True)


def _shortened(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def _legend(words: Mapping[str, str], y: int) -> list[str]:
    parts: list[str] = []
    x = 0
    for stance in STANCES:
        word = words.get(stance, stance)
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS[stance]}"'
            ' stroke="#d4d9de"/>'
            f'<text x="{x + 16}" y="{y + 11}">{_text(word)}</text>'
        )
        x += 24 + 7 * len(word)
    return parts


def matrix(  # noqa: PLR0913 -- the rows, the columns, the cells and their three words
    parties: Sequence[str],
    amendments: Sequence[str],
    stances: Sequence[Sequence[str]],
    *,
    words: Mapping[str, str],
    title: str,
    cell_title: str = "%(party)s, %(amendment)s: %(stance)s",
) -> str:
    """Parties (rows, by name) × amendments (columns, by label), each cell coloured by the
    party's stance (``stances[row][column]``, "" for none) with a ``<title>`` saying it in
    ``words``; a legend below. ``cell_title`` is the translated pattern of a cell's title."""
    width = LEFT + len(amendments) * (CELL + GAP) + 8
    legend_y = TOP + len(parties) * (CELL + GAP) + 12
    height = legend_y + 24
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart matrix"'
            f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
            ' aria-labelledby="matrix-title">'
        ),
        f'<title id="matrix-title">{_text(title)}</title>',
    ]
    for column, label in enumerate(amendments):
        x = LEFT + column * (CELL + GAP) + CELL // 2
        parts.append(
            f'<text x="{x}" y="{TOP - 6}" transform="rotate(-60 {x} {TOP - 6})">'
            f"{_text(label)}</text>"
        )
    for row, party in enumerate(parties):
        y = TOP + row * (CELL + GAP)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + CELL - 5}" text-anchor="end">'
            f"<title>{_text(party)}</title>{_text(_shortened(party))}</text>"
        )
        for column, label in enumerate(amendments):
            stance = stances[row][column]
            x = LEFT + column * (CELL + GAP)
            said = cell_title % {
                "party": party,
                "amendment": label,
                "stance": words.get(stance, stance),
            }
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}"'
                f' fill="{COLOURS.get(stance, COLOURS[""])}"><title>{_text(said)}</title></rect>'
            )
    parts.append(f'<g class="legend">{"".join(_legend(words, legend_y))}</g>')
    parts.append("</svg>")
    return "".join(parts)


def convergence(points: Sequence[tuple[str, int]], title: str) -> str:
    """Brackets remaining per revision as bars, a count above each and the revision's label
    below, joined by a line so the trend reads at a glance."""
    width = MARGIN * 2 + max(len(points), 1) * (BAR + BAR_GAP)
    top = max((count for _label, count in points), default=0)
    inner = HEIGHT - 2 * MARGIN - 12

    def y(count: int) -> float:
        return HEIGHT - MARGIN - inner * count / max(top, 1)

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart convergence"'
            f' viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}"'
            ' aria-labelledby="convergence-title">'
        ),
        f'<title id="convergence-title">{_text(title)}</title>',
        (
            f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{width - MARGIN}"'
            f' y2="{HEIGHT - MARGIN}" stroke="#d4d9de"/>'
        ),
    ]
    centres: list[str] = []
    for index, (label, count) in enumerate(points):
        x = MARGIN + index * (BAR + BAR_GAP) + BAR_GAP // 2
        top_y = y(count)
        parts.append(
            f'<rect x="{x}" y="{top_y:.1f}" width="{BAR}" height="{HEIGHT - MARGIN - top_y:.1f}"'
            f' fill="#0b5cad"><title>{_text(label)}: {count}</title></rect>'
            f'<text x="{x + BAR // 2}" y="{top_y - 4:.1f}" text-anchor="middle">{count}</text>'
            f'<text x="{x + BAR // 2}" y="{HEIGHT - MARGIN + 16}" text-anchor="middle">'
            f"{_text(label)}</text>"
        )
        centres.append(f"{x + BAR // 2},{top_y:.1f}")
    if len(centres) > 1:
        joined = " ".join(centres)
        parts.append(f'<polyline fill="none" stroke="#8a5a00" stroke-width="2" points="{joined}"/>')
    parts.append("</svg>")
    return "".join(parts)
