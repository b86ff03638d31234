"""Word in: heading styles, plain bold "Article N" lines, Word's own list numbers, zip checks."""

import io
import threading
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from accord.charter import text
from accord.charter.formats import ImportRefused, limits, read


def saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def by_eid(draft: text.Draft) -> dict[str, text.Provision]:
    return {provision.eid: provision for provision in draft.provisions}


def styled_treaty() -> bytes:
    document = docx.Document()
    document.core_properties.language = "ru-RU"
    document.add_paragraph("Хартия многополярности", style="Title")
    document.add_paragraph("Подтверждая принципы Хельсинкского заключительного акта,")
    document.add_heading("Раздел I — Принципы", level=1)
    document.add_heading("Статья 1. Суверенное равенство", level=2)
    document.add_paragraph("Стороны уважают суверенное равенство.", style="List Number")
    document.add_paragraph("Стороны воздерживаются от угрозы силой.", style="List Number")
    document.add_paragraph("поодиночке;", style="List Number 2")
    document.add_table(rows=1, cols=2)
    document.add_heading("Статья 2", level=2)
    document.add_paragraph("Стороны ведут диалог.")
    return saved(document)


def test_a_treaty_typed_with_heading_styles_keeps_its_structure() -> None:
    draft = read(styled_treaty(), "charter.docx", language="en")
    found = by_eid(draft)
    assert (draft.title, draft.language) == ("Хартия многополярности", "ru")
    assert found["recs__rec_1"].text.startswith("Подтверждая")
    assert found["part_I"].heading == "Принципы"
    assert found["part_I__art_1"].heading == "Суверенное равенство"
    assert found["part_I__art_1__para_1"].text == "Стороны уважают суверенное равенство."
    assert found["part_I__art_1__para_2"].num == "2."
    assert found["part_I__art_2"].text == "Стороны ведут диалог."
    assert any("table" in note for note in draft.notes)


def test_a_treaty_typed_with_plain_bold_article_lines_keeps_its_articles() -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Agreement on Dialogue").bold = True
    document.add_paragraph("Recalling the Charter of the United Nations,")
    document.add_paragraph().add_run("Article 1").bold = True
    document.add_paragraph().add_run("Purpose").bold = True
    document.add_paragraph("1. The Parties establish a dialogue.")
    document.add_paragraph("(a) at the level of ministers;")
    document.add_paragraph().add_run("Article 2").bold = True
    document.add_paragraph("The Parties meet yearly.")
    document.add_paragraph().add_run("Bold emphasis in an article that has text.").bold = True
    draft = read(saved(document), "agreement.docx", language="en")
    found = by_eid(draft)
    assert draft.title == "Agreement on Dialogue"
    assert found["art_1"].heading == "Purpose"
    assert found["art_1__para_1__point_a"].text == "at the level of ministers;"
    assert found["art_2"].text == (
        "The Parties meet yearly.\nBold emphasis in an article that has text."
    )


def test_word_list_numbers_become_the_provisions_numbers() -> None:
    document = docx.Document()
    styles = document.styles
    # python-docx's default template ships Word's numbered-list style; the test needs it.
    assert "List Number" in [
        style.name for style in styles if style.type == WD_STYLE_TYPE.PARAGRAPH
    ]
    document.add_heading("Article 7", level=2)
    for sentence in ("One.", "Two.", "Three."):
        document.add_paragraph(sentence, style="List Number")
    found = by_eid(read(saved(document), "x.docx", language="en"))
    assert [found[f"art_7__para_{n}"].text for n in (1, 2, 3)] == ["One.", "Two.", "Three."]


def test_a_file_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(ImportRefused, match="not a Word document: a .docx is a zip archive"):
        read(b"Article 1. Hello", "charter.docx", language="en")


def test_a_zip_without_word_document_xml_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportRefused, match="no word/document.xml"):
        read(buffer.getvalue(), "charter.docx", language="en")


def test_a_zip_bomb_document_is_refused_before_it_is_expanded() -> None:
    buffer = io.BytesIO(styled_treaty())
    source = zipfile.ZipFile(buffer)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            payload = source.read(member)
            if member.filename == "word/document.xml":
                payload = payload.replace(
                    b"</w:body>", b"<!--" + b" " * 150_000_000 + b"--></w:body>"
                )
            archive.writestr(member.filename, payload)
    data = bomb.getvalue()
    assert len(data) < limits.MAX_FILE_BYTES
    with pytest.raises(ImportRefused, match="expands to .* bytes; at most"):
        read(data, "bomb.docx", language="en")


def test_a_highly_compressed_part_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO(styled_treaty())
    source = zipfile.ZipFile(buffer)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            payload = source.read(member)
            if member.filename == "word/document.xml":
                payload = payload.replace(
                    b"</w:body>", b"<!--" + b" " * 5_000_000 + b"--></w:body>"
                )
            archive.writestr(member.filename, payload)
    with pytest.raises(ImportRefused, match="compressed .* times"):
        read(bomb.getvalue(), "bomb.docx", language="en")


def test_too_many_members_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBERS", 3)
    with pytest.raises(ImportRefused, match="holds .* files; at most 3"):
        read(styled_treaty(), "x.docx", language="en")


def test_a_doctype_inside_the_document_is_refused() -> None:
    source = zipfile.ZipFile(io.BytesIO(styled_treaty()))
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            payload = source.read(member)
            if member.filename == "word/document.xml":
                payload = payload.replace(
                    b"?>", b'?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1
                )
            archive.writestr(member.filename, payload)
    with pytest.raises(
        ImportRefused, match="word/document.xml of the Word document declares a DOCTYPE"
    ):
        read(hostile.getvalue(), "x.docx", language="en")


def _based_on(data: bytes, bases: dict[str, str]) -> bytes:
    """The .docx with each named style's ``w:basedOn`` set in word/styles.xml, as another
    program may write it: python-docx refuses to make a style its own base."""
    source = zipfile.ZipFile(io.BytesIO(data))
    edited = io.BytesIO()
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            payload = source.read(member)
            if member.filename == "word/styles.xml":
                for style, base in bases.items():
                    name = f'w:styleId="{style}">'.encode()
                    assert name in payload
                    payload = payload.replace(name, name + f'<w:basedOn w:val="{base}"/>'.encode())
            archive.writestr(member.filename, payload)
    return edited.getvalue()


def test_a_style_based_on_itself_or_on_a_ring_of_styles_is_read_once_and_does_not_loop() -> None:
    document = docx.Document()
    for name in ("Looped", "Ring A", "Ring B"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_heading("Article 1", level=2)
    document.add_paragraph("The Parties agree.", style="Looped")
    document.add_paragraph("They meet yearly.", style="Ring A")
    document.add_paragraph("They report.", style="Looped")
    data = _based_on(saved(document), {"Looped": "Looped", "RingA": "RingB", "RingB": "RingA"})
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml")
    assert b'w:styleId="Looped"><w:basedOn w:val="Looped"/>' in styles
    drafts: list[text.Draft] = []
    reader = threading.Thread(
        target=lambda: drafts.append(read(data, "x.docx", language="en")), daemon=True
    )
    reader.start()
    reader.join(timeout=30)
    assert not reader.is_alive(), "reading a self-based style did not end"
    found = by_eid(drafts[0])
    assert found["art_1"].text == "The Parties agree.\nThey meet yearly.\nThey report."
