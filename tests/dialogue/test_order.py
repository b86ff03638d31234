"""The speakers' order: points of order first; then statements by the speaker's level (head of
state, head of government, minister, ambassador, other) and within a level by time of
inscription; the rights of reply last, in the order they were asked."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.dialogue import actions, order
from accord.dialogue.models import INSCRIPTION_KINDS, LEVELS, Inscription
from accord.forum.actions import Actor
from tests.dialogue.world import AA_DELEGATE, AA_HEAD, BB_HEAD, ConferenceWorld

T = TypeVar("T")


@dataclass
class Row:
    entry_index: int
    kind: str
    level: str
    floor: int | None = None


def _indices(rows: list[Row]) -> list[int]:
    return [row.entry_index for row in order.waiting(rows)]


def test_levels_come_before_time() -> None:
    rows = [
        Row(1, "statement", "other"),
        Row(2, "statement", "ambassador"),
        Row(3, "statement", "minister"),
        Row(4, "statement", "head_of_government"),
        Row(5, "statement", "head_of_state"),
        Row(6, "statement", "minister"),
    ]
    assert _indices(rows) == [5, 4, 3, 6, 2, 1]


def test_points_of_order_first_and_replies_last_in_asking_order() -> None:
    rows = [
        Row(10, "reply", "head_of_state"),
        Row(11, "statement", "other"),
        Row(12, "point_of_order", "other"),
        Row(13, "reply", "other"),
        Row(14, "statement", "head_of_state"),
        Row(15, "point_of_order", "head_of_state"),
        Row(9, "reply", "ambassador"),
    ]
    # A reply's and a point of order's level do not count: only the order they were asked.
    assert _indices(rows) == [12, 15, 14, 11, 9, 10, 13]


def test_those_who_had_the_floor_wait_no_more() -> None:
    rows = [Row(1, "statement", "head_of_state", floor=7), Row(2, "statement", "other")]
    assert _indices(rows) == [2]
    assert order.waiting([]) == []


def _reference(rows: list[Row]) -> list[Row]:
    """The same order, built another way: bucket by kind, statements bucket again by level,
    each bucket in the order of inscription."""
    waiting = sorted((row for row in rows if row.floor is None), key=lambda row: row.entry_index)
    points = [row for row in waiting if row.kind == "point_of_order"]
    statements = [
        row for level in LEVELS for row in waiting if row.kind == "statement" and row.level == level
    ]
    replies = [row for row in waiting if row.kind == "reply"]
    return points + statements + replies


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(INSCRIPTION_KINDS),
        st.sampled_from(LEVELS),
        st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)),
    ),
    max_size=40,
).flatmap(
    lambda parts: st.permutations(range(len(parts))).map(
        lambda indices: [
            Row(index * 3 + 1, kind, level, floor)
            for index, (kind, level, floor) in zip(indices, parts, strict=True)
        ]
    )
)


@given(rows_strategy)
def test_waiting_equals_a_reference_sort(rows: list[Row]) -> None:
    assert order.waiting(rows) == _reference(rows)


@given(rows_strategy)
def test_the_order_does_not_depend_on_the_order_rows_are_read(rows: list[Row]) -> None:
    assert order.waiting(rows) == order.waiting(list(reversed(rows)))


# -- on the log, with delegations whose members' levels differ ------------------------------------


def _act(w: ConferenceWorld, action: Callable[[], T]) -> T:
    return w.charter.forum.act(action)


def _inscribe(
    w: ConferenceWorld, actor: Actor, item: str, speaker: str, *, point_of_order: bool = False
) -> int:
    return _act(
        w,
        lambda: actions.inscribe(
            actor, w.opening, item, speaker=speaker, point_of_order=point_of_order
        ),
    ).index


def _floor_order(w: ConferenceWorld, item: str, turns: int) -> list[int]:
    given_to = []
    for _ in range(turns):
        _act(w, lambda: actions.give_floor(AA_HEAD, w.opening, item))
        given_to.append(
            Inscription.objects.filter(meeting=w.opening, item=item, floor__isnull=False)
            .order_by("-floor")
            .values_list("entry_index", flat=True)
            .first()
        )
    return [index for index in given_to if index is not None]


@pytest.mark.django_db
def test_the_chair_gives_the_floor_in_the_lists_order(conference: ConferenceWorld) -> None:
    w = conference
    _act(w, lambda: actions.open_list(AA_HEAD, w.opening, "2"))
    delegate = _inscribe(w, AA_DELEGATE, "2", "aa.delegate")  # ambassador, inscribed first
    head = _inscribe(w, BB_HEAD, "2", "bb.head")  # head of government, inscribed later
    point = _inscribe(w, AA_HEAD, "2", "aa.head", point_of_order=True)
    levels = dict(Inscription.objects.values_list("entry_index", "level"))
    assert (levels[delegate], levels[head]) == ("ambassador", "head_of_government")
    queue = order.waiting(Inscription.objects.filter(meeting=w.opening, item="2"))
    assert [row.entry_index for row in queue] == [point, head, delegate]
    assert _floor_order(w, "2", 2) == [point, head]
    reply = _act(
        w, lambda: actions.reply(AA_HEAD, w.opening, "2", to="BB", speaker="aa.head")
    ).index
    assert _floor_order(w, "2", 2) == [delegate, reply]
    assert order.waiting(Inscription.objects.filter(meeting=w.opening, item="2")) == []


@pytest.mark.django_db
def test_the_level_is_the_one_the_delegation_named(conference: ConferenceWorld) -> None:
    w = conference
    _act(
        w,
        lambda: actions.name_delegation(
            AA_HEAD,
            w.edition,
            [
                {"handle": "aa.head", "function": "head", "level": "head_of_state"},
                {"handle": "aa.delegate", "function": "alternate", "level": "other"},
            ],
        ),
    )
    _act(w, lambda: actions.open_list(AA_HEAD, w.opening, "2.1"))
    bb = _inscribe(w, BB_HEAD, "2.1", "bb.head")  # head of government, first in time
    aa = _inscribe(w, AA_HEAD, "2.1", "aa.head")  # now head of state
    assert Inscription.objects.get(entry_index=aa).level == "head_of_state"
    assert _floor_order(w, "2.1", 2) == [aa, bb]
