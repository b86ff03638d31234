"""The conference's test world: the charter's world (AA the chair, BB participating, CC
invited) with an edition chaired by AA, already under way.

- an edition "First Conference" in Minsk (Europe/Minsk), two days;
- meeting 1 (the opening plenary, Room A) and meeting 2 (a working group, Room B), both
  begun when the world is built;
- the agenda (items 1, 2, 2.1) proposed and adopted at meeting 1, item 2 linking the draft;
- delegations: AA (``aa.head`` head, minister; ``aa.delegate`` alternate, ambassador) and
  BB (``bb.head`` head, head of government), each with provisional credentials; AA's
  accepted by the chair's report;
- CC, invited and without a delegation, for "a delegation without credentials".
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from accord.dialogue import actions
from accord.forum.actions import Actor
from accord.lib import clock
from tests.charter.world import CharterWorld
from tests.charter.world import build as build_charter
from tests.forum.world import AA_HEAD, BB_HEAD, CC_HEAD, SECRETARIAT, ForumWorld

__all__ = ["AA_HEAD", "BB_HEAD", "CC_HEAD", "SECRETARIAT", "ConferenceWorld"]

AA_DELEGATE = Actor("AA", "aa.delegate")
T = TypeVar("T")
OPENS = datetime(2025, 10, 30, 7, 0, tzinfo=UTC)
"""10:00 in Minsk on the first day; meeting 1 starts then."""


def at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ConferenceWorld:
    charter: CharterWorld
    edition: int
    opening: int
    working: int

    @property
    def forum(self) -> ForumWorld:
        return self.charter.forum

    @property
    def document(self) -> int:
        return self.charter.document

    def act(self, action: Callable[[], T]) -> T:
        """Run an action on the world's simulated clock."""
        return self.charter.forum.act(action)

    def later(self, minutes: float) -> None:
        self.charter.forum.ticking.moment += timedelta(minutes=minutes)


def build() -> Iterator[ConferenceWorld]:
    for charter in build_charter():
        ticking = charter.forum.ticking
        ticking.moment = max(ticking.moment, OPENS - timedelta(days=10))
        with clock.simulated(ticking):
            edition = actions.create(
                AA_HEAD,
                series="first-conference",
                series_title="Conference for Dialogue",
                title="First Conference",
                city="Minsk",
                venue="Palace of Independence",
                time_zone="Europe/Minsk",
                starts_on="2025-10-30",
                ends_on="2025-10-31",
                chair="AA",
                languages=["en", "ru"],
            ).index
            opening = actions.add_meeting(
                AA_HEAD,
                edition,
                title="Opening plenary",
                starts_at=at(OPENS),
                ends_at=at(OPENS + timedelta(hours=3)),
                room="Room A",
                languages=["en", "ru"],
                interpretation=["en-ru", "ru-en"],
            ).index
            working = actions.add_meeting(
                SECRETARIAT,
                edition,
                title="Working group on confidence-building",
                starts_at=at(OPENS + timedelta(hours=4)),
                ends_at=at(OPENS + timedelta(hours=7)),
                room="Room B",
                format="working_group",
                languages=["en", "ru"],
            ).index
            actions.propose_agenda(
                AA_HEAD,
                edition,
                [
                    {"number": "1", "title": "Opening of the conference"},
                    {"number": "2", "title": "Charter", "documents": [charter.document]},
                    {"number": "2.1", "title": "Principles"},
                ],
            )
            actions.name_delegation(
                AA_HEAD,
                edition,
                [
                    {"handle": "aa.head", "function": "head", "level": "minister"},
                    {"handle": "aa.delegate", "function": "alternate", "level": "ambassador"},
                ],
            )
            actions.name_delegation(
                BB_HEAD,
                edition,
                [{"handle": "bb.head", "function": "head", "level": "head_of_government"}],
            )
            for who in (AA_HEAD, BB_HEAD):
                actions.submit_credentials(
                    who,
                    edition,
                    issuer="foreign_minister",
                    instrument="note_verbale",
                    dated="2025-10-01",
                )
        ticking.moment = OPENS + timedelta(minutes=5)
        with clock.simulated(ticking):
            actions.adopt_agenda(AA_HEAD, edition, opening)
            actions.accept_credentials(
                AA_HEAD, edition, parties=["AA"], report="The credentials of State A are in order."
            )
        yield ConferenceWorld(charter, edition, opening, working)
