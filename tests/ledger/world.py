"""The ledger's named test world, built through the real actions.

- the secretariat: founds the log and registers parties (hosted key);
- state A (``AA``): signs with its own key, the path national systems use;
- state B (``BB``): has a hosted key, the path delegates in a browser use;
- state C (``CC``): own key, present so tests can try A's key on C's behalf.

Keys come from fixed seeds and the clock is simulated, so a history built
here is the same bytes on every run and on every database.
"""

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from accord.ledger import actions
from accord.ledger.envelope import SignedStatement, Statement, format_time
from accord.ledger.integrate import Accepted
from accord.ledger.restricted import commitment_of
from accord.ledger.submit import submit
from accord.ledger.wire import Submission
from accord.lib import clock
from accord.tlog import note

ORIGIN = "forum.example/log"
START = datetime(2025, 1, 30, 9, 0, tzinfo=UTC)


def skey(label: str) -> str:
    return note.format_skey(label, hashlib.sha256(label.encode()).digest())


A_KEY = note.Signer(skey("aa.example"))
C_KEY = note.Signer(skey("cc.example"))
LOG_KEY = note.Signer(skey(ORIGIN))


class Ticking:
    """A simulated clock that moves one second each time it is read."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


@dataclass
class World:
    ticking: Ticking

    def signed(
        self,
        signer: note.Signer,
        body: dict[str, Any],
        *,
        actor: str = "AA",
        kind: str = "ledger.communique.published",
        seq: int,
        v: int = 1,
        distribution: str = "public",
        forum: str = ORIGIN,
    ) -> SignedStatement:
        statement = Statement(
            forum=forum,
            kind=kind,
            v=v,
            actor=actor,
            seq=seq,
            at=format_time(self.ticking.moment),
            distribution=distribution,
            body=body,
        )
        return SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)

    def communique(
        self, seq: int, title: str = "Agenda", text: str = "Proposed agenda."
    ) -> Submission:
        return Submission(self.signed(A_KEY, {"title": title, "text": text}, seq=seq))

    def restricted(self, seq: int, text: str) -> Submission:
        salt = base64.b64encode(b"salt-%d" % seq).decode()
        body = {"title": "Notification", "text": text}
        signed = self.signed(
            A_KEY, {"commitment": commitment_of(salt, body)}, seq=seq, distribution="restricted"
        )
        return Submission(signed, None, salt, body)

    def submit(self, submission: Submission) -> Accepted:
        with clock.simulated(self.ticking):
            return submit(submission)


def build() -> Iterator[World]:  # a generator, so fixtures can yield it
    """Found the log and register A (own key), B (hosted) and C (own key)."""
    world = World(Ticking())
    with clock.simulated(world.ticking):
        actions.found_log(
            ORIGIN, log_skey=skey(ORIGIN), secretariat_skey=skey("secretariat.example")
        )
        actions.register_party("AA", "State A", vkey=A_KEY.vkey)
        actions.register_party("BB", "State B", hosted_skey=skey("bb.example"))
        actions.register_party("CC", "State C", vkey=C_KEY.vkey)
    yield world
