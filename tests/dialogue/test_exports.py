"""The conference's exports: journal, statements and list of participants, and their downloads.

The PDFs are read back page by page with a small reader of what fpdf2 writes (each page's
content stream, its fonts' ToUnicode maps): the venv has no PDF text extractor.
"""

import csv
import io
import re
import zlib
from collections.abc import Callable
from typing import TypeVar

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accord.dialogue import actions, exports
from accord.dialogue.models import DeliveredStatement, Edition, Journal
from accord.ledger.models import Party
from tests.dialogue.world import AA_HEAD, BB_HEAD, SECRETARIAT, ConferenceWorld
from tests.forum.world import signed_in

pytestmark = pytest.mark.django_db

T = TypeVar("T")

_OBJECT = re.compile(rb"(\d+) 0 obj\s*")
_STRING = re.compile(rb"\((?:[^\\)]|\\.)*\)|/F\d+ [\d.]+ Tf", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object's dictionary and its stream (``/Length`` bytes), inflated when Flate-encoded."""
    found: dict[int, tuple[bytes, bytes]] = {}
    position = 0
    while (match := _OBJECT.search(pdf, position)) is not None:
        start = match.end()
        close = pdf.index(b"endobj", start)
        keyword = pdf.find(b"stream", start, close)
        if keyword == -1:
            found[int(match.group(1))] = (pdf[start:close], b"")
            position = close
            continue
        head = pdf[start:keyword]
        length = re.search(rb"/Length (\d+)", head)
        assert length is not None
        data = keyword + len(b"stream") + (2 if pdf[keyword + 6 : keyword + 8] == b"\r\n" else 1)
        stream = pdf[data : data + int(length.group(1))]
        if b"/FlateDecode" in head:
            stream = zlib.decompress(stream)
        found[int(match.group(1))] = (head, stream)
        position = pdf.index(b"endobj", data + int(length.group(1)))
    return found


def _ref(head: bytes, key: bytes) -> int:
    match = re.search(rb"/" + key + rb" (\d+) 0 R", head)
    assert match, (key, head)
    return int(match.group(1))


def _unescape(literal: bytes) -> bytes:
    out = bytearray()
    index = 0
    while index < len(literal):
        byte = literal[index : index + 1]
        if byte == b"\\":
            following = literal[index + 1 : index + 2]
            out += _ESCAPES.get(following, following)
            index += 2
        else:
            out += byte
            index += 1
    return bytes(out)


def _cmap(stream: bytes) -> dict[int, str]:
    return {
        int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
        for code, text in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]+)>", stream)
    }


def pages(pdf: bytes) -> list[str]:
    """The text of each page, in page order, its white space collapsed."""
    objects = _objects(pdf)
    tree = next(head for head, _s in objects.values() if b"/Type /Pages" in head)
    listed = re.search(rb"/Kids \[(.*?)\]", tree, re.DOTALL)
    assert listed is not None
    kids = [int(n) for n in re.findall(rb"(\d+) 0 R", listed.group(1))]
    texts = []
    for kid in kids:
        head, _stream = objects[kid]
        resources = objects[_ref(head, b"Resources")][0]
        fonts = {
            name: _cmap(objects[_ref(objects[int(ref)][0], b"ToUnicode")][1])
            for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", resources)
        }
        font: dict[int, str] = {}
        text = []
        for token in _STRING.findall(objects[_ref(head, b"Contents")][1]):
            if token.startswith(b"/"):
                font = fonts[token[1:].split()[0]]
                continue
            raw = _unescape(token[1:-1])
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
            text.append("".join(font.get(code, "?") for code in codes))
        texts.append(" ".join(" ".join(text).split()))  # justified lines are drawn word by word
    return texts


def act(w: ConferenceWorld, action: Callable[[], T]) -> T:
    """An action in the world's simulated time, typed (``ConferenceWorld.act`` is not)."""
    return w.charter.forum.act(action)


def run_meeting(w: ConferenceWorld, *, paragraphs: int = 1) -> tuple[int, int]:
    """The opening meeting of the smoke flow: BB delivers a public statement of
    ``paragraphs`` paragraphs, AA a restricted one; the draft is adopted. Returns both."""
    m = w.opening
    act(w, lambda: actions.open_list(AA_HEAD, m, "2"))
    act(w, lambda: actions.inscribe(AA_HEAD, m, "2", speaker="aa.head"))
    act(w, lambda: actions.inscribe(BB_HEAD, m, "2", speaker="bb.head"))
    act(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    text = "\n".join(
        f"{n}. We welcome the draft; its principles, sovereign equality among them, "
        "are ours as well, and we shall work with every delegation on its wording."
        for n in range(1, paragraphs + 1)
    )
    public = act(
        w,
        lambda: actions.circulate_and_deliver(
            BB_HEAD, m, "2", title="On the Charter", language="en", text=text
        ),
    )
    act(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    restricted = act(
        w,
        lambda: actions.circulate_and_deliver(
            AA_HEAD,
            m,
            "2",
            title="Restricted",
            language="ru",
            text="Секретно.",
            distribution="restricted",
            check_against_delivery=False,
        ),
    )
    asked = act(w, lambda: actions.ask(AA_HEAD, m, "2", document=w.document, revision=0))
    w.later(11)
    act(w, lambda: actions.declare(AA_HEAD, asked.index))
    return public[-1].index, restricted[-1].index


def test_the_journal_before_issue_says_so_and_after_carries_its_symbol(
    conference: ConferenceWorld,
) -> None:
    run_meeting(conference)
    before = exports.journal(conference.opening, "text").decode()
    assert "not yet issued" in before.splitlines()[0]
    assert "State B (statement" in before
    act(conference, lambda: actions.issue_journal(SECRETARIAT, conference.opening))
    symbol = Journal.objects.get(meeting=conference.opening).symbol
    after = exports.journal(conference.opening, "text").decode()
    assert after.splitlines()[0] == f"{symbol} | Distribution: public"
    assert after.rstrip().splitlines()[-1] == f"{symbol} | Distribution: public"
    statements = DeliveredStatement.objects.order_by("entry_index")
    for delivered in statements:
        assert delivered.symbol in after
    assert "Секретно" not in after  # a restricted statement appears by its symbol only
    assert "adopted by consensus" in after


def test_the_journal_pdf_has_its_symbol_on_every_page_and_russian_names(
    conference: ConferenceWorld,
) -> None:
    run_meeting(conference)
    act(conference, lambda: actions.issue_journal(SECRETARIAT, conference.opening))
    symbol = Journal.objects.get(meeting=conference.opening).symbol
    # The test world's parties have Latin names; give B a Cyrillic one (a projection only).
    Party.objects.filter(code="BB").update(name="Государство Б")
    pdf = exports.journal(conference.opening, "pdf", "ru")
    assert pdf.startswith(b"%PDF")
    read = pages(pdf)
    assert read
    with translation.override("ru"):
        public = _("public")
    for page in read:
        assert symbol in page
        assert public in page
    assert "Государство Б" in "\n".join(read)
    assert "русский" in "\n".join(read).lower()  # the restricted statement's language


def test_a_long_statement_has_its_symbol_and_distribution_on_every_page(
    conference: ConferenceWorld,
) -> None:
    public, _restricted = run_meeting(conference, paragraphs=120)
    symbol = DeliveredStatement.objects.get(entry_index=public).symbol
    read = pages(exports.statement(public, "pdf", "en", None))
    assert len(read) > 1
    for page in read:
        assert symbol in page
        assert "Distribution: public" in page
    assert "Check against delivery" in read[0]
    assert "120. We welcome the draft" in read[-1]


def test_the_word_journal_has_the_symbol_in_its_header(conference: ConferenceWorld) -> None:
    run_meeting(conference)
    act(conference, lambda: actions.issue_journal(SECRETARIAT, conference.opening))
    symbol = Journal.objects.get(meeting=conference.opening).symbol
    document = docx.Document(io.BytesIO(exports.journal(conference.opening, "docx")))
    section = document.sections[0]
    assert symbol in section.header.paragraphs[0].text
    assert "Distribution: public" in section.footer.paragraphs[0].text
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Item 2: Charter" in body
    assert document.core_properties.subject == symbol


def test_a_restricted_statement_is_refused_to_a_non_participant_and_to_anyone_signed_out(
    conference: ConferenceWorld,
) -> None:
    _public, restricted = run_meeting(conference)
    for party in ("CC", None):
        with pytest.raises(PermissionError, match="restricted"):
            exports.statement(restricted, "pdf", "en", party)
    for party in ("AA", "BB", "secretariat"):
        document = docx.Document(io.BytesIO(exports.statement(restricted, "docx", "en", party)))
        assert "Distribution: restricted" in document.sections[0].footer.paragraphs[0].text
        assert "Секретно." in [paragraph.text for paragraph in document.paragraphs]
        assert "Check against delivery" not in [p.text for p in document.paragraphs]
    url = reverse("conference-statement-export", args=[restricted, "pdf"])
    assert Client().get(url).status_code == 403
    assert signed_in("cc.head").get(url).status_code == 403
    allowed = signed_in("bb.head").get(url)
    assert allowed.status_code == 200
    assert allowed["Content-Type"] == "application/pdf"
    assert "no-store" in allowed["Cache-Control"]


def test_the_list_of_participants_as_csv_and_pdf(conference: ConferenceWorld) -> None:
    edition = Edition.objects.get(entry_index=conference.edition)
    rows = list(
        csv.reader(io.StringIO(exports.participants(conference.edition, "csv", "en").decode()))
    )
    assert rows[0][:4] == ["Symbol", "Standing", "Party code", "Party"]
    members = rows[1:]
    assert [(row[2], row[5], row[6]) for row in members] == [
        ("AA", "1", "aa.head"),
        ("AA", "2", "aa.delegate"),
        ("BB", "1", "bb.head"),
    ]
    assert {row[0] for row in members} == {edition.participants_symbol}
    assert members[0][4] == "credentials accepted"
    assert members[2][4] == "credentials provisional"
    assert members[1][8:] == ["alternate", "Ambassador"]
    Party.objects.filter(code="AA").update(name="Государство А")
    read = pages(exports.participants(conference.edition, "pdf", "ru"))
    for page in read:
        assert edition.participants_symbol in page
    assert "Государство А" in read[0]


def test_the_same_export_twice_is_the_same_bytes(conference: ConferenceWorld) -> None:
    public, _restricted = run_meeting(conference)
    act(conference, lambda: actions.issue_journal(SECRETARIAT, conference.opening))
    for fmt in exports.JOURNAL_FORMATS:
        assert exports.journal(conference.opening, fmt) == exports.journal(conference.opening, fmt)
    for fmt in exports.STATEMENT_FORMATS:
        first = exports.statement(public, fmt, "ru", None)
        conference.later(90)  # the clock moves on; the export does not
        assert first == exports.statement(public, fmt, "ru", None)
    for fmt in exports.PARTICIPANTS_FORMATS:
        first = exports.participants(conference.edition, fmt, "en")
        assert first == exports.participants(conference.edition, fmt, "en")


def test_an_unknown_format_names_the_choices(conference: ConferenceWorld) -> None:
    with pytest.raises(ValueError, match="choose one of text, pdf, docx"):
        exports.journal(conference.opening, "odt")
    with pytest.raises(ValueError, match="choose one of pdf, csv"):
        exports.participants(conference.edition, "docx", "en")


def test_the_downloads_name_their_files_and_types(conference: ConferenceWorld) -> None:
    public, _restricted = run_meeting(conference)
    act(conference, lambda: actions.issue_journal(SECRETARIAT, conference.opening))
    edition = Edition.objects.get(entry_index=conference.edition)
    journal = Journal.objects.get(meeting=conference.opening).symbol
    delivered = DeliveredStatement.objects.get(entry_index=public).symbol
    client = Client()
    expected = [
        (
            "conference-journal-export",
            [conference.opening, "txt"],
            "text/plain; charset=utf-8",
            journal,
            "txt",
        ),
        (
            "conference-journal-export",
            [conference.opening, "pdf"],
            "application/pdf",
            journal,
            "pdf",
        ),
        (
            "conference-journal-export",
            [conference.opening, "docx"],
            exports.MEDIA_TYPES["docx"],
            journal,
            "docx",
        ),
        (
            "conference-statement-export",
            [public, "docx"],
            exports.MEDIA_TYPES["docx"],
            delivered,
            "docx",
        ),
        (
            "conference-participants-export",
            [conference.edition, "csv"],
            "text/csv; charset=utf-8",
            edition.participants_symbol,
            "csv",
        ),
    ]
    for name, args, content_type, symbol, extension in expected:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert response["Content-Type"] == content_type
        stem = symbol.replace("/", "-").replace(".", "-")
        assert response["Content-Disposition"] == f'attachment; filename="{stem}.{extension}"'
    assert (
        client.get(
            reverse("conference-journal-export", args=[conference.opening, "odt"])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("conference-participants-export", args=[999999, "csv"])).status_code
        == 404
    )


def test_names_in_the_list_of_participants_are_for_accredited_readers_and_never_formulas(
    conference: ConferenceWorld,
) -> None:
    """People's names are kept beside the log, not in it: a visitor reads members by handle;
    a person accredited in the forum reads their names too. A name that begins like a formula
    is written so a spreadsheet shows it as text."""
    from accord.people.models import Person  # noqa: PLC0415

    Person.objects.filter(handle="aa.head").update(name='=HYPERLINK("http://x.invalid","A")')
    Person.objects.filter(handle="bb.head").update(name="Anna Example")
    path = reverse("conference-participants-export", args=[conference.edition, "csv"])

    def names(client: Client) -> list[str]:
        response = client.get(path)
        assert response.status_code == 200
        return [row[7] for row in csv.reader(io.StringIO(response.content.decode()))][1:]

    assert names(Client()) == ["aa.head", "aa.delegate", "bb.head"]
    signed = signed_in("aa.delegate")
    assert names(signed) == ['\'=HYPERLINK("http://x.invalid","A")', "aa.delegate", "Anna Example"]
    assert "private" in signed.get(path)["Cache-Control"]
