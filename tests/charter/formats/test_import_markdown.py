"""Markdown in: structure, numbering, preamble, markup kept as text, long and large pastes."""

import pytest

from accord.charter import text
from accord.charter.formats import ImportRefused, read

CHARTER = """# Eurasian Charter of Diversity and Multipolarity

Recalling the principles of the Helsinki Final Act,

Affirming <script>alert(1)</script> the **sovereign equality** of States,

## Part I — Principles

### Article 1 — Sovereign equality

1. The Parties respect one another's sovereign equality.
2) Each Party shall:
(a) refrain from the threat or use of force;
(b) settle disputes by peaceful means, including:
(i) negotiation;
(ii) mediation;
(c) cooperate in good faith.

### Article 2. Dialogue

The Parties hold a regular dialogue.

Статья 3

Стороны сотрудничают.

## Chapter 2

### Section 3

### Article 4

- first dash
- second dash
"""


def by_eid(draft: text.Draft) -> dict[str, text.Provision]:
    return {provision.eid: provision for provision in draft.provisions}


def test_it_keeps_parts_articles_paragraphs_and_points_with_their_numbers() -> None:
    draft = read(CHARTER.encode(), "charter.md", language="en")
    found = by_eid(draft)
    assert draft.title == "Eurasian Charter of Diversity and Multipolarity"
    assert found["part_I"].heading == "Principles"
    assert found["part_I__art_1"].heading == "Sovereign equality"
    assert found["part_I__art_1__para_2"].num == "2)"
    point = found["part_I__art_1__para_2__point_b__point_ii"]
    assert (point.element, point.text) == ("point", "mediation;")
    assert found["part_I__art_1__para_2__point_c"].parent == "part_I__art_1__para_2"
    assert found["part_I__art_2"].heading == "Dialogue"
    assert found["part_I__art_3"].text == "Стороны сотрудничают."
    assert found["part_I__chp_2__sec_3__art_4"].parent == "part_I__chp_2__sec_3"
    dashes = [p for p in draft.provisions if p.element == "indent"]
    assert {p.parent for p in dashes} == {"part_I__chp_2__sec_3__art_4"}


def test_the_text_before_the_first_article_becomes_recitals() -> None:
    draft = read(CHARTER.encode(), "charter.md", language="en")
    recitals = [p for p in draft.provisions if p.element == "recital"]
    assert [p.eid for p in recitals] == ["recs__rec_1", "recs__rec_2"]
    assert recitals[0].text == "Recalling the principles of the Helsinki Final Act,"


def test_markup_in_a_paragraph_stays_literal_text() -> None:
    draft = read(CHARTER.encode(), "charter.md", language="en")
    assert by_eid(draft)["recs__rec_2"].text == (
        "Affirming <script>alert(1)</script> the sovereign equality of States,"
    )


def test_the_language_given_is_kept_when_the_file_states_none() -> None:
    assert read(CHARTER.encode(), "charter.md", language="kk").language == "kk"


def test_front_matter_states_title_and_language() -> None:
    source = "---\ntitle: Хартия\nlang: ru\n---\n\nСтатья 1. Цели\n\nТекст.\n"
    draft = read(source.encode(), "x.md", language="en")
    assert (draft.title, draft.language) == ("Хартия", "ru")
    assert by_eid(draft)["art_1"].heading == "Цели"


def test_a_bold_article_line_and_a_letter_after_h_are_read_as_drafters_mean() -> None:
    source = (
        "**Article 2**\n\n**Use of terms**\n\n1. For the purposes:\n\n(h) eighth;\n\n(i) ninth.\n"
    )
    found = by_eid(read(source.encode(), "x.md", language="en"))
    assert found["art_2"].heading == "Use of terms"
    assert found["art_2__para_1__point_i"].text == "ninth."


def test_a_sentence_starting_with_article_stays_a_sentence() -> None:
    source = "Article 1\n\nArticle 5 applies to every Party.\n"
    found = by_eid(read(source.encode(), "x.md", language="en"))
    assert found["art_1"].text == "Article 5 applies to every Party."


def test_a_400_article_treaty_imports_with_400_articles() -> None:
    parts = []
    for part in range(1, 5):
        parts.append(f"## Part {part}\n")
        for article in range(1, 101):
            number = (part - 1) * 100 + article
            parts.append(
                f"### Article {number} — Heading {number}\n\n"
                "1. First.\n\n2. Second:\n(a) x;\n(b) y.\n"
            )
    draft = read("\n".join(parts).encode(), "long.md", language="en")
    articles = [p for p in draft.provisions if p.element == "article"]
    assert len(articles) == 400
    assert articles[-1].eid == "part_4__art_400"
    assert len(draft.provisions) == 4 + 400 * 5


def test_a_5_mb_single_paragraph_is_refused_naming_its_line() -> None:
    source = "# Title\n\nArticle 1\n\n" + "word " * 1_000_000
    with pytest.raises(ImportRefused, match=r"line 5 is 5,000,000 characters long"):
        read(source.encode(), "paste.md", language="en")


def test_a_5_mb_paste_of_short_paragraphs_imports_or_is_refused_clearly() -> None:
    article = "### Article {n}\n\n" + "\n\n".join(f"{k}. " + "text " * 40 for k in range(1, 6))
    source = "\n\n".join(article.format(n=n) for n in range(1, 5200))
    assert len(source) > 5_000_000
    with pytest.raises(
        ImportRefused, match=r"holds 31,194 provisions; a document may hold at most 20,000\."
    ):
        read(source.encode(), "paste.md", language="en")


def test_a_file_that_is_not_utf8_is_refused_naming_the_line() -> None:
    with pytest.raises(ImportRefused, match=r"not UTF-8 text: the byte at line 3"):
        read(b"# T\n\n\xff\xfe bad\n", "x.md", language="en")


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ImportRefused, match="no provisions"):
        read(b"\n\n", "empty.md", language="en")
