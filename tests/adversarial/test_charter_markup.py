"""Markup in a text is text: stored as typed, escaped on the page and in every export.

The probes put ``<script>`` into a document's title and provision, an amendment's text and
rationale, a translation and an interpretative statement. The log keeps each as the
characters sent; the document page (clean and bracketed), the amendment page and the HTML
and Akoma Ntoso exports show them as text, never as an element.
"""

from datetime import timedelta
from functools import partial

import pytest
from django.test import Client
from lxml import etree

from accord.charter import actions, queries
from accord.charter.exports import export
from accord.charter.models import Amendment, Document, Interpretation, Translation
from accord.charter.text import Provision
from accord.ledger.envelope import format_time
from accord.lib import clock
from tests.charter.conftest import charter
from tests.charter.world import AA_HEAD, BB_HEAD, CharterWorld

__all__ = ["charter"]

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def marked(charter: CharterWorld) -> int:
    act = charter.forum.act
    provisions = [Provision("art_1", "article", "1", f"Heading {SCRIPT}", f"Text {SCRIPT}")]
    doc = act(
        partial(
            actions.introduce, AA_HEAD, f"Title {SCRIPT}", "en", [p.to_json() for p in provisions]
        )
    ).index
    act(
        partial(
            actions.amend,
            BB_HEAD,
            doc,
            "art_1",
            "replace",
            text=f"Option {SCRIPT}",
            rationale=f"Because {SCRIPT}",
        )
    )
    act(partial(actions.translate, BB_HEAD, doc, "art_1", "ru", heading=SCRIPT, text=SCRIPT))
    return doc


def test_the_log_keeps_markup_as_the_characters_sent(marked: int) -> None:
    assert Document.objects.get(entry_index=marked).title == f"Title {SCRIPT}"
    amendment = Amendment.objects.get(document=marked)
    assert (amendment.text, amendment.rationale) == (f"Option {SCRIPT}", f"Because {SCRIPT}")
    assert Translation.objects.get(document=marked).text == SCRIPT


@pytest.mark.parametrize("view", ["", "?view=brackets", "?lang=ru"])
def test_the_document_page_shows_markup_as_text(marked: int, view: str) -> None:
    response = Client().get(f"/charter/{marked}/{view}")
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert b"<img src=x" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_the_amendment_page_shows_markup_as_text(marked: int) -> None:
    amendment = Amendment.objects.get(document=marked).entry_index
    response = Client().get(f"/charter/amendments/{amendment}/")
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_the_html_and_akn_exports_carry_markup_as_text(marked: int) -> None:
    found = queries.document(marked)
    assert found is not None
    compilation = queries.compilation(found)
    html = export(compilation, "html", brackets=True)
    assert b"<script>alert" not in html
    assert b"&lt;script&gt;" in html
    akn = etree.fromstring(export(compilation, "akn", brackets=True))
    assert not [e for e in akn.iter() if etree.QName(e).localname in {"script", "img"}]
    assert SCRIPT in "".join(str(text) for text in akn.itertext())


def test_an_interpretative_statement_keeps_markup_as_text(
    charter: CharterWorld, marked: int
) -> None:
    amendment = Amendment.objects.get(document=marked).entry_index
    charter.forum.act(partial(actions.withdraw, BB_HEAD, amendment))
    until = format_time(charter.forum.ticking.moment + timedelta(hours=25))
    charter.forum.act(partial(actions.open_silence, AA_HEAD, marked, 0, until))
    charter.later(26)
    with clock.simulated(charter.forum.ticking):
        actions.conclude_due(clock.now())
    decision = queries.decisions()[0].entry_index
    charter.forum.act(partial(actions.interpret, BB_HEAD, decision, SCRIPT))
    assert Interpretation.objects.get().text == SCRIPT
    response = Client().get(f"/charter/decisions/{decision}/")
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;" in response.content
