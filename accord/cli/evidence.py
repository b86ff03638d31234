"""``accord evidence check``: confirm an evidence file of a misbehaving log, offline.

An evidence file (``accord-evidence/v1``, docs/evidence.md) holds notes a log key
signed that no honest log signs together: two checkpoints of a fork or a rewind, a
receipt and a later tree without its entry, or a state digest and the entries that
do not replay to it. ``accord verify`` and a party's node write them; anyone else
confirms one here with the log's verifier key alone (the one the forum publishes,
given out of band, never the one the file names): no database server, no network,
nothing trusted in the file but the signatures, the proofs and the entries.
A fork, a rewind or a missing entry costs two signature checks and at most 126
hashes, without Django; a false digest costs a replay of every entry it carries, in a
throw-away in-memory database (the only claim that loads Django).
"""

import json
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.client import OutOpt, fail, written_to
from accord.ledger import evidence

evidence_app = typer.Typer(
    help="Confirm evidence that a log forked, rewound, dropped an entry or signed a false"
    " digest, with its key alone.",
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
    """Confirm FILE with the log's verifier key: exits 0 and says what it proves (two roots
    for one size, a rewritten prefix, a rewind, a receipted entry dropped, or a state digest
    the log's entries do not replay to), or exits 1 naming what does not hold."""
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
            typer.echo(json.dumps(_shown(finding), indent=2, ensure_ascii=False))
            return
        typer.echo(f"Confirmed: {finding.claim} ({finding.origin}).")
        typer.echo(f"In short: {evidence.CLAIM_WORDS[finding.claim]}.")
        typer.echo(finding.proves)


def _shown(finding: evidence.Finding) -> dict[str, object]:
    """The finding as JSON: the claim's own facts, the claim in words, what it proves."""
    shown: dict[str, object] = {
        "claim": finding.claim,
        "in_words": evidence.CLAIM_WORDS[finding.claim],
        "origin": finding.origin,
        "proves": finding.proves,
    }
    if finding.claim == "missing-entry":
        return shown | {"later": {"size": finding.later.size}, "index": finding.index}
    if finding.claim == "digest-not-reproduced":
        return shown | {
            "checkpoint": {"size": finding.later.size},
            "signed_digest": finding.signed_digest,
            "replayed_digest": finding.replayed_digest,
        }
    return shown | {
        "earlier": {"size": finding.earlier.size},
        "later": {"size": finding.later.size},
        "served_proof_verifies": finding.served_proof_verifies,
    }
