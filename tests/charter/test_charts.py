"""The charter's SVG charts are pure functions: they draw every cell and bar, title each one,
carry a legend, and escape every text they are given."""

import xml.etree.ElementTree as ET

from accord.charter import chart

SVG = "{http://www.w3.org/2000/svg}"
WORDS = {
    "support": "support",
    "accept": "can accept",
    "reserve": "reserve",
    "object": "object",
    "": "no position",
}


def _matrix(parties: list[str], columns: list[str], stances: list[list[str]]) -> ET.Element:
    drawn = chart.matrix(parties, columns, stances, words=WORDS, title="Positions")
    return ET.fromstring(drawn)


def test_the_matrix_draws_one_titled_cell_per_party_and_amendment() -> None:
    svg = _matrix(
        ["State A", "State B", "State C"],
        ["12", "15"],
        [["support", "object"], ["", "reserve"], ["accept", "support"]],
    )
    cells = [rect for rect in svg.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(cells) == 6
    titles = [rect.findtext(f"{SVG}title") for rect in cells]
    assert "State A, 15: object" in titles
    assert "State B, 12: no position" in titles
    fills = {rect.findtext(f"{SVG}title"): rect.get("fill") for rect in cells}
    assert fills["State A, 15: object"] == chart.COLOURS["object"]
    assert fills["State C, 12: can accept"] == chart.COLOURS["accept"]
    assert svg.findtext(f"{SVG}title") == "Positions"


def test_the_matrix_has_a_legend_with_every_stance() -> None:
    svg = _matrix(["State A"], ["1"], [["support"]])
    legend = svg.find(f"{SVG}g")
    assert legend is not None
    assert [text.text for text in legend.iter(f"{SVG}text")] == list(WORDS.values())


def test_the_matrix_escapes_names_and_a_long_name_is_shortened_but_kept_whole_in_its_title() -> (
    None
):
    script = "<script>alert(1)</script>"
    long_name = "The Very Long Official Name of a Party " + script
    drawn = chart.matrix(
        [long_name], [f"1{script}"], [["object"]], words=WORDS, title=f"T {script}"
    )
    assert "<script>" not in drawn
    assert "&lt;script&gt;" in drawn
    svg = ET.fromstring(drawn)
    labels = [text for text in svg.iter(f"{SVG}text") if text.get("text-anchor") == "end"]
    title = labels[0].find(f"{SVG}title")
    assert title is not None
    assert title.text == long_name
    assert title.tail is not None
    assert title.tail.endswith("…")
    assert len(title.tail) == chart.NAME_CHARS


def test_the_matrix_grows_with_its_columns() -> None:
    narrow = _matrix(["A"], ["1"], [["support"]])
    wide = _matrix(["A"], [str(n) for n in range(40)], [["support"] * 40])
    assert int(wide.get("width", "0")) - int(narrow.get("width", "0")) == 39 * (
        chart.CELL + chart.GAP
    )


def test_convergence_draws_a_bar_per_revision_with_its_count() -> None:
    drawn = chart.convergence([("FD.L/1/25", 6), ("Rev.1", 3), ("Rev.2", 0)], "Brackets")
    svg = ET.fromstring(drawn)
    bars = list(svg.iter(f"{SVG}rect"))
    assert [bar.findtext(f"{SVG}title") for bar in bars] == ["FD.L/1/25: 6", "Rev.1: 3", "Rev.2: 0"]
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[0] > heights[1] > heights[2] == 0
    assert svg.find(f"{SVG}polyline") is not None
    assert {"6", "3", "0", "Rev.1"} <= {text.text for text in svg.iter(f"{SVG}text")}


def test_convergence_of_one_point_has_no_line_and_escapes_its_label() -> None:
    drawn = chart.convergence([("<b>FD</b>", 2)], "Brackets & more")
    assert "<b>" not in drawn
    assert "Brackets &amp; more" in drawn
    assert ET.fromstring(drawn).find(f"{SVG}polyline") is None
