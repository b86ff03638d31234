"""Word, HTML, Markdown, plain text and PDF exports: structure, brackets, escaping, scripts."""

import io
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph

from accord.charter.exports import FORMATS, UnknownFormatError, compilation_table, export
from accord.charter.exports import pdf as module
from accord.charter.exports.docx_out import TABLE_COLUMNS, TABLE_TITLE
from accord.charter.exports.markdown_out import escape
from accord.charter.exports.pdf import FONTS, MissingFontError, export_pdf
from accord.charter.text import Compilation, Compiled, Option, Provision
from tests.charter.exports import samples


def _style(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def _docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_every_format_is_exported_clean_and_bracketed() -> None:
    for fmt in FORMATS:
        clean = export(samples.charter(), fmt, brackets=False)
        bracketed = export(samples.charter(), fmt, brackets=True)
        assert clean
        assert bracketed != clean, fmt


def test_an_unknown_format_is_refused_with_the_choices() -> None:
    with pytest.raises(UnknownFormatError, match="choose one of text, md, akn, docx, html, pdf"):
        export(samples.charter(), "rtf", brackets=False)


def test_word_shows_the_structure_as_headings() -> None:
    document = _docx(export(samples.charter(), "docx", brackets=False))
    headings = [(_style(p), p.text) for p in document.paragraphs if _style(p).startswith("Heading")]
    assert ("Heading 1", "Part I — Principles") in headings
    assert ("Heading 2", "Chapter 1 — General") in headings
    assert ("Heading 3", "Article 2 — Notification") in headings
    assert _style(document.paragraphs[0]) == "Title"
    assert document.paragraphs[0].text == "Eurasian Charter of Diversity and Multipolarity"
    assert document.tables == []
    assert not any(p.text.startswith("[Option") for p in document.paragraphs)


def test_word_brackets_name_the_sponsors_in_italics_and_add_the_table() -> None:
    document = _docx(export(samples.charter(), "docx", brackets=True))
    option = next(p for p in document.paragraphs if p.text.startswith("[Option 2 (amendment 57)"))
    assert "Each Party may notify the other Parties of major military exercises.]" in option.text
    assert [r.text for r in option.runs if r.italic] == ["Kazakhstan", "Armenia"]
    assert option.text.endswith("support 3 · can accept 1 · reserve 0 · object 1")
    assert len(document.sections) == 2
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == [
        "Provision",
        "Amendment",
        "Sponsors",
        "Proposal",
        "Positions",
    ]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0][:3] == ["Paragraph 1", "2 (amendment 57)", "Kazakhstan, Armenia"]
    assert "Belarus: object" in rows[0][4]
    assert rows[1][2] == "Belarus"


def test_the_compilation_table_stands_alone() -> None:
    document = _docx(compilation_table(samples.charter()))
    (table,) = document.tables
    assert len(table.rows) == 3
    assert "Russian Federation: can accept" in table.rows[1].cells[4].text


def test_word_keeps_markup_and_drops_nul() -> None:
    document = _docx(export(samples.hostile(), "docx", brackets=True))
    texts = "\n".join(p.text for p in document.paragraphs)
    assert '<script>alert("x")</script> & <b>bold</b>' in texts
    assert "\x00" not in texts


def test_word_carries_russian_and_chinese() -> None:
    ru = _docx(export(samples.russian(), "docx", brackets=True))
    assert any(p.text == "Article 1 — Цель" for p in ru.paragraphs)
    zh = _docx(export(samples.chinese(), "docx", brackets=True))
    assert any("各方可以通知其他各方。" in p.text for p in zh.paragraphs)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: dict[str, list[dict[str, str | None]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.setdefault(tag, []).append(dict(attrs))


def _tags(html: bytes) -> _Tags:
    parser = _Tags()
    parser.feed(html.decode())
    return parser


def test_html_is_a_standalone_document_with_a_print_stylesheet() -> None:
    page = export(samples.russian(), "html", brackets=False)
    tags = _tags(page)
    assert page.startswith(b"<!DOCTYPE html>")
    assert tags.attributes["html"][0]["lang"] == "ru"
    assert tags.attributes["meta"][0]["charset"] == "utf-8"
    assert "@media print" in page.decode()
    assert "script" not in tags.tags
    assert not re.search(rb"(src|href)=", page)
    assert "Стороны учреждают форум для диалога." in page.decode()


def test_html_brackets_are_spans_with_their_sponsors() -> None:
    page = export(samples.charter(), "html", brackets=True).decode()
    assert '<span class="bracket" data-amendment="57">' in page
    assert (
        'sponsored by <span class="sponsors"><i>Kazakhstan</i>, with <i>Armenia</i></span>' in page
    )
    assert '<section id="part_I__chp_1__art_2">' not in page
    assert 'id="part_I__chp_1__art_2"' in page


def test_html_escapes_every_text() -> None:
    page = export(samples.hostile(), "html", brackets=True)
    tags = _tags(page)
    assert "script" not in tags.tags
    assert "b" not in tags.tags
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in page
    assert b"&lt;Kazakhstan &amp; co&gt;" in page
    assert b"\x00" not in page


def test_markdown_has_a_heading_per_level_and_quotes_the_options() -> None:
    text = export(samples.charter(), "md", brackets=True).decode()
    lines = text.splitlines()
    assert lines[0] == "# Eurasian Charter of Diversity and Multipolarity"
    assert "## Part I — Principles" in lines
    assert "### Chapter 1 — General" in lines
    assert "#### Article 2 — Notification" in lines
    assert "**2\\.** Notifications are public." in lines
    assert (
        "> \\[Option 2 (amendment 57), sponsored by *Kazakhstan*, with *Armenia*: "
        "Each Party may notify the other Parties of major military exercises.\\]\\"
    ) in lines
    assert "> support 3 · can accept 1 · reserve 0 · object 1" in lines


def test_markdown_never_lets_a_script_through() -> None:
    text = export(samples.hostile(), "md", brackets=True).decode()
    assert "<script" not in text
    assert "<b>" not in text
    assert "&lt;script&gt;" in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("a *b* [c](d) `e`", "a \\*b\\* \\[c\\](d) \\`e\\`"),
        ("    not code", "not code"),
        ("<b>&amp;", "&lt;b&gt;&amp;amp;"),
    ],
)
def test_markdown_escapes_what_would_become_markup(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


def test_plain_text_is_wrapped_at_80_columns_and_shows_the_brackets() -> None:
    text = export(samples.long_charter(20), "text", brackets=True).decode()
    assert max(len(line) for line in text.splitlines()) <= 80
    charter = export(samples.charter(), "text", brackets=True).decode()
    assert "1 bracket remains." in charter
    flat = " ".join(charter.split())
    assert (
        "[Option 2 (amendment 57), sponsored by Kazakhstan, with Armenia: Each Party may notify"
        in flat
    )
    assert "Agreeable: no party objects to option 3." in flat
    assert "    Article 2 — Notification" in charter.splitlines()


def test_plain_text_clean_has_no_bracket() -> None:
    text = export(samples.charter(), "text", brackets=False).decode()
    assert "[Option" not in text
    assert "Each Party shall notify the other Parties of:" in text


def test_pdf_renders_russian_and_chinese_with_the_noto_fonts() -> None:
    for sample, font in ((samples.russian(), b"NotoSans"), (samples.chinese(), b"NotoSansCJK")):
        pdf = export(sample, "pdf", brackets=True)
        assert pdf.startswith(b"%PDF")
        assert font in pdf
        assert pdf.rstrip().endswith(b"%%EOF")


def test_pdf_is_the_same_bytes_every_time() -> None:
    assert export(samples.charter(), "pdf", brackets=True) == export(
        samples.charter(), "pdf", brackets=True
    )


def test_pdf_is_made_from_texts_full_of_markup_and_control_characters() -> None:
    pdf = export(samples.hostile(), "pdf", brackets=True)
    assert pdf.startswith(b"%PDF")


def test_a_missing_font_names_the_debian_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gone = module.FontFile(
        "NotoSansCJK", "", Path("/nonexistent/NotoSansCJK-Regular.ttc"), "fonts-noto-cjk"
    )
    monkeypatch.setattr(module, "FONTS", (*FONTS[:1], gone))
    with pytest.raises(MissingFontError, match=r"install the Debian package fonts-noto-cjk"):
        export_pdf(samples.chinese())


@pytest.mark.parametrize("fmt", ["docx", "html", "md", "text", "pdf"])
def test_a_400_article_compilation_exports(fmt: str) -> None:
    data = export(samples.long_charter(400), fmt, brackets=True)
    if fmt == "docx":
        document = _docx(data)
        assert sum(_style(p) == "Heading 1" for p in document.paragraphs) >= 400
        assert len(document.tables[0].rows) == 1 + 80
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert data.decode().count("Article heading 400") == 1


def _many_amendments(articles: int, options: int) -> Compilation:
    """``articles`` articles whose text has ``options`` open amendments each."""
    compiled = []
    for n in range(1, articles + 1):
        base = Provision(f"art_{n}", "article", num=str(n), heading=f"Heading {n}", text="Base.")
        proposed = tuple(
            Option(
                n * 100 + k,
                "replace",
                f"Wording {k} of article {n}.",
                "",
                (f"Sponsor {k}", "Armenia"),
                (("Belarus", "object"),),
            )
            for k in range(1, options + 1)
        )
        compiled.append(Compiled(base, proposed))
    return replace(samples.charter(), provisions=tuple(compiled))


def test_word_table_has_one_row_per_amendment_for_a_large_compilation() -> None:
    document = _docx(export(_many_amendments(300, 5), "docx", brackets=True))
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == list(TABLE_COLUMNS)
    assert len(rows) == 1 + 1_500
    assert [row[1] for row in rows[1:6]] == [f"{k + 1} (amendment {100 + k})" for k in range(1, 6)]
    assert rows[-1][:4] == [
        "Article 300",
        "6 (amendment 30005)",
        "Sponsor 5, Armenia",
        "Wording 5 of article 300.",
    ]
    assert rows[-1][4].startswith("Belarus: object\n")
    options = [p for p in document.paragraphs if p.text.startswith("[Option ")]
    assert len(options) == 300 * 6
    assert [r.text for r in options[-1].runs if r.italic] == ["Sponsor 5", "Armenia"]
    headings = [p.text for p in document.paragraphs if _style(p) == "Heading 1"]
    assert headings[-2:] == ["Article 300 — Heading 300", TABLE_TITLE]


def test_word_keeps_tabs_and_line_breaks_as_word_writes_them() -> None:
    proposal = replace(samples.charter().provisions[0].provision, text="a\tb\nc  ")
    compilation = replace(samples.charter(), provisions=(Compiled(proposal),))
    document = _docx(export(compilation, "docx", brackets=False))
    (paragraph,) = [p for p in document.paragraphs if p.text.startswith("a")]
    assert paragraph.text == "a\tb\nc  "
    xml = paragraph._p.xml
    assert "<w:tab/>" in xml
    assert "<w:br/>" in xml
    assert 'xml:space="preserve">c  </w:t>' in xml


def test_word_exports_of_one_text_are_the_same_bytes_whenever_they_are_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time  # noqa: PLC0415

    first = export(samples.charter(), "docx", brackets=True)
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert export(samples.charter(), "docx", brackets=True) == first
    assert _docx(first).paragraphs
