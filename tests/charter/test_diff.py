"""Word and character diffs of provisions, and the changes between two revisions."""

import itertools

from accord.charter.diff import Change, diff, revision_diff, tokens
from accord.charter.text import Provision


def _side(runs: list[tuple[str, str]], keep: str) -> str:
    return "".join(text for op, text in runs if op in {"same", keep})


def test_tokens_are_words_spaces_and_punctuation() -> None:
    assert tokens("Each Party shall, notify.") == [
        "Each",
        " ",
        "Party",
        " ",
        "shall",
        ",",
        " ",
        "notify",
        ".",
    ]


def test_tokens_cut_chinese_into_characters_whatever_the_language() -> None:
    assert tokens("各方应当通知。") == ["各", "方", "应", "当", "通", "知", "。"]
    assert tokens("Article 5 各方") == ["Article", " ", "5", " ", "各", "方"]
    assert tokens("にほん한국") == ["に", "ほ", "ん", "한", "국"]


def test_a_combining_mark_stays_with_its_letter() -> None:
    assert tokens("cafe\u0301 noir") == ["cafe\u0301", " ", "noir"]


def test_english_diff_is_word_by_word() -> None:
    runs = diff("Each Party shall notify the others.", "Each Party may notify the others.")
    assert runs == [
        ("same", "Each Party "),
        ("delete", "shall"),
        ("insert", "may"),
        ("same", " notify the others."),
    ]


def test_russian_diff_is_word_by_word() -> None:
    runs = diff(
        "Каждая Сторона уведомляет другие Стороны.",
        "Каждая Сторона может уведомлять другие Стороны.",
    )
    assert ("delete", "уведомляет") in runs
    assert ("insert", "может уведомлять") in runs
    assert runs[0] == ("same", "Каждая Сторона ")


def test_chinese_diff_is_character_by_character() -> None:
    runs = diff("各方应当通知", "各方可以通知")
    assert runs == [("same", "各方"), ("delete", "应当"), ("insert", "可以"), ("same", "通知")]


def test_insert_and_delete_alone() -> None:
    assert diff("", "New text.") == [("insert", "New text.")]
    assert diff("Old text.", "") == [("delete", "Old text.")]
    assert diff("a b", "a b") == [("same", "a b")]
    assert diff("a c", "a b c") == [("same", "a "), ("insert", "b "), ("same", "c")]


def test_a_diff_gives_back_both_texts() -> None:
    old = "The Parties, recalling Article 5, agree: (a) to notify; (b) to meet."
    new = "The Parties agree: (a) to notify in writing; (c) to meet twice."
    runs = diff(old, new)
    assert _side(runs, "delete") == old
    assert _side(runs, "insert") == new
    assert all(a[0] != b[0] for a, b in itertools.pairwise(runs))


def _p(eid: str, text: str = "", heading: str = "", parent: str = "") -> Provision:
    return Provision(
        eid,
        "article" if not parent else "paragraph",
        num=eid[-1],
        heading=heading,
        text=text,
        parent=parent,
    )


def test_revision_diff_says_added_deleted_changed_in_the_new_order() -> None:
    old = [
        _p("art_1", "One."),
        _p("art_2", "Two."),
        _p("art_3", "Three.", "H"),
        _p("art_4", "Four."),
    ]
    new = [
        _p("art_1", "One."),
        _p("art_3", "Three!", "Heading"),
        _p("art_3bis", "Three bis."),
        _p("art_4", "Four."),
    ]
    changes = revision_diff(old, new)
    assert [(c.eid, c.kind) for c in changes] == [
        ("art_2", "deleted"),
        ("art_3", "changed"),
        ("art_3bis", "added"),
    ]
    deleted, changed, added = changes
    assert deleted.text == (("delete", "Two."),)
    assert deleted.new is None
    assert changed.text == (("same", "Three"), ("delete", "."), ("insert", "!"))
    assert changed.heading == (("delete", "H"), ("insert", "Heading"))
    assert added.text == (("insert", "Three bis."),)
    assert isinstance(added, Change)


def test_revision_diff_puts_a_deleted_first_provision_first() -> None:
    old = [_p("art_1", "One."), _p("art_2", "Two.")]
    new = [_p("art_2", "Two."), _p("art_5", "Five.")]
    assert [(c.eid, c.kind) for c in revision_diff(old, new)] == [
        ("art_1", "deleted"),
        ("art_5", "added"),
    ]


def test_revision_diff_of_equal_texts_is_empty() -> None:
    texts = [_p(f"art_{n}", f"Text {n}.") for n in range(1, 401)]
    assert revision_diff(texts, list(texts)) == []


def test_revision_diff_of_400_articles_finds_each_change() -> None:
    old = [_p(f"art_{n}", f"Each Party shall take measure {n}.") for n in range(1, 401)]
    new = [
        _p(f"art_{n}", f"Each Party {'may' if n % 4 == 0 else 'shall'} take measure {n}.")
        for n in range(1, 401)
    ]
    changes = revision_diff(old, new)
    assert len(changes) == 100
    assert all(("insert", "may") in c.text for c in changes)


def test_words_replaced_together_read_as_one_change_not_around_shared_spaces() -> None:
    runs = diff("The Parties shall respect it.", "Each Party should uphold it.")
    assert runs[:2] == [
        ("delete", "The Parties shall respect"),
        ("insert", "Each Party should uphold"),
    ]
    assert runs[2] == ("same", " it.")
