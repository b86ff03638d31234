"""``accord conference …`` with ``--as`` on the host: a statement delivered from its file in
one transaction, the floor given in the log's order, and the journal written as text."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from accord.cli.main import app
from accord.dialogue.models import Circulated, DeliveredStatement, Inscription
from accord.ledger.models import Entry, LogState
from accord.lib import clock
from tests.dialogue.world import ConferenceWorld, build
from tests.ledger.conftest import ledger_environment

__all__ = ["ledger_environment"]

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def conference(db: None) -> Iterator[ConferenceWorld]:
    yield from build()


def run(w: ConferenceWorld, *arguments: str) -> Result:
    with clock.simulated(w.forum.ticking):
        return runner.invoke(app, ["conference", *arguments])


def made(w: ConferenceWorld, kind: str, *arguments: str) -> int:
    result = run(w, *arguments)
    assert result.exit_code == 0, result.output
    assert f"({kind})" in result.stdout.splitlines()[-1]
    entry = int(result.stdout.split()[-1])
    assert Entry.objects.get(index=entry).kind == kind
    return entry


def test_a_meeting_runs_from_the_terminal(conference: ConferenceWorld, tmp_path: Path) -> None:
    m = str(conference.opening)
    made(conference, "dialogue.speakers.opened", "speakers", "open", m, "2", "--as", "AA")
    for party, handle in (("AA", "aa.head"), ("BB", "bb.head")):
        made(
            conference,
            "dialogue.speaker.inscribed",
            *("speakers", "inscribe", m, "2", "--speaker", handle, "--as", party),
        )
    made(conference, "dialogue.floor.given", "speakers", "next", m, "2", "--as", "AA")
    assert Inscription.objects.get(floor__isnull=False).party == "BB"
    text = tmp_path / "statement.txt"
    text.write_text("We welcome the draft.", encoding="utf-8")
    deliver = ("statement", "deliver", str(text), "--meeting", m, "--item", "2")
    statement = made(
        conference, "dialogue.statement.delivered", *deliver, "--language", "en", "--as", "BB"
    )
    assert DeliveredStatement.objects.get(entry_index=statement).party == "BB"
    size, circulated = LogState.objects.get().size, Circulated.objects.count()
    refused = run(conference, *deliver, "--language", "de", "--as", "BB")
    assert refused.exit_code == 1
    assert "(language_not_offered)" in " ".join(refused.stderr.split())
    assert (LogState.objects.get().size, Circulated.objects.count()) == (size, circulated)
    journal = run(conference, "journal", m)
    assert journal.exit_code == 0, journal.output
    assert DeliveredStatement.objects.get(entry_index=statement).symbol in journal.stdout
