"""A refused import speaks the reader's language: ``str()`` of a refusal is worded when it is
shown, the introduce page shows it in Russian to a Russian reader, every sentence an importer
can raise is marked and translated, and without Django the sentence is the English one."""

import ast
import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from accord.charter import text
from accord.charter.formats import ImportRefused, read
from tests.charter.world import CharterWorld
from tests.forum.world import signed_in
from tests.test_translations import catalogue

FORMATS = Path(__file__).resolve().parents[3] / "accord" / "charter" / "formats"
NBSP = "\N{NO-BREAK SPACE}"


def refusal(data: bytes, filename: str) -> ImportRefused:
    with pytest.raises(ImportRefused) as refused:
        read(data, filename, language="en")
    return refused.value


def test_a_refusal_is_worded_in_the_active_language_and_its_args_stay_english() -> None:
    refused = refusal(b"## Article 1\n\n" + b"x" * (text.MAX_TEXT + 1), "long.md")
    english = "The text at line 3 is 100,001 characters long; one provision may hold at most"
    with translation.override("en"):
        assert str(refused).startswith(english)
    with translation.override("ru"):
        assert str(refused) == (
            f"Текст в строке 3 слишком длинный (символов: 100{NBSP}001); одно положение "
            f"может содержать не более 100{NBSP}000 символов. Разделите его на абзацы."
        )
        assert refused.args[0].startswith(english)
    with translation.override("en"):
        assert str(refused).startswith(english)


def test_the_element_and_the_paragraph_a_refusal_names_are_worded_too() -> None:
    lines = "\n".join(["a" * 60_000, "b" * 60_000])
    refused = refusal(f"## Article 1\n\n{lines}\n".encode(), "long.md")
    with translation.override("en"):
        assert str(refused).startswith("The article that starts at line 1 is longer than 100,000")
    with translation.override("ru"):
        assert str(refused).startswith(
            f"Текст, начинающийся в строке 1 (статья), длиннее 100{NBSP}000 символов"
        )
    document = docx.Document()
    document.add_heading("Article 1", level=2)
    document.add_paragraph("x" * (text.MAX_TEXT + 1))
    buffer = io.BytesIO()
    document.save(buffer)
    with translation.override("ru"):
        assert str(refusal(buffer.getvalue(), "long.docx")).startswith(
            "Текст в абзаце 2 слишком длинный"
        )


def test_the_parsers_own_words_are_quoted_as_they_are() -> None:
    refused = refusal(b"<akomaNtoso>\n<act>\n</akomaNtoso>", "bad.xml")
    with translation.override("ru"):
        worded = str(refused)
    assert worded.startswith("XML составлен с ошибкой в строке 3; анализатор XML сообщает: «")
    assert "Opening and ending tag mismatch" in worded


def _templates(source: str) -> list[str]:
    return [
        str(node.args[0].value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "gettext_noop"
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def _refusals_not_marked(source: str) -> list[int]:
    """Lines where ImportRefused is raised with an f-string or a bare literal."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "ImportRefused"
        and isinstance(node.args[0], ast.JoinedStr | ast.Constant)
    ]


def test_every_sentence_an_importer_raises_is_marked_and_translated_with_its_placeholders() -> None:
    translated = catalogue()
    templates: list[str] = []
    for module in sorted(FORMATS.glob("*.py")):
        source = module.read_text(encoding="utf-8")
        assert _refusals_not_marked(source) == [], module.name
        templates += _templates(source)
    assert len(templates) >= 30
    for template in templates:
        key = template.replace('"', '\\"')
        assert translated.get(key), f"not translated: {template}"
        assert set(re.findall(r"%\(\w+\)s", translated[key])) == set(
            re.findall(r"%\(\w+\)s", template)
        ), template
    # The check can fail: an f-string refusal is found.
    assert _refusals_not_marked('raise ImportRefused(f"line {n}")') == [1]


def test_without_django_settings_a_refusal_is_the_english_sentence() -> None:
    script = (
        "from accord.charter.formats import ImportRefused, read\n"
        "try:\n"
        "    read(b'x', 'a.pdf', language='en')\n"
        "except ImportRefused as refused:\n"
        "    print(str(refused))\n"
    )
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(FORMATS.parents[2])}
    shown = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        cwd=FORMATS.parents[2],
    ).stdout
    assert shown.startswith(".pdf files cannot be imported; save the text as Word (.docx)")


def _refused_page(client: Client, filename: str, data: bytes, **headers: str) -> str:
    response = client.post(
        "/charter/introduce",
        {"file": SimpleUploadedFile(filename, data), "title": "T", "language": "en"},
        headers={"HX-Request": "true", **headers},
    )
    assert response.status_code == 422
    return response.content.decode()


@pytest.mark.django_db
def test_a_refused_upload_is_explained_in_russian_to_a_russian_reader(
    charter: CharterWorld,
) -> None:
    english = ".pdf files cannot be imported; save the text as Word (.docx)"
    russian = "Файлы .pdf не импортируются; сначала сохраните текст в формате Word (.docx)"
    aa = signed_in("aa.head")
    page = _refused_page(aa, "tests.pdf", b"%PDF-1.4", **{"Accept-Language": "en"})
    assert english in page
    assert russian not in page
    aa.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = _refused_page(aa, "tests.pdf", b"%PDF-1.4")
    assert russian in page
    assert english not in page


@pytest.mark.django_db
def test_a_file_with_no_provisions_is_refused_in_the_language_the_browser_asks_for(
    charter: CharterWorld,
) -> None:
    aa = signed_in("aa.head")
    page = _refused_page(aa, "empty.md", b"# Only a title\n", **{"Accept-Language": "ru"})
    assert "В файле нет положений: в нём не найдено ни статей, ни пунктов" in page
    assert "no provisions" not in page
