"""The charter's pages: each renders for anyone, offers a form only to whom the rules grant the
act, takes its act's POST through the real actions (a refusal speaks the act's sentence and
leaves the log unchanged), answers htmx with the partial, speaks Russian, escapes every text,
and the bracketed page costs the same queries for 5 articles as for 50 with 40 amendments."""

import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accord.charter import actions
from accord.charter.models import (
    Amendment,
    Decision,
    Document,
    Interpretation,
    Position,
    Revision,
    SilenceBreak,
    SilenceProcedure,
)
from accord.charter.text import Provision
from accord.ledger.envelope import format_time
from accord.ledger.models import Entry, LogState
from accord.ledger.submit import Accepted
from accord.lib import clock
from tests.charter.world import AA_HEAD, BB_HEAD, DRAFT, CharterWorld
from tests.forum.world import signed_in
from tests.test_translations import _english_left, _interface_strings, _visible_text

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ARTICLE = "chp_1__art_2"


def _did(charter: CharterWorld, action: Callable[..., Accepted], *args: Any, **kw: Any) -> int:
    accepted = charter.forum.act(partial(action, *args, **kw))
    assert isinstance(accepted, Accepted)
    return accepted.index


def _post(charter: CharterWorld, client: Client, path: str, data: dict[str, Any], **kw: Any) -> Any:
    """POST on the world's simulated clock, so the log judges deadlines by it."""
    with clock.simulated(charter.forum.ticking):
        return client.post(path, data, **kw)


def _get(charter: CharterWorld, client: Client, path: str, **kw: Any) -> Any:
    with clock.simulated(charter.forum.ticking):
        return client.get(path, **kw)


def _size() -> int:
    return LogState.objects.get().size


@pytest.fixture
def amended(charter: CharterWorld) -> tuple[CharterWorld, int]:
    """The draft with BB's replacement of article 2, to which AA objects."""
    amendment = _did(
        charter,
        actions.amend,
        BB_HEAD,
        charter.document,
        ARTICLE,
        "replace",
        text="Each Party should respect the indivisibility of security.",
        rationale="Softer wording.",
    )
    _did(charter, actions.state_position, AA_HEAD, amendment, "object", "too weak")
    return charter, amendment


def _cycle(charter: CharterWorld) -> dict[str, int]:
    """Amend, position, revise (incorporating), silence, conclude: every page has something."""
    doc = charter.document
    amendment = _did(charter, actions.amend, BB_HEAD, doc, ARTICLE, "replace", text="New words.")
    _did(charter, actions.state_position, AA_HEAD, amendment, "support")
    _did(charter, actions.revise, AA_HEAD, doc, incorporate=[amendment])
    until = format_time(charter.forum.ticking.moment + timedelta(hours=48))
    procedure = _did(charter, actions.open_silence, AA_HEAD, doc, 1, until)
    charter.later(49)
    with clock.simulated(charter.forum.ticking):
        actions.conclude_due(clock.now())
    decision = Decision.objects.get().entry_index
    return {"document": doc, "amendment": amendment, "procedure": procedure, "decision": decision}


def _pages(ids: dict[str, int]) -> list[str]:
    doc = ids["document"]
    return [
        "/charter/",
        f"/charter/{doc}/",
        f"/charter/{doc}/?view=brackets",
        f"/charter/{doc}/?languages=en,ru",
        f"/charter/{doc}/?lang=ru",
        f"/charter/amendments/{ids['amendment']}/",
        f"/charter/{doc}/positions/",
        f"/charter/{doc}/revisions/",
        f"/charter/{doc}/diff/?from=0&to=1",
        f"/charter/silence/{ids['procedure']}/",
        "/charter/decisions/",
        f"/charter/decisions/{ids['decision']}/",
    ]


def test_every_page_renders_for_anonymous_readers(charter: CharterWorld, client: Client) -> None:
    ids = _cycle(charter)
    for path in _pages(ids):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"FD." in response.content, path
    page = client.get(f"/charter/decisions/{ids['decision']}/").content.decode()
    assert "FD.DEC/1/25" in page
    assert "New words." in page
    assert "State A, State B" in page  # who joined, by name


@pytest.mark.parametrize(
    "path",
    [
        "/charter/9999/",
        "/charter/amendments/9999/",
        "/charter/silence/9999/",
        "/charter/decisions/9999/",
        "/charter/9999/positions/",
    ],
)
def test_an_unknown_identifier_is_404(charter: CharterWorld, client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_list_shows_symbol_status_revision_and_brackets(
    amended: tuple[CharterWorld, int], client: Client
) -> None:
    _charter, _amendment = amended
    page = client.get("/charter/").content.decode()
    assert "FD.L/1/25" in page
    assert "Draft Charter" in page
    assert "draft" in page
    assert "1 bracket remains" in page
    assert 'action="/charter/introduce"' not in page  # anonymous readers get no form


def test_the_bracketed_page_shows_base_options_sponsors_tally_and_agreeable(
    amended: tuple[CharterWorld, int], client: Client
) -> None:
    charter, amendment = amended
    other = _did(charter, actions.amend, AA_HEAD, charter.document, ARTICLE, "delete")
    clean = client.get(f"/charter/{charter.document}/").content.decode()
    assert "Each Party shall respect the indivisibility of security." in clean
    assert "should respect" not in clean
    assert "1 bracket remains." in clean
    page = client.get(f"/charter/{charter.document}/?view=brackets").content.decode()
    section = page.split(f'id="{ARTICLE}"', 1)[1].split("</section>", 1)[0]
    assert "[Each Party shall respect the indivisibility of security.]" in section
    assert "Each Party should respect the indivisibility of security." in section
    assert "State B" in section  # the sponsor by name, not "BB"
    assert "object 1" in section
    assert f'id="option-{other}"' in section
    # The deletion meets no objection: it is agreeable, the replacement is not.
    deletion = section.split(f'id="option-{other}"', 1)[1]
    assert "agreeable" in deletion
    assert "agreeable" not in section.split(f'id="option-{amendment}"', 1)[1].split("option-")[0]


def test_forms_appear_only_for_those_the_rules_grant(
    amended: tuple[CharterWorld, int], client: Client
) -> None:
    charter, amendment = amended
    doc = charter.document
    document_page = f"/charter/{doc}/?view=brackets"
    amend_form = f'action="/charter/{doc}/amend"'
    silence_form = f'action="/charter/{doc}/silence"'
    assert amend_form not in client.get(document_page).content.decode()
    bb = signed_in("bb.head").get(document_page).content.decode()
    assert amend_form in bb
    assert silence_form not in bb  # only the chair opens silence
    aa = signed_in("aa.head").get(document_page).content.decode()
    assert silence_form in aa
    assert amend_form not in signed_in("cc.head").get(document_page).content.decode()  # invited
    revise_form = f'action="/charter/{doc}/revise"'
    assert revise_form in signed_in("aa.head").get(f"/charter/{doc}/revisions/").content.decode()
    assert (
        revise_form not in signed_in("bb.head").get(f"/charter/{doc}/revisions/").content.decode()
    )
    page = f"/charter/amendments/{amendment}/"
    withdraw_form = f'action="/charter/amendments/{amendment}/withdraw"'
    cosponsor_form = f'action="/charter/amendments/{amendment}/cosponsor"'
    bb_page = signed_in("bb.head").get(page).content.decode()
    assert withdraw_form in bb_page  # the sponsor
    assert cosponsor_form not in bb_page  # a sponsor does not co-sponsor its own
    aa_page = signed_in("aa.head").get(page).content.decode()
    assert withdraw_form not in aa_page
    assert cosponsor_form in aa_page
    assert f'action="/charter/amendments/{amendment}/position"' in aa_page
    assert "action=" not in client.get(page).content.decode().split('id="main"')[1]


def test_an_amendment_posted_in_place_answers_htmx_with_the_receipt(
    charter: CharterWorld,
) -> None:
    bb = signed_in("bb.head")
    size = _size()
    data = {
        "provision": ARTICLE,
        "action": "replace",
        "text": "Each Party may respect.",
        "heading": "",
        "rationale": "Why not.",
    }
    response = _post(
        charter, bb, f"/charter/{charter.document}/amend", data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # the partial, for htmx to swap in
    assert 'class="receipt"' in page
    assert _size() == size + 1
    made = Amendment.objects.get()
    assert (made.eid, made.sponsor, made.text, made.rationale) == (
        ARTICLE,
        "BB",
        "Each Party may respect.",
        "Why not.",
    )
    assert Entry.objects.get(index=made.entry_index).kind == "charter.amendment.proposed"
    again = _post(charter, bb, f"/charter/{charter.document}/amend", data | {"text": "Other."})
    assert again.status_code == 200
    assert "<html" in again.content.decode()  # the whole page without htmx


def test_a_post_by_the_wrong_party_is_refused_with_the_acts_sentence(
    amended: tuple[CharterWorld, int],
) -> None:
    charter, amendment = amended
    doc = charter.document
    size = _size()
    refused = _post(
        charter,
        signed_in("cc.head"),
        f"/charter/{doc}/amend",
        {"provision": ARTICLE, "action": "delete"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    assert "The rules of procedure do not allow this act for your party and role." in (
        refused.content.decode()
    )
    withdrawn = _post(
        charter,
        signed_in("aa.head"),
        f"/charter/amendments/{amendment}/withdraw",
        {"confirm": "on"},
        headers={"HX-Request": "true"},
    )
    assert withdrawn.status_code == 422
    assert "Only the sponsor withdraws an amendment." in withdrawn.content.decode()
    revised = _post(
        charter,
        signed_in("bb.head"),
        f"/charter/{doc}/revise",
        {"number": 1},
        headers={"HX-Request": "true"},
    )
    assert revised.status_code == 422
    assert _size() == size
    assert Amendment.objects.get().status == "open"
    assert not Revision.objects.exists()


def test_an_anonymous_post_is_403_and_leaves_the_log(
    amended: tuple[CharterWorld, int], client: Client
) -> None:
    charter, amendment = amended
    size = _size()
    for path in (
        f"/charter/{charter.document}/amend",
        f"/charter/amendments/{amendment}/position",
        "/charter/introduce",
    ):
        assert client.post(path, {"stance": "support"}).status_code == 403, path
    assert _size() == size


def test_positions_cosponsorship_and_withdrawal_through_the_pages(
    amended: tuple[CharterWorld, int],
) -> None:
    charter, amendment = amended
    aa = signed_in("aa.head")
    stated = _post(
        charter,
        aa,
        f"/charter/amendments/{amendment}/position",
        {"stance": "accept", "note": "fine"},
    )
    assert stated.status_code == 200
    assert Position.objects.get(amendment=amendment, current=True).stance == "accept"
    assert _post(charter, aa, f"/charter/amendments/{amendment}/cosponsor", {}).status_code == 200
    page = Client().get(f"/charter/amendments/{amendment}/").content.decode()
    assert "too weak" in page
    assert "fine" in page
    assert "superseded" in page
    assert "<del>shall</del><ins>should</ins>" in page  # word by word
    bb = signed_in("bb.head")
    unconfirmed = _post(charter, bb, f"/charter/amendments/{amendment}/withdraw", {})
    assert unconfirmed.status_code == 400
    done = _post(charter, bb, f"/charter/amendments/{amendment}/withdraw", {"confirm": "on"})
    assert done.status_code == 200
    assert Amendment.objects.get().status == "withdrawn"


def test_the_chair_revises_with_the_grid_and_the_diff_shows_what_changed(
    amended: tuple[CharterWorld, int], client: Client
) -> None:
    charter, amendment = amended
    doc = charter.document
    inserted = _did(
        charter, actions.amend, BB_HEAD, doc, "chp_1__art_1", "insert_after", text="Added."
    )
    page = signed_in("aa.head").get(f"/charter/{doc}/revisions/").content.decode()
    assert f'name="amendment_{amendment}"' in page
    response = _post(
        charter,
        signed_in("aa.head"),
        f"/charter/{doc}/revise",
        {"number": 1, f"amendment_{amendment}": "incorporate", f"amendment_{inserted}": "keep"},
    )
    assert response.status_code == 200, response.content.decode()
    revision = Revision.objects.get()
    assert (revision.number, revision.incorporated) == (1, [amendment])
    assert Document.objects.get().revision == 1
    diff = client.get(f"/charter/{doc}/diff/?from=0&to=1").content.decode()
    assert "<del>shall</del><ins>should</ins>" in diff
    resolved = diff.split("Resolved", 1)[1].split("Added", 1)[0]
    assert f"Amendment {amendment}" in resolved
    assert f"Amendment {inserted}" not in resolved
    assert client.get(f"/charter/{doc}/diff/?from=0&to=7").status_code == 404


def test_silence_opens_counts_down_takes_a_break_and_concludes(charter: CharterWorld) -> None:
    doc = charter.document
    aa, bb = signed_in("aa.head"), signed_in("bb.head")
    until = (charter.forum.ticking.moment + timedelta(hours=51, minutes=30)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    opened = _post(
        charter, aa, f"/charter/{doc}/silence", {"revision": 0, "until": until, "confirm": "on"}
    )
    assert opened.status_code == 200, opened.content.decode()
    procedure = SilenceProcedure.objects.get()
    assert procedure.until.startswith(until)
    path = f"/charter/silence/{procedure.entry_index}/"
    page = _get(charter, bb, path).content.decode()
    assert "ends in 2 days 3 hours" in page
    assert f'action="{path}break"' in page
    assert f'action="{path}break"' not in _get(charter, Client(), path).content.decode()
    broken = _post(
        charter,
        bb,
        f"{path}break",
        {"reason": "More time", "counter_proposal": "Rev.2", "confirm": "on"},
    )
    assert broken.status_code == 200
    assert SilenceBreak.objects.get().party == "BB"
    page = _get(charter, Client(), path).content.decode()
    assert "More time" in page
    assert "Rev.2" in page
    assert "State B" in page
    charter.later(60)
    late = _get(charter, bb, path).content.decode()
    assert "the deadline has passed" in late
    assert f'action="{path}break"' not in late
    clerk = signed_in("sec.clerk")
    assert f'action="{path}conclude"' in _get(charter, clerk, path).content.decode()
    done = _post(charter, clerk, f"{path}conclude", {"confirm": "on"})
    assert done.status_code == 200, done.content.decode()
    assert SilenceProcedure.objects.get().status == "broken"


def test_a_party_that_joined_attaches_an_interpretative_statement(charter: CharterWorld) -> None:
    ids = _cycle(charter)
    path = f"/charter/decisions/{ids['decision']}/"
    form = f'action="{path}interpret"'
    assert form in signed_in("bb.head").get(path).content.decode()
    assert form not in signed_in("cc.head").get(path).content.decode()
    response = _post(
        charter,
        signed_in("bb.head"),
        f"{path}interpret",
        {"text": "BB reads it so.", "confirm": "on"},
    )
    assert response.status_code == 200, response.content.decode()
    assert Interpretation.objects.get().party == "BB"
    assert "BB reads it so." in Client().get(path).content.decode()


def test_a_file_is_introduced_and_a_bad_one_is_refused_beside_the_form(
    charter: CharterWorld,
) -> None:
    aa = signed_in("aa.head")
    assert 'enctype="multipart/form-data"' in aa.get("/charter/").content.decode()
    markdown = (
        b"# Charter of Tests\n\n## Article 1\n\nThe Parties agree.\n\n## Article 2\n\nThey talk.\n"
    )
    size = _size()
    made = _post(
        charter,
        aa,
        "/charter/introduce",
        {"file": SimpleUploadedFile("tests.md", markdown), "title": "", "language": "en"},
    )
    assert made.status_code == 200, made.content.decode()
    assert _size() == size + 1
    assert Document.objects.count() == 2
    refused = _post(
        charter,
        aa,
        "/charter/introduce",
        {"file": SimpleUploadedFile("tests.pdf", b"%PDF-1.4"), "title": "T", "language": "en"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert ".pdf files cannot be imported" in page
    assert 'id="introduce-form"' in page
    assert 'enctype="multipart/form-data"' in page
    assert _size() == size + 1


def test_the_positions_page_draws_the_matrix_and_the_same_table(
    amended: tuple[CharterWorld, int], client: Client
) -> None:
    charter, amendment = amended
    page = client.get(f"/charter/{charter.document}/positions/").content.decode()
    assert page.count("<svg") == 2
    assert f"<title>State A on amendment {amendment}: object</title>" in page
    assert f"<title>State B on amendment {amendment}: no position</title>" in page
    table = page.split('<table class="matrix">', 1)[1].split("</table>", 1)[0]
    assert "State A" in table
    assert "object" in table
    held = page.split("Objections each party still holds", 1)[1].split("<h2>", 1)[0]
    assert f"amendment {amendment}" in held.split("State B")[0]


def test_exports_download_in_every_format(
    amended: tuple[CharterWorld, int], client: Client
) -> None:
    charter, _amendment = amended
    for fmt, media in (
        ("text", "text/plain"),
        ("md", "text/markdown"),
        ("akn", "application/akn+xml"),
    ):
        response = client.get(f"/charter/{charter.document}/export.{fmt}?brackets=1")
        assert response.status_code == 200, fmt
        assert response["Content-Type"].startswith(media)
        assert "FD-L-1-25" in response["Content-Disposition"]
    bracketed = client.get(f"/charter/{charter.document}/export.md?brackets=1").content
    clean = client.get(f"/charter/{charter.document}/export.md").content
    assert b"should respect" in bracketed
    assert b"should respect" not in clean
    assert client.get(f"/charter/{charter.document}/export.exe").status_code == 404


def test_languages_side_by_side_show_each_translation_status(
    charter: CharterWorld, client: Client
) -> None:
    _did(
        charter,
        actions.translate,
        AA_HEAD,
        charter.document,
        "chp_1__art_1__para_1",
        "ru",
        text="Стороны учреждают форум для диалога.",
    )
    page = client.get(f"/charter/{charter.document}/?languages=en,ru").content.decode()
    assert "Стороны учреждают форум для диалога." in page
    assert "Russian: current" in page
    assert "English: original" in page
    assert "Russian: missing" in page
    russian = client.get(f"/charter/{charter.document}/?lang=ru").content.decode()
    assert "Стороны учреждают форум для диалога." in russian
    english = client.get(f"/charter/{charter.document}/").content.decode()
    assert "The Parties establish a forum for dialogue." in english
    assert "Стороны учреждают" not in english
    reader = client.get(f"/charter/{charter.document}/", HTTP_ACCEPT_LANGUAGE="ru")
    read = reader.content.decode()
    assert "Стороны учреждают форум для диалога." in read  # the reader's own language
    assert "Each Party shall respect the indivisibility of security." in read  # not translated


def test_markup_in_any_text_shows_as_text(charter: CharterWorld, client: Client) -> None:
    doc = _did(
        charter,
        actions.introduce,
        AA_HEAD,
        f"Title {SCRIPT}",
        "en",
        [Provision("art_1", "article", "1", f"Head {SCRIPT}", f"Text {SCRIPT}").to_json()],
    )
    amendment = _did(
        charter,
        actions.amend,
        BB_HEAD,
        doc,
        "art_1",
        "replace",
        text=f"New {SCRIPT}",
        rationale=SCRIPT,
    )
    _did(charter, actions.state_position, AA_HEAD, amendment, "object", SCRIPT)
    for path in (
        "/charter/",
        f"/charter/{doc}/",
        f"/charter/{doc}/?view=brackets",
        f"/charter/amendments/{amendment}/",
        f"/charter/{doc}/positions/",
        f"/charter/{doc}/revisions/",
    ):
        page = client.get(path).content.decode()
        assert SCRIPT not in page, path
        assert "&lt;script&gt;" in page, path


def test_a_russian_reader_sees_no_english_interface(charter: CharterWorld) -> None:
    ids = _cycle(charter)
    # The document's own words are data, not interface: its title, its text, the parties.
    texts = [p.heading for p in DRAFT] + [p.text for p in DRAFT]
    data = ["Draft Charter", "State A", "State B", "State C", "Forum for Dialogue", "New words."]
    data += [text for text in texts if text] + [
        "Party shall respect the indivisibility of security"
    ]  # diffed apart
    strings = _interface_strings()
    failures = []
    for visitor in (Client(), signed_in("bb.head"), signed_in("aa.head")):
        for path in _pages(ids):
            response = visitor.get(path, headers={"accept-language": "ru"})
            assert response.status_code == 200, path
            page = response.content.decode()
            assert '<html lang="ru">' in page
            left = _english_left(_visible_text(page, data), strings)
            failures += [f"{path}: {left}"] if left else []
    assert failures == []
    russian = Client().get(f"/charter/{ids['document']}/", headers={"accept-language": "ru"})
    assert "Статья 2" in russian.content.decode()
    assert "проект" not in russian.content.decode()  # the status of an adopted text
    assert "принят" in russian.content.decode()


def _document_of(charter: CharterWorld, articles: int, amendments: int) -> int:
    provisions = [
        Provision(f"art_{n}", "article", str(n), f"Heading {n}", f"Text of article {n}.").to_json()
        for n in range(1, articles + 1)
    ]
    doc = _did(charter, actions.introduce, AA_HEAD, f"Charter of {articles}", "en", provisions)
    for n in range(amendments):
        article = 1 + n % articles
        made = _did(
            charter, actions.amend, BB_HEAD, doc, f"art_{article}", "replace", text=f"Option {n}."
        )
        _did(charter, actions.state_position, AA_HEAD, made, "object" if n % 2 else "support")
    return doc


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_bracketed_page_costs_the_same_queries_for_5_or_50_articles(
    charter: CharterWorld,
) -> None:
    small = _document_of(charter, 5, 2)
    large = _document_of(charter, 50, 40)
    bb = signed_in("bb.head")
    for visitor in (Client(), bb):
        few = _queries(visitor, f"/charter/{small}/?view=brackets")
        many = _queries(visitor, f"/charter/{large}/?view=brackets")
        assert few == many
        assert many < 40
    page = bb.get(f"/charter/{large}/?view=brackets").content.decode()
    assert page.count('class="option"') == 40
    assert len(re.findall(r'action="/charter/\d+/amend"', page)) == 50


def test_a_deadline_outside_the_bounds_is_refused_with_the_acts_sentence(
    charter: CharterWorld,
) -> None:
    size = _size()
    soon = (charter.forum.ticking.moment + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = _post(
        charter,
        signed_in("aa.head"),
        f"/charter/{charter.document}/silence",
        {"revision": 0, "until": soon, "confirm": "on"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    assert "The deadline is outside the silence bounds of the rules." in refused.content.decode()
    assert _size() == size
    assert not SilenceProcedure.objects.exists()


def test_a_chinese_amendment_is_diffed_character_by_character(
    charter: CharterWorld, client: Client
) -> None:
    doc = _did(
        charter,
        actions.introduce,
        AA_HEAD,
        "宪章",
        "zh",
        [Provision("art_1", "article", "1", "", "各方应当通知").to_json()],
    )
    amendment = _did(charter, actions.amend, BB_HEAD, doc, "art_1", "replace", text="各方可以通知")
    page = client.get(f"/charter/amendments/{amendment}/").content.decode()
    assert "各方<del>应当</del><ins>可以</ins>通知" in page
