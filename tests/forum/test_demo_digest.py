"""The demo's history, built with fixed keys on its fixed clock, is a committed constant.

Refactoring the forum (its acts, pages, API and CLI) must not change a single projection or
log byte of an existing history: this test pins the demo's full state digest and the root of
its log, so any change to what a forum act writes, or to the bytes it signs, fails here, on
SQLite and on PostgreSQL alike. Change the constants only with a new statement kind or body
version, never for a refactor.
"""

import hashlib

import pytest

from accord.forum import demo
from accord.ledger.digest import digest
from accord.ledger.models import LogState
from accord.ledger.queries import hashes_at
from accord.ledger.replay import Divergence, replay
from accord.tlog import note

pytestmark = pytest.mark.django_db

DEMO_FULL_DIGEST = "5b9cf4f528cdd006674af90fc705702473a81067420144941754cd413b0ecfc8"
DEMO_LOG_ROOT = "5d7d160985368af9daededc344656da49c86db5b751cbc72e817d9ac35c988c4"
DEMO_SIZE = 66


@pytest.fixture
def fixed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every key the demo makes comes from its name and its place in the story."""
    made: list[str] = []

    def generate_key(name: str) -> tuple[str, str]:
        made.append(name)
        seed = hashlib.sha256(f"accord demo key {len(made)} {name}".encode()).digest()
        skey = note.format_skey(name, seed)
        return skey, note.Signer(skey).vkey

    monkeypatch.setattr(note, "generate_key", generate_key)


def test_the_demo_history_is_unchanged_byte_for_byte(fixed_keys: None) -> None:
    assert demo.build() is True
    size = LogState.objects.get().size
    assert size == DEMO_SIZE
    assert digest(full=True) == DEMO_FULL_DIGEST
    assert hashes_at(size).root().hex() == DEMO_LOG_ROOT
    assert replay().full_digest == DEMO_FULL_DIGEST


def test_the_state_at_an_earlier_size_is_the_replay_of_that_prefix(fixed_keys: None) -> None:
    demo.build()
    at_ten = replay(size=10)
    assert at_ten.entries == 10
    assert at_ten.full_digest not in {DEMO_FULL_DIGEST, replay().full_digest}
    with pytest.raises(Divergence, match="fewer than 1000"):
        replay(size=1000)
