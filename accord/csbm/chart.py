"""The compliance report's charts, drawn as SVG on the server (as ``accord.forum.chart``).

No script, no library and no external resource: each chart is one ``<svg>`` with a
``<title>`` and ``<desc>`` that screen readers announce, a horizontal bar per party labelled
with its name, and each bar's figures in its own ``<title>``; the same numbers stand in the
report's table. The output depends on the report alone, so the same report draws the same
bytes (a printed report and its archived copy compare equal).
"""

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from accord.csbm.compliance import PartyYear, Report

WIDTH, LABEL, BAR, GAP, TOP, BOTTOM = 720, 220, 14, 6, 44, 28
RIGHT = 56


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: its legend label, colour and how many it counts."""

    label: str
    colour: str
    value: int


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(title: str, desc: str, height: int, body: list[str], key: str) -> str:
    ident = f"csbm-chart-{key}"
    return "".join(
        [
            (
                f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="csbm-chart"'
                f' viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
                f' aria-labelledby="{ident}-title {ident}-desc">'
            ),
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>',
            f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
            *body,
            "</svg>",
        ]
    )


def _legend(segments: list[tuple[str, str]]) -> list[str]:
    parts, x = [], LABEL
    for label, colour in segments:
        parts.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="33" font-size="11">{escape(label)}</text>')
        x += 20 + 7 * len(label)
    return parts


def stacked(
    title: str,
    desc: str,
    key: str,
    legend: list[tuple[str, str]],
    bars: list[tuple[str, list[Segment]]],
) -> str:
    """A horizontal stacked bar per labelled row, scaled to the longest bar; a row with
    nothing to count still has its label and a 0."""
    height = TOP + len(bars) * (BAR + GAP) + BOTTOM
    top = max([sum(part.value for part in parts) for _label, parts in bars] + [1])
    inner = WIDTH - LABEL - RIGHT
    body = _legend(legend)
    for n, (label, parts) in enumerate(bars):
        y = TOP + n * (BAR + GAP)
        body.append(
            f'<text x="{LABEL - 6}" y="{y + BAR - 3}" font-size="11"'
            f' text-anchor="end">{escape(label)}</text>'
        )
        x = float(LABEL)
        for part in parts:
            if not part.value:
                continue
            w = inner * part.value / top
            body.append(
                f'<rect x="{_number(x)}" y="{y}" width="{_number(w)}" height="{BAR}"'
                f' fill="{part.colour}"><title>{escape(label)}: {escape(part.label)}'
                f" {part.value}</title></rect>"
            )
            x += w
        total = sum(part.value for part in parts)
        body.append(f'<text x="{_number(x + 4)}" y="{y + BAR - 3}" font-size="11">{total}</text>')
    return _svg(title, desc, height, body, key)


def quotas(found: "Report") -> str:
    """Inspections and evaluation visits received per party, each a filled bar of the
    visits used inside an outlined bar of its cap."""
    rows: list[PartyYear] = found.rows
    height = TOP + len(rows) * (2 * BAR + GAP) + BOTTOM
    top = max(
        [max(r.inspection_quota, r.inspections_received) for r in rows]
        + [max(r.evaluation_quota, r.evaluations_received) for r in rows]
        + [1]
    )
    inner = WIDTH - LABEL - RIGHT
    used_i, used_e = _("inspections received"), _("evaluation visits received")
    body = _legend([(used_i, "#0b5cad"), (used_e, "#6b3fa0"), (_("quota"), "#ffffff")])
    for n, row in enumerate(rows):
        y = TOP + n * (2 * BAR + GAP)
        body.append(
            f'<text x="{LABEL - 6}" y="{y + BAR + 3}" font-size="11"'
            f' text-anchor="end">{escape(row.name)}</text>'
        )
        for k, (used, cap, colour, label) in enumerate(
            (
                (row.inspections_received, row.inspection_quota, "#0b5cad", used_i),
                (row.evaluations_received, row.evaluation_quota, "#6b3fa0", used_e),
            )
        ):
            yy = y + k * BAR
            figures = f"{escape(row.name)}: {escape(label)} {used} / {cap}"
            body.append(
                f'<rect x="{LABEL}" y="{yy + 1}" width="{_number(inner * cap / top)}"'
                f' height="{BAR - 2}" fill="none" stroke="#4a5560"/>'
            )
            if used:
                body.append(
                    f'<rect x="{LABEL}" y="{yy + 1}" width="{_number(inner * used / top)}"'
                    f' height="{BAR - 2}" fill="{colour}"><title>{figures}</title></rect>'
                )
            end = LABEL + inner * max(used, cap) / top
            body.append(
                f'<text x="{_number(end + 4)}" y="{yy + BAR - 3}" font-size="10">'
                f"{used}/{cap}</text>"
            )
    return _svg(
        _("Quotas used in %(year)s") % {"year": found.year},
        _(
            "For each party, the inspections and evaluation visits it received in the year,"
            " against the quota the profile sets for it."
        ),
        height,
        body,
        "quotas",
    )


def charts(found: "Report") -> list[str]:
    """Three charts: notifications sent on time and late, acknowledgements on time, late and
    overdue, and quotas used against their caps; one bar per party of the report."""
    on_time, late, overdue = _("on time"), _("late"), _("overdue")
    green, amber, red = "#146c2e", "#8a5a00", "#a4161a"
    sent = stacked(
        _("Notifications sent in %(year)s") % {"year": found.year},
        _(
            "For each party, its notifications judged against a deadline: sent on time and"
            " sent late."
        ),
        "sent",
        [(on_time, green), (late, amber)],
        [
            (
                row.name,
                [Segment(on_time, green, row.sent_on_time), Segment(late, amber, row.sent_late)],
            )
            for row in found.rows
        ],
    )
    acknowledged = stacked(
        _("Acknowledgements in %(year)s") % {"year": found.year},
        _(
            "For each party, the notifications it received: acknowledged on time, acknowledged"
            " late, and recorded overdue and still unacknowledged."
        ),
        "acknowledgements",
        [(on_time, green), (late, amber), (overdue, red)],
        [
            (
                row.name,
                [
                    Segment(on_time, green, row.acknowledged_on_time),
                    Segment(late, amber, row.acknowledged_late),
                    Segment(overdue, red, row.overdue_unacknowledged),
                ],
            )
            for row in found.rows
        ],
    )
    return [sent, acknowledged, quotas(found)]
