"""The charter's test world: the forum's world (AA the chair, BB participating, CC invited)
with a short draft introduced by AA.

- ``AA`` (chair, participating): introduces, revises, opens silence;
- ``BB`` (participating): amends, states positions, breaks silence;
- ``CC`` (invited, not participating): for "only participating parties".
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from accord.charter import actions
from accord.charter.text import Provision
from accord.forum.actions import Actor
from accord.lib import clock
from tests.forum.world import AA_HEAD, BB_HEAD, CC_HEAD, SECRETARIAT, ForumWorld
from tests.forum.world import build as build_forum

__all__ = ["AA_HEAD", "BB_HEAD", "CC_HEAD", "SECRETARIAT", "CharterWorld"]

DRAFT = (
    Provision("recs__rec_1", "recital", text="Recalling the principles of sovereign equality,"),
    Provision("chp_1", "chapter", "I", "Principles"),
    Provision("chp_1__art_1", "article", "1", "Purpose", parent="chp_1"),
    Provision(
        "chp_1__art_1__para_1",
        "paragraph",
        "1.",
        text="The Parties establish a forum for dialogue.",
        parent="chp_1__art_1",
    ),
    Provision(
        "chp_1__art_2",
        "article",
        "2",
        "Security",
        "Each Party shall respect the indivisibility of security.",
        parent="chp_1",
    ),
)


@dataclass
class CharterWorld:
    forum: ForumWorld
    document: int

    def act(self, action: object) -> object:
        return self.forum.act(action)  # type: ignore[arg-type]

    def later(self, hours: float) -> None:
        """Move the simulated clock on by ``hours``."""
        self.forum.ticking.moment += timedelta(hours=hours)


def build() -> Iterator[CharterWorld]:
    for forum in build_forum():
        with clock.simulated(forum.ticking):
            introduced = actions.introduce(
                AA_HEAD, "Draft Charter", "en", [p.to_json() for p in DRAFT]
            )
        yield CharterWorld(forum, introduced.index)


def as_party(code: str) -> Actor:
    return Actor(code)
