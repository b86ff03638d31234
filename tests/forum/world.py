"""The forum's named test world, built through the real actions from a FORUM.toml.

Parties:
- the secretariat (hosted key), with ``sec.clerk``: staff, for "the secretariat never
  speaks for a party";
- ``AA``, a founding state and the chair (hosted key), with ``aa.head`` (head of delegation:
  may sign), ``aa.delegate`` (may answer and speak, not sign for the party) and ``aa.adviser``
  (may not act at all);
- ``BB``, a founding state (hosted key), with ``bb.head``: a person of another party, for
  "a person acts only for their own party";
- ``CC``, invited by AA and not yet answered (hosted key), with ``cc.head``: a party in the
  invited standing.

Keys come from fixed seeds and the clock is simulated, so the history is the same bytes
on every run and on both databases.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from accord.forum import actions, founding
from accord.forum.actions import Actor
from accord.ledger.digest import digest
from accord.ledger.errors import Rejected
from accord.ledger.models import Entry, LogState
from accord.lib import clock
from accord.people import authenticators
from accord.people.models import Person
from tests.ledger.world import Ticking, skey

__all__ = ["skey"]

ORIGIN = "forum.example/forum"
FORUM_TOML = f"""
[forum]
name = "Forum for Dialogue"
origin = "{ORIGIN}"
languages = ["en", "ru"]
symbol_prefix = "FD"
decision_rule = "consensus"
chair = "AA"

[[party]]
code = "AA"
name = "State A"

[[party]]
code = "BB"
name = "State B"
"""

SKEYS = {
    "log": skey(ORIGIN),
    "secretariat": skey("secretariat.forum"),
    "AA": skey("aa.forum"),
    "BB": skey("bb.forum"),
}

T = TypeVar("T")


@dataclass
class ForumWorld:
    ticking: Ticking
    invitation_to_cc: int

    def act(self, action: Callable[[], T]) -> T:
        """Run an action on the world's simulated clock."""
        with clock.simulated(self.ticking):
            return action()

    def refused(self, code: str, action: Callable[[], object]) -> Rejected:
        """Run an action that must be refused with ``code`` and leave the log as it was."""
        size = LogState.objects.get().size
        before = digest(full=True)
        with clock.simulated(self.ticking), pytest.raises(Rejected) as refusal:
            action()
        assert refusal.value.code == code, refusal.value
        assert LogState.objects.get().size == size
        assert Entry.objects.count() == size
        assert digest(full=True) == before
        return refusal.value


AA_HEAD = Actor("AA", "aa.head")
AA_DELEGATE = Actor("AA", "aa.delegate")
AA_ADVISER = Actor("AA", "aa.adviser")
BB_HEAD = Actor("BB", "bb.head")
CC_HEAD = Actor("CC", "cc.head")
SECRETARIAT = Actor("secretariat", "sec.clerk")


def build() -> Iterator[ForumWorld]:  # a generator, so fixtures can yield it
    ticking = Ticking()
    with clock.simulated(ticking):
        actions.found_forum(founding.parse(FORUM_TOML), skeys=SKEYS)
        for handle, party, role in (
            ("aa.head", "AA", "head"),
            ("aa.delegate", "AA", "delegate"),
            ("aa.adviser", "AA", "adviser"),
            ("bb.head", "BB", "head"),
            ("sec.clerk", "secretariat", "staff"),
        ):
            actions.add_person(handle, party=party, role=role, email=f"{handle}@example.org")
            actions.accredit(actions.as_party(party), handle, role)
        sent = actions.invite(AA_HEAD, "CC", "State C")
        actions.add_person("cc.head", party="CC", role="head", email="cc.head@example.org")
        actions.accredit(Actor("CC"), "cc.head", "head")
    yield ForumWorld(ticking, sent[0].index)


def signed_in(handle: str, *, enforce_csrf_checks: bool = False) -> Client:
    """A browser session of ``handle`` that has passed the TOTP check (django-otp keeps the
    verified device in the session), as a head's or staff member's must before acting."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    user = Person.objects.get(handle=handle).user
    device = authenticators.enrol(user, confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
