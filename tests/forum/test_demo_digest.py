"""The demo's history, built with fixed keys on its fixed clock, is a committed constant.

Refactoring the forum (its acts, pages, API and CLI) must not change a single projection or
log byte of an existing history: this test pins the demo's full state digest and the root of
its log, so any change to what a forum act writes, or to the bytes it signs, fails here, on
SQLite and on PostgreSQL alike. Change the constants only with a new statement kind or body
version, never for a refactor.
"""

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from accord.forum import demo
from accord.ledger import submit
from accord.ledger.digest import digest
from accord.ledger.models import LogState
from accord.ledger.queries import hashes_at
from accord.ledger.replay import Divergence, replay
from accord.tlog import note

pytestmark = pytest.mark.django_db

DEMO_FULL_DIGEST = "5b9cf4f528cdd006674af90fc705702473a81067420144941754cd413b0ecfc8"
DEMO_LOG_ROOT = "5d7d160985368af9daededc344656da49c86db5b751cbc72e817d9ac35c988c4"
DEMO_SIZE = 66
DEMO_DESCRIBED_DIGEST = "41a1db50d967dd6a04d07bea794f5bfb844b042937363437c9b9bac3c57c3dba"
DEMO_DESCRIBED_ROOT = "14b6723d296ed289cbc352ab7ee6bdb087cbaeda65ed756051af1d9ff591bccb"
DEMO_DESCRIBED_SIZE = 74
DEMO_PRESENT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
"""When the pinned demo is built: its last act, opening silence on the Charter, is dated so."""
DEMO_CHARTER_DIGEST = "f9b6560e7ec018e3ec7e0bef79ca29130b5dd2881b844f642fe36162fa14c200"
DEMO_CHARTER_ROOT = "ff43c4fdaca611b83b7fc0d97d1874e7fa2cc92d3684fbedd4470a186ae070cc"
DEMO_CHARTER_BEFORE_SILENCE_ROOT = (
    "8211048983a8051fffeb76ba618a3e025739c5dd00a33c6c07eb2df13ea6cae1"
)
DEMO_CHARTER_DRAFTED_SIZE = 154
"""The history up to the charter's drafting (its Rev.2 and Russia's last translations), whose
root is DEMO_CHARTER_BEFORE_SILENCE_ROOT: when the charter came, silence opened right after it."""
DEMO_CONFERENCE_HELD_ROOT = "48fa021181a014a75405dea182c1102bc9c550f6397c8623d61cae7b8422f269"
DEMO_CONFERENCE_HELD_SIZE = 392
"""After the drafting, the CSBM year (2026, 168 entries) and the first Minsk conference
(October 2026): a rules amendment (seven entries) and 63 acts up to the journals; the same
whenever the demo is built. 224 before the CSBM chapter (issue 13) came between the charter's
drafting and the conference, where its dates lie: a new chapter with new statement kinds, the
entries before it unchanged (DEMO_CHARTER_BEFORE_SILENCE_ROOT)."""
DEMO_CHARTER_SIZE = 396
"""228 before the CSBM year (168 entries: the regime's amendment, 26 notifications sealed and
sent, 91 acknowledgements, 17 missed deadlines and a consultation closed) came between the
charter's drafting and the conference; 155 before the conference's chapter (the first Minsk
conference, 70 entries, and the second edition it schedules, 3, whose dates follow the present)
came between the charter's drafting and its silence, which moved into a chapter told last;
140 before the witnesses' chapter (issue 11 §5) came between the description and the charter."""
DEMO_WITNESSED_DIGEST = "074fee5974177b8a2d0f8fbb595b820cd1c716eeb9af6e6cf295951f368c4cf6"
DEMO_WITNESSED_ROOT = "4ef3ae43723086e81e29f450eb1d0ee91334bf1ad5710f1e256eca408cbb3296"
DEMO_WITNESSED_SIZE = 89
"""After the description: a rules amendment (seven entries), then four own keys and four
witness registrations."""


@pytest.fixture
def fixed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every key the demo makes comes from its name and its place in the story, and so does
    the salt of every restricted body (otherwise 16 random bytes)."""
    made: list[str] = []

    def generate_key(name: str) -> tuple[str, str]:
        made.append(name)
        seed = hashlib.sha256(f"accord demo key {len(made)} {name}".encode()).digest()
        skey = note.format_skey(name, seed)
        return skey, note.Signer(skey).vkey

    monkeypatch.setattr(note, "generate_key", generate_key)
    salts: list[int] = []

    def new_salt() -> str:
        """A restricted body's salt from its place in the story (the conference's one)."""
        salts.append(len(salts) + 1)
        return base64.b64encode(
            hashlib.sha256(f"accord demo salt {len(salts)}".encode()).digest()[:16]
        ).decode()

    monkeypatch.setattr(submit, "new_salt", new_salt)


def test_the_demo_history_is_unchanged_byte_for_byte(fixed_keys: None) -> None:
    """Its first DEMO_SIZE entries, the history before the forum was described, stay as
    they were; the description is added after them, never woven in."""
    assert demo.build() is True
    assert replay(size=DEMO_SIZE).full_digest == DEMO_FULL_DIGEST
    assert hashes_at(DEMO_SIZE).root().hex() == DEMO_LOG_ROOT


def test_the_demo_with_its_description_is_pinned_too(fixed_keys: None) -> None:
    """The history up to the forum's description stays as it was when the charter came."""
    assert demo.build(present=DEMO_PRESENT) is True
    assert replay(size=DEMO_DESCRIBED_SIZE).full_digest == DEMO_DESCRIBED_DIGEST
    assert hashes_at(DEMO_DESCRIBED_SIZE).root().hex() == DEMO_DESCRIBED_ROOT


def test_the_demo_with_its_witnesses_is_pinned_too(fixed_keys: None) -> None:
    """The history up to the fourth witness's registration, right after the description."""
    assert demo.build(present=DEMO_PRESENT) is True
    assert replay(size=DEMO_WITNESSED_SIZE).full_digest == DEMO_WITNESSED_DIGEST
    assert hashes_at(DEMO_WITNESSED_SIZE).root().hex() == DEMO_WITNESSED_ROOT


def test_the_whole_demo_with_its_charter_is_pinned_too(fixed_keys: None) -> None:
    """Built at a given present (the moment its silence opens), the demo is the same bytes."""
    assert demo.build(present=DEMO_PRESENT) is True
    size = LogState.objects.get().size
    assert size == DEMO_CHARTER_SIZE
    assert digest(full=True) == DEMO_CHARTER_DIGEST
    assert hashes_at(size).root().hex() == DEMO_CHARTER_ROOT
    assert replay().full_digest == DEMO_CHARTER_DIGEST


def test_only_the_second_edition_and_the_silence_depend_on_when_the_demo_is_built(
    fixed_keys: None,
) -> None:
    """Built at another present, the history up to the charter's drafting and the first Minsk
    conference are the same bytes; only the second edition's dates and the silence differ."""
    assert demo.build(present=DEMO_PRESENT + timedelta(days=400)) is True
    assert LogState.objects.get().size == DEMO_CHARTER_SIZE
    assert hashes_at(DEMO_CHARTER_DRAFTED_SIZE).root().hex() == DEMO_CHARTER_BEFORE_SILENCE_ROOT
    assert hashes_at(DEMO_CONFERENCE_HELD_SIZE).root().hex() == DEMO_CONFERENCE_HELD_ROOT
    assert hashes_at(DEMO_CHARTER_SIZE).root().hex() != DEMO_CHARTER_ROOT


def test_the_state_at_an_earlier_size_is_the_replay_of_that_prefix(fixed_keys: None) -> None:
    demo.build()
    at_ten = replay(size=10)
    assert at_ten.entries == 10
    assert at_ten.full_digest not in {DEMO_FULL_DIGEST, replay().full_digest}
    with pytest.raises(Divergence, match="fewer than 1000"):
        replay(size=1000)
