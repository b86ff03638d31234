"""The CSBM test world: the forum's world (AA and BB founding, CC invited) with DD invited
and accepted, so that three parties take part and CC stays the party that does not.

- ``DD_HEAD`` heads DD's delegation;
- the clock stands at the forum world's start; ``day(n)`` is the date ``n`` days later, for
  activities that start in the future;
- ``payloads`` are well-formed bodies of each format, for tests to change one field of.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from accord.csbm import actions
from accord.forum import actions as forum_actions
from accord.forum.actions import Actor
from accord.lib import clock
from tests.forum.world import AA_HEAD, BB_HEAD, CC_HEAD, SECRETARIAT, ForumWorld
from tests.forum.world import build as build_forum

__all__ = ["AA_HEAD", "BB_HEAD", "CC_HEAD", "DD_HEAD", "SECRETARIAT", "CsbmWorld"]

DD_HEAD = Actor("DD", "dd.head")
T = TypeVar("T")


@dataclass
class CsbmWorld:
    forum: ForumWorld

    def act(self, action: Callable[[], T]) -> T:
        return self.forum.act(action)

    def later(self, hours: float) -> None:
        self.forum.ticking.moment += timedelta(hours=hours)

    def today(self) -> date:
        return self.forum.ticking.moment.date()

    def day(self, days: int) -> str:
        return (self.today() + timedelta(days=days)).isoformat()

    def notify(self, actor: Actor, fmt: str, payload: dict[str, Any]) -> int:
        """Send a notification (restricted); its id."""
        return self.act(lambda: actions.notify(actor, format=fmt, payload=payload))[-1].index

    def prior(self, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "designation": "Union Shield",
            "purpose": "A command-post and field exercise of a combined army group.",
            "kind": "land_exercise",
            "states_involved": ["AA"],
            "command_level": "Army",
            "starts_on": self.day(60),
            "ends_on": self.day(70),
            "forces": {"troops": 12000, "battle_tanks": 180, "acv": 400, "artillery": 120},
            "area": "Training ranges north of the capital",
        }
        return {**body, **changes}

    def general(self, **changes: Any) -> dict[str, Any]:
        body = {
            "subject": "Point of contact",
            "text": "Our verification centre answers around the clock.",
            "category": "information",
            "dated": self.day(0),
        }
        return {**body, **changes}

    def exchange(self, units: int = 61, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "year": self.today().year,
            "units": [
                {
                    "designation": f"Brigade {n}",
                    "level": "unit",
                    "location": f"Garrison {n}",
                    "coordinates": {"lat": "53.9", "lon": "27.5"},
                    "personnel": 3000,
                }
                for n in range(1, units + 1)
            ],
        }
        return {**body, **changes}

    def inspection(self, host: str = "BB", **changes: Any) -> dict[str, Any]:
        body = {
            "receiving_state": host,
            "specified_area": "The ranges named in notification of the exercise",
            "point_of_entry": "Capital airport",
            "reasons": "To verify the forces notified.",
            "team_size": 4,
            "modes": ["ground"],
        }
        return {**body, **changes}


def build() -> Iterator[CsbmWorld]:
    for forum in build_forum():
        with clock.simulated(forum.ticking):
            forum_actions.invite(AA_HEAD, "DD", "State D")
            forum_actions.answer(Actor("DD"), "accepted")
            forum_actions.add_person(
                "dd.head", party="DD", role="head", email="dd.head@example.org"
            )
            forum_actions.accredit(Actor("DD"), "dd.head", "head")
        yield CsbmWorld(forum)
