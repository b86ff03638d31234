"""Akoma Ntoso in: real files from other tools (see tests/charter/data/SOURCES.md)."""

from pathlib import Path

import pytest

from accord.charter import text
from accord.charter.formats import ImportRefused, read

DATA = Path(__file__).resolve().parent.parent / "data"


def by_eid(draft: text.Draft) -> dict[str, text.Provision]:
    return {provision.eid: provision for provision in draft.provisions}


def test_an_indigo_act_keeps_its_eids_hierarchy_and_attached_schedule() -> None:
    data = (DATA / "indigo-subpart-attachment.xml").read_bytes()
    draft = read(data, "act.xml", language="fr")
    found = by_eid(draft)
    assert (draft.title, draft.language) == ("Short Title", "en")
    assert found["chp_1__part_A__subpart_1"].heading == "Just a heading"
    assert found["sec_1"].parent == "chp_1__part_A__subpart_1"
    assert found["sec_1__subsec_1"].text == "Regular old subsection.\nSubsection 1"
    deep = found["sec_1__subsec_1__list_1__item_a__list_1__item_ii__list_1__item_B"]
    assert (deep.element, deep.num, deep.text) == ("point", "(B)", "item b")
    schedule = found["att_1"]
    assert (schedule.element, schedule.heading) == ("attachment", "Schedule — Laws Repealed")
    assert [p.num for p in draft.provisions if p.parent == "att_1"] == ["", "1.", "2.", "3.", "4."]
    assert "cells 1 and 2" in found["sec_5__hcontainer_1"].text
    assert any("cross-heading" in note for note in draft.notes)


def test_a_spanish_bill_keeps_its_own_language_and_eids() -> None:
    data = (DATA / "chile-boletin-8924-07-bill.xml").read_bytes()
    draft = read(data, "boletin.xml", language="en")
    found = by_eid(draft)
    assert draft.language == "es"
    articles = [p for p in draft.provisions if p.element == "article"]
    assert len(articles) == 12
    assert found["trans_1"].heading == "Artículo ÚNICO TRANSITORIO transitorio"
    assert found["art_1"].text.startswith("DEL DERECHO A LA IDENTIDAD DE GÉNERO. INCISO PRIMERO.")


AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def akn(body: str, *, namespace: str = AKN, kind: str = "bill", extra: str = "") -> bytes:
    return (
        f'<akomaNtoso xmlns="{namespace}"><{kind} name="x"><meta><identification source="#s">'
        '<FRBRExpression><FRBRlanguage language="deu"/></FRBRExpression></identification></meta>'
        f"{body}{extra}</{kind}></akomaNtoso>"
    ).encode()


def test_the_older_namespace_and_invalid_or_repeated_eids_are_read() -> None:
    body = (
        '<preamble><recitals><recital id="r1"><p>Eingedenk,</p></recital></recitals></preamble>'
        '<body><article id="art_1"><num>1</num><heading>Zweck</heading>'
        '<paragraph id="art 1 bad"><num>1.</num><content><p>Text <authorialNote><p>fn</p>'
        "</authorialNote>hier.</p></content></paragraph>"
        '<paragraph id="art_1"><num>2.</num><content><p>Zwei.</p></content></paragraph>'
        "</article></body>"
    )
    draft = read(akn(body, namespace="http://www.akomantoso.org/2.0"), "x.akn", language="en")
    found = by_eid(draft)
    assert draft.language == "de"
    assert found["r1"].element == "recital"
    assert found["art_1__para_1"].text == "Text hier."
    assert found["art_1__para_2"].text == "Zwei."


def test_an_act_approving_a_convention_reads_the_attached_convention() -> None:
    attached = (
        "<attachments><attachment><doc name='convention'><preface><p><docTitle>Convention on "
        "Dialogue</docTitle></p></preface><preamble><p>The States Parties,</p></preamble>"
        "<mainBody><article><num>Article 1</num><content><p>Scope.</p></content></article>"
        "</mainBody></doc></attachment></attachments>"
    )
    body = (
        "<body><article><num>1</num><content><p>The Convention is approved.</p></content>"
        "</article></body>"
    )
    found = by_eid(read(akn(body, kind="act", extra=attached), "x.xml", language="en"))
    assert found["att_1"].heading == "Convention on Dialogue"
    assert found["att_1__recs__rec_1"].text == "The States Parties,"
    assert found["att_1__art_1"].text == "Scope."


def test_a_debate_is_not_a_text_to_co_draft() -> None:
    with pytest.raises(ImportRefused, match="<debate> at line 1 is not a text to co-draft"):
        read(akn("<debateBody/>", kind="debate"), "x.xml", language="en")


def test_a_foreign_root_is_refused_naming_it() -> None:
    with pytest.raises(ImportRefused, match="<html> at line 1, not <akomaNtoso>"):
        read(b"<html><body/></html>", "x.xml", language="en")
