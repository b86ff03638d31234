"""``accord checkpoint check``: a stand-alone cosigned checkpoint against a trust policy. No Django.

Any C2SP log's checkpoint will do, Accord's or another's (a CT log, Rekor, a
Sigstore or Sigsum log) with the cosignatures its witnesses added: the command
opens the note with the log's key and the policy's witness keys (Ed25519
cosignature/v1, ML-DSA-44, or a witness list's plain Ed25519 key, converted),
says which witnesses cosigned (by the policy's names), which signature lines
it could not check, and whether the policy's quorum is met. The origin is read
from the checkpoint; the log's key name need not equal it.

Nothing is fetched and nothing is remembered. Costs one signature check per
line from a known key.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli.client import OutOpt, fail, written_to
from accord.tlog import TlogError
from accord.tlog._encoding import b64encode
from accord.tlog.policy import Policy, Witnessing

checkpoint_app = typer.Typer(
    help="Check cosigned checkpoints of any C2SP log, offline.", no_args_is_help=True
)


class CheckRefused(Exception):  # noqa: N818 -- what the auditor is told
    """The checkpoint cannot be accepted under the policy; the message says why."""


@dataclass(frozen=True)
class CheckedCheckpoint:
    """A checkpoint whose log signature verified, read against a policy."""

    witnessing: Witnessing
    missing: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        checkpoint = self.witnessing.checkpoint
        return {
            "origin": checkpoint.origin,
            "size": checkpoint.size,
            "root": b64encode(checkpoint.root),
            "log": self.witnessing.log,
            "cosigned": [
                {
                    "witness": c.witness,
                    "key_name": c.key_name,
                    "key_id": f"{c.key_id:08x}",
                    "algorithm": c.algorithm,
                    "timestamp": c.timestamp,
                    "time": _time(c.timestamp),
                }
                for c in self.witnessing.cosigned
            ],
            "missing": list(self.missing),
            "unknown": [
                {"name": s.name, "key_id": f"{s.key_id:08x}"} for s in self.witnessing.unknown
            ],
            "quorum": self.witnessing.quorum,
            "quorum_met": self.witnessing.met,
        }


def _time(timestamp: int) -> str | None:
    try:
        return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError, OSError):
        return None  # beyond what a calendar date can say; the seconds are given


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckRefused(f"the {what} {path} cannot be read: {exc}") from None


def check_checkpoint(signed: str, policy: Policy, log_keys: list[str]) -> CheckedCheckpoint:
    """Open ``signed`` under ``policy`` and ``log_keys``; CheckRefused says what failed."""
    try:
        witnessing = policy.check(signed, log_keys)
    except TlogError as exc:
        raise CheckRefused(f"the checkpoint does not verify: {exc}") from None
    present = set(witnessing.witnesses)
    missing = tuple(w.name for w in policy.witnesses if w.name not in present)
    return CheckedCheckpoint(witnessing, missing)


@checkpoint_app.command()
def check(
    file: Annotated[Path, typer.Argument(help="The cosigned checkpoint (a signed note).")],
    *,
    policy: Annotated[
        Path, typer.Option("--policy", help="The trust policy (c2sp.org/tlog-policy text).")
    ],
    log_key: Annotated[
        list[str] | None,
        typer.Option(
            "--log-key", help="The log's verifier key, beside any log line of the policy."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
    out: OutOpt = None,
) -> None:
    """Check a cosigned checkpoint: the log's signature, who cosigned, and the policy's quorum."""
    try:
        rules = Policy.parse(_read(policy, "policy"), plain_witness_keys=True)
    except TlogError as exc:
        raise fail(f"the policy {policy} is not a tlog-policy: {exc}") from None
    except CheckRefused as exc:
        raise fail(str(exc)) from None
    try:
        checked = check_checkpoint(_read(file, "checkpoint"), rules, log_key or [])
    except CheckRefused as exc:
        raise fail(str(exc)) from None
    witnessing = checked.witnessing
    if not witnessing.met:
        cosigned = ", ".join(witnessing.witnesses) or "no witness of the policy"
        raise fail(
            f"the checkpoint of {witnessing.checkpoint.origin} is signed by its log, but the"
            f" quorum {witnessing.quorum} is not met: cosigned by {cosigned}; missing"
            f" {', '.join(checked.missing) or 'none'}"
        )
    with written_to(out):
        if as_json:
            typer.echo(json.dumps(checked.as_json(), indent=2, ensure_ascii=False))
        else:
            _print(checked)


def _print(checked: CheckedCheckpoint) -> None:
    witnessing = checked.witnessing
    checkpoint = witnessing.checkpoint
    typer.echo(
        f"The checkpoint of {checkpoint.size} entries of {checkpoint.origin} is signed by the"
        f" log key {witnessing.log}."
    )
    for c in witnessing.cosigned:
        when = _time(c.timestamp) or f"{c.timestamp} s"
        typer.echo(f"Cosigned by {c.witness} ({c.key_name}, {c.algorithm}) at {when}.")
    for name in checked.missing:
        typer.echo(f"Not cosigned by {name}.")
    for s in witnessing.unknown:
        typer.echo(f"Not checked: a signature by {s.name} ({s.key_id:08x}), a key not given.")
    typer.echo(f"The quorum {witnessing.quorum} is met.")
