"""``accord evidence check``: confirm an evidence file of a misbehaving log, offline. No Django.

An evidence file (``accord-evidence/v1``, docs/evidence.md) holds two checkpoints a
log key signed that no honest log signs both. ``accord verify`` writes one when a log
contradicts what this machine saw; anyone else confirms it here with the log's verifier
key alone (the one the forum publishes, given out of band, never the one the file names):
no database, no network, nothing trusted in the file but the signatures and the proof.
Costs two signature checks and at most 126 hashes.
"""

import json
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.client import OutOpt, fail, written_to
from accord.ledger import evidence

evidence_app = typer.Typer(
    help="Confirm evidence that a log forked or rewound, with its key alone.",
    no_args_is_help=True,
)


@evidence_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="The evidence file (accord-evidence/v1).")],
    log_key: Annotated[
        str, typer.Option("--log-key", help="The log's verifier key you trust, out of band.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,  # noqa: FBT002
    out: OutOpt = None,
) -> None:
    """Confirm FILE with the log's verifier key: exits 0 and says what the two checkpoints
    prove (two roots for one size, a rewritten prefix, or a rewind), or exits 1 naming what
    does not hold."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read the evidence file {file}: {exc}") from None
    try:
        finding = evidence.check(evidence.parse(text), log_key)
    except evidence.EvidenceError as exc:
        raise fail(f"{file} proves nothing against this log key: {exc}") from None
    with written_to(out):
        if as_json:
            shown = {
                "claim": finding.claim,
                "origin": finding.origin,
                "proves": finding.proves,
                "earlier": {"size": finding.earlier.size},
                "later": {"size": finding.later.size},
                "served_proof_verifies": finding.served_proof_verifies,
            }
            typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
            return
        typer.echo(f"Confirmed: {finding.claim} ({finding.origin}).")
        typer.echo(finding.proves)
