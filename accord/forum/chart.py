"""The membership chart: parties by status over the log's time, drawn as SVG on the server.

No script and no library: a step line per status over the status changes in
the log, with the same numbers in a table beside it for screen readers.
"""

from dataclasses import dataclass
from datetime import datetime

from accord.forum.queries import MembershipPoint

WIDTH, HEIGHT, MARGIN = 640, 220, 32
SHOWN = ("participating", "interested", "invited", "observer", "partner", "declined", "left")
COLOURS = {
    "participating": "#146c2e",
    "interested": "#0b5cad",
    "invited": "#8a5a00",
    "observer": "#6b3fa0",
    "partner": "#00707a",
    "declined": "#a4161a",
    "left": "#4a5560",
}


@dataclass(frozen=True)
class Line:
    status: str
    colour: str
    points: str
    last: int


@dataclass(frozen=True)
class Chart:
    lines: list[Line]
    top: int
    start: str
    end: str
    width: int = WIDTH
    height: int = HEIGHT


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def membership(points: list[MembershipPoint]) -> Chart | None:
    """Step lines for each status that ever held a party; None with fewer than two points."""
    if len(points) < 2:
        return None
    first, last = _seconds(points[0].logged_at), _seconds(points[-1].logged_at)
    span = max(last - first, 1.0)
    top = max(max(point.counts.values()) for point in points)
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def x(stamp: str) -> float:
        return MARGIN + inner_w * (_seconds(stamp) - first) / span

    def y(count: int) -> float:
        return HEIGHT - MARGIN - inner_h * count / max(top, 1)

    lines = []
    for status in SHOWN:
        if not any(point.counts[status] for point in points):
            continue
        coords: list[str] = []
        previous = None
        for point in points:
            here = point.counts[status]
            if previous is not None:
                coords.append(f"{x(point.logged_at):.1f},{y(previous):.1f}")
            coords.append(f"{x(point.logged_at):.1f},{y(here):.1f}")
            previous = here
        lines.append(Line(status, COLOURS[status], " ".join(coords), points[-1].counts[status]))
    return Chart(lines, top, points[0].logged_at[:10], points[-1].logged_at[:10])
