"""The speakers' list in order, computed from the log so anyone can recompute it.

Points of order go to the top; then statements by the level of the speaker (head of
state, head of government, minister, ambassador, other: the HRC high-level segment's
modalities, ``reference/dialogue.md`` §2.4), and within a level by time of inscription;
the rights of reply come last, at the end of the item (UNGA decision 34/401, annex V),
in the order they were asked. Time of inscription is the entry index, which the log
assigns in ``logged_at`` order, so two parties that inscribe in one second still have
a definite order. Pure: it reads rows it is given, so the chair's tools and a party's
node sort the same rows the same way.
"""

from collections.abc import Iterable
from typing import Protocol, TypeVar

from accord.dialogue.models import INSCRIPTION_KINDS, LEVELS


class Inscribed(Protocol):
    entry_index: int
    kind: str
    level: str
    floor: int | None


T = TypeVar("T", bound=Inscribed)


def place(row: Inscribed) -> tuple[int, int, int]:
    """The sort key: kind, then level (statements only), then time of inscription."""
    level = LEVELS.index(row.level) if row.kind == "statement" else 0
    return (INSCRIPTION_KINDS.index(row.kind), level, row.entry_index)


def waiting(rows: Iterable["T"]) -> list["T"]:
    """The inscriptions still waiting for the floor, in the order they will have it."""
    return sorted((row for row in rows if row.floor is None), key=place)
