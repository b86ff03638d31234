"""Real files written by other tools import with their structure (sources in data/SOURCES.md).

Each test reads one published document and checks what a reader of the original would check:
how many articles, which part a section sits in, a given article's heading and points, the
attached annexes. Then a few small texts of our own pin the rules those files needed: bare
headings that group articles, cross-headings in Akoma Ntoso, and the Dutch structural words.
"""

import io
from pathlib import Path

import docx

from accord.charter import text
from accord.charter.formats import read

DATA = Path(__file__).resolve().parent.parent / "data"


def imported(name: str, *, language: str = "en") -> text.Draft:
    return read((DATA / name).read_bytes(), name, language=language)


def by_eid(draft: text.Draft) -> dict[str, text.Provision]:
    return {provision.eid: provision for provision in draft.provisions}


def kids(draft: text.Draft, parent: str) -> list[text.Provision]:
    return [provision for provision in draft.provisions if provision.parent == parent]


def of(draft: text.Draft, element: str) -> list[text.Provision]:
    return [provision for provision in draft.provisions if provision.element == element]


VCLT = "vienna-convention-law-of-treaties.md"
CHARTER = "charter-of-the-united-nations.md"
LEOS = "leos-bill-chapter-section-title.xml"
KATIBA = "tanzania-katiba-1977-swahili-excerpt.xml"


def test_the_vienna_convention_keeps_its_85_articles_in_eight_parts() -> None:
    draft = imported(VCLT)
    articles = of(draft, "article")
    assert len(articles) == 85
    assert [p.num for p in articles[:3]] == ["1", "2", "3"]
    assert articles[-1].eid == "part_VIII__art_85"
    assert articles[-1].heading == "Authentic texts"
    parts = of(draft, "part")
    assert [p.num for p in parts] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert by_eid(draft)["part_V"].heading == (
        "Invalidity, termination and suspension of the operation of treaties"
    )


def test_part_v_of_the_vienna_convention_has_its_five_sections_and_their_articles() -> None:
    draft = imported(VCLT)
    sections = [p for p in kids(draft, "part_V") if p.element == "section"]
    assert [p.num for p in sections] == ["1", "2", "3", "4", "5"]
    assert sections[1].heading == "INVALIDITY OF TREATIES"
    in_invalidity = [p.num for p in kids(draft, "part_V__sec_2") if p.element == "article"]
    assert in_invalidity == [str(n) for n in range(46, 54)]
    assert by_eid(draft)["part_V__sec_3__art_60"].heading.startswith("Termination or suspension")


def test_article_2_of_the_vienna_convention_keeps_its_nine_lettered_definitions() -> None:
    draft = imported(VCLT)
    found = by_eid(draft)
    assert found["part_I__art_2"].heading == "Use of terms"
    points = kids(draft, "part_I__art_2__para_1")
    assert [p.num for p in points] == [f"({letter})" for letter in "abcdefghi"]
    assert points[-1].text.startswith("“international organization” means")
    assert found["part_I__art_2__para_2"].text.startswith("The provisions of paragraph 1")
    breach = kids(draft, "part_V__sec_3__art_60__para_2__point_a")
    assert [p.num for p in breach] == ["(i)", "(ii)"]


def test_the_vienna_convention_keeps_its_preamble_and_its_annexes_as_attachments() -> None:
    draft = imported(VCLT)
    found = by_eid(draft)
    assert (draft.title, draft.language) == ("Verdrag van Wenen inzake het verdragenrecht", "en")
    recitals = of(draft, "recital")
    assert len(recitals) == 1
    assert "the pacta sunt servanda rule" in recitals[0].text
    annex = [p for p in kids(draft, "att_1") if p.element == "paragraph"]
    assert [p.num for p in annex] == [f"{n}." for n in range(1, 8)]
    assert "chosen from the list. The State or States" in found["att_1__para_2__point_b"].text
    final_act = found["att_1__sec_nn_1"]
    assert final_act.heading == "Final Act of the United Nations Conference on the Law of Treaties"
    assert found["att_2"].heading.startswith("DECLARATIONS AND RESOLUTIONS ADOPTED")
    assert any("HTML page markup" in note for note in draft.notes)


def test_the_un_charter_keeps_111_articles_in_19_chapters() -> None:
    draft = imported(CHARTER)
    articles = of(draft, "article")
    assert len(articles) == 111
    assert [p.num for p in of(draft, "chapter")][-1] == "XIX"
    assert articles[-1].eid == "chp_XIX__art_111"
    first = kids(draft, "chp_I__art_1")
    assert [p.num for p in first] == ["1.", "2.", "3.", "4."]
    assert first[0].text.startswith("To maintain international peace and security")


def test_the_un_charter_groups_articles_under_composition_and_voting() -> None:
    draft = imported(CHARTER)
    found = by_eid(draft)
    groups = [p for p in kids(draft, "chp_IV") if p.element == "subchapter"]
    assert [p.heading for p in groups] == [
        "Composition",
        "Functions and Powers",
        "Voting",
        "Procedure",
    ]
    assert found["chp_IV__subchp_nn_3__art_18"].parent == "chp_IV__subchp_nn_3"
    assert [p.num for p in kids(draft, "chp_V__subchp_nn_3")] == ["27"]
    assert found["chp_VI__art_33"].parent == "chp_VI"
    points = kids(draft, "chp_IV__subchp_nn_2__art_13__para_1")
    assert [p.num for p in points] == ["a.", "b."]
    assert found["chp_IV__subchp_nn_2__art_13__para_2"].text.startswith("The further")
    dropped = [note for note in draft.notes if "not kept" in note]
    assert dropped == [
        (
            "1 heading(s) in the preamble that name no part, chapter, section or article were "
            "not kept as provisions (first at line 5)."
        )
    ]


def test_a_leos_bill_keeps_its_preamble_articles_subparagraphs_and_points() -> None:
    draft = imported(LEOS, language="fr")
    found = by_eid(draft)
    assert draft.language == "en"
    assert draft.title.startswith("Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT")
    assert [p.eid for p in of(draft, "recital")][1:9] == [
        "cit_1",
        "cit_2",
        "cit_3",
        "cit_4",
        "cit_5",
        "cit_6",
        "rec_1",
        "rec_2",
    ]
    assert "OJ C" not in found["cit_4"].text
    assert (found["art_1"].num, found["art_1"].heading) == ("Article 1", "Scope")
    paragraph = kids(draft, "art_1__para_1")
    assert [(p.element, p.num) for p in paragraph] == [
        ("subparagraph", ""),
        ("point", "(a)"),
        ("point", "(b)"),
    ]
    nested = kids(draft, "akn_art_B6BGPx_EFkmBp")
    assert [(p.element, p.text) for p in nested] == [
        ("subparagraph", "art3- point a"),
        ("point", "art 3- point (1)"),
        ("point", "art 3- point (2)"),
    ]
    assert found["cha_w4bUtt"].parent == "tit_YkHLOz"
    assert found["clause_1"].element == "clause"
    assert any("conclusions" in note for note in draft.notes)


def test_an_indigo_act_in_swahili_keeps_its_language_and_chapter_part_section_tree() -> None:
    draft = imported(KATIBA, language="en")
    found = by_eid(draft)
    assert (draft.title, draft.language) == (
        "Katiba ya Jamhuri ya Muungano wa Tanzania, ya Mwaka",
        "sw",
    )
    assert found["chp_Kwanza"].text.startswith("JAMHURI YA MUUNGANO")
    assert [p.num for p in of(draft, "section")] == [f"{n}." for n in range(1, 9)]
    assert found["chp_Kwanza__part_Pili"].text == (
        "MALENGO MUHIMU NA MISINGI YA MWELEKEO\nWA SHUGHULI ZA SERIKALI (ss 6-11)"
    )
    vote = kids(draft, "chp_Kwanza__part_Kwanza__sec_5__subsec_2")
    assert [p.num for p in vote] == ["(a)", "(b)", "(c)", "(d)", ""]
    assert (vote[-1].element, vote[-1].text) == (
        "subparagraph",
        (
            "mbali na sababu hizo hakuna sababu nyingine yoyote inayoweza kumzuia raia "
            "asitumie haki ya kupiga kura."
        ),
    )


def test_a_bare_heading_between_articles_opens_a_grouping_not_a_dropped_line() -> None:
    source = (
        "# Statute\n\n## Chapter 2 — Organs\n\n### Council\n\n### Article 4\n\nIt meets.\n\n"
        "### Article 5\n\nIt decides.\n\n### Secretariat\n\n### Article 6\n\nIt serves.\n\n"
        "## Chapter 3\n\n### Article 7\n\nIt ends.\n"
    )
    draft = read(source.encode(), "statute.md", language="en")
    found = by_eid(draft)
    assert found["chp_2__subchp_nn_1"].heading == "Council"
    assert [p.num for p in kids(draft, "chp_2__subchp_nn_1")] == ["4", "5"]
    assert found["chp_2__subchp_nn_2__art_6"].text == "It serves."
    assert found["chp_3__art_7"].parent == "chp_3"
    assert not any("not kept" in note for note in draft.notes)


def test_two_bare_headings_in_a_row_make_one_grouping_and_none_in_the_preamble() -> None:
    source = (
        "# Accord\n\n## Subtitle\n\nRecalling,\n\n### Article 1\n\nA.\n\n"
        "## General\n\n## Scope\n\n### Article 2\n\nB.\n"
    )
    draft = read(source.encode(), "accord.md", language="en")
    found = by_eid(draft)
    assert found["sec_nn_1"].heading == "General — Scope"
    assert found["sec_nn_1__art_2"].text == "B."
    assert found["art_1"].parent == ""
    assert any("in the preamble" in note and "line 3" in note for note in draft.notes)


def test_dutch_structural_words_open_parts_chapters_sections_and_annexes() -> None:
    source = (
        "Deel I\n\nHoofdstuk 2\n\nAfdeling 3\n\nArtikel 4\n\nDe Partijen werken samen.\n\n"
        "Bijlage\n\n1. Lijst.\n"
    )
    found = by_eid(read(source.encode(), "verdrag.md", language="nl"))
    assert found["part_I__chp_2__sec_3__art_4"].text == "De Partijen werken samen."
    assert found["att_1__para_1"].text == "Lijst."


def test_a_word_heading_that_names_no_element_groups_the_articles_after_it() -> None:
    document = docx.Document()
    document.add_heading("Chapter IV — The Assembly", level=1)
    document.add_heading("Composition", level=2)
    document.add_heading("Article 9", level=3)
    document.add_paragraph("The Assembly consists of all the Parties.")
    document.add_heading("Voting", level=2)
    document.add_heading("Article 10", level=3)
    document.add_paragraph("Each Party has one vote.")
    buffer = io.BytesIO()
    document.save(buffer)
    found = by_eid(read(buffer.getvalue(), "charter.docx", language="en"))
    assert found["chp_IV__subchp_nn_1"].heading == "Composition"
    assert found["chp_IV__subchp_nn_2__art_10"].text == "Each Party has one vote."


AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def test_an_akn_cross_heading_groups_the_articles_after_it_and_is_skipped_inside_one() -> None:
    body = (
        "<body><crossHeading>Composition</crossHeading>"
        "<article eId='art_9'><num>9</num><content><p>All Parties.</p></content></article>"
        "<crossHeading>Voting</crossHeading>"
        "<article eId='art_10'><num>10</num><crossHeading>Inner</crossHeading>"
        "<paragraph eId='art_10__para_1'><num>1.</num><content><p>One vote.</p></content>"
        "</paragraph></article></body>"
    )
    data = f'<akomaNtoso xmlns="{AKN}"><act name="x">{body}</act></akomaNtoso>'.encode()
    draft = read(data, "x.xml", language="en")
    found = by_eid(draft)
    assert [(p.element, p.heading) for p in kids(draft, "")] == [
        ("section", "Composition"),
        ("section", "Voting"),
    ]
    assert (found["art_9"].parent, found["art_10"].parent) == ("sec_nn_1", "sec_nn_2")
    assert found["art_10__para_1"].parent == "art_10"
    assert any("cross-headings inside articles" in note for note in draft.notes)
    assert any("2 cross-heading(s) kept" in note for note in draft.notes)


def test_a_paragraph_sign_heading_opens_an_article_as_german_laws_number_them() -> None:
    source = "## § 1 Zweck\n\nDas Abkommen dient dem Dialog.\n\n## § 2\n\nEs gilt.\n"
    found = by_eid(read(source.encode(), "abkommen.md", language="de"))
    assert (found["art_1"].heading, found["art_1"].text) == (
        "Zweck",
        "Das Abkommen dient dem Dialog.",
    )
    assert found["art_2"].text == "Es gilt."


def test_a_bold_line_above_an_article_groups_it_and_a_bold_line_above_text_is_text() -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Chapter IV").bold = True
    document.add_paragraph().add_run("Composition").bold = True
    document.add_paragraph().add_run("Article 9").bold = True
    document.add_paragraph("The Assembly consists of all the Parties.")
    document.add_paragraph().add_run("Each Party has one seat.").bold = True
    document.add_paragraph("It sits once a year.")
    document.add_paragraph().add_run("Voting").bold = True
    document.add_paragraph().add_run("Article 10").bold = True
    document.add_paragraph("Each Party has one vote.")
    buffer = io.BytesIO()
    document.save(buffer)
    draft = read(buffer.getvalue(), "charter.docx", language="en")
    found = by_eid(draft)
    assert found["chp_IV"].heading == "Composition"
    assert found["chp_IV__art_9"].text == (
        "The Assembly consists of all the Parties.\nEach Party has one seat.\nIt sits once a year."
    )
    assert found["chp_IV__subchp_nn_1"].heading == "Voting"
    assert found["chp_IV__subchp_nn_1__art_10"].text == "Each Party has one vote."
    markdown = (
        "**Chapter IV**\n\n**Composition**\n\n**Article 9**\n\nAll.\n\n"
        "**Voting**\n\n**Article 10**\n\nOne.\n"
    )
    again = by_eid(read(markdown.encode(), "charter.md", language="en"))
    assert again["chp_IV__subchp_nn_1__art_10"].text == "One."
