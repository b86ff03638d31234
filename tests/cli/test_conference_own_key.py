"""An own-key delegation circulates a restricted statement from the CLI against a live
``accord serve``: it signs only the commitment, sends the salted text beside it, and the host
keeps the text after checking it against what was signed. Real processes on a file database,
as tests/cli/test_charter_own_key.py (whose world this reuses: CC keeps its own key and has
joined the forum)."""

import json
import sqlite3
from pathlib import Path

from tests.cli.test_charter_own_key import _made, served
from tests.cli.test_own_key import Served, _get

__all__ = ["served"]


def test_an_own_key_party_circulates_a_restricted_text_the_log_holds_only_a_commitment_to(
    served: Served, tmp_path: Path
) -> None:
    text = tmp_path / "statement.txt"
    text.write_text("Our position stays as circulated to the participating parties.\n")
    index = _made(
        served.act(
            *("conference", "statement", "circulate", str(text)),
            *("--title", "Position of State C", "--language", "en", "--restricted"),
        ),
        "dialogue.statement.circulated",
    )
    served.proven(index)
    _status, body = _get(f"{served.url}/log/entry/{index}")
    statement = json.loads(body)["entry"]["statement"]
    assert statement["actor"] == "CC"
    assert statement["distribution"] == "restricted"
    assert set(statement["body"]) == {"commitment"}
    assert b"Our position" not in body
    database = sqlite3.connect(tmp_path / "served.sqlite3")
    try:
        kept = database.execute(
            "SELECT text, distribution FROM dialogue_circulated WHERE entry_index = ?", (index,)
        ).fetchone()
    finally:
        database.close()
    assert kept == (
        "Our position stays as circulated to the participating parties.\n",
        "restricted",
    )


def test_an_own_key_party_circulates_a_public_text_in_the_clear(
    served: Served, tmp_path: Path
) -> None:
    text = tmp_path / "statement.txt"
    text.write_text("A public statement.")
    index = _made(
        served.act(
            *("conference", "statement", "circulate", str(text)),
            *("--title", "Public", "--language", "en"),
        ),
        "dialogue.statement.circulated",
    )
    served.proven(index)
    _status, body = _get(f"{served.url}/log/entry/{index}")
    statement = json.loads(body)["entry"]["statement"]
    assert statement["distribution"] == "public"
    assert statement["body"]["text"] == "A public statement."
