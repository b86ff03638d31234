"""The ``accord`` command.

Commands that need no database (``keygen``, later ``verify``) import nothing
from Django, so an auditor can run them with the package alone. Every command
prints a sentence and exits non-zero on failure.
"""

import os
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from accord.cli import (
    charter,
    checkpoint,
    demo,
    evidence,
    forum,
    ledger,
    node,
    proofs,
    restricted,
    web,
    worker,
)
from accord.cli.conference import conference_app
from accord.cli.csbm import csbm_app
from accord.cli.witness import witness_app
from accord.tlog import TlogError, note

app = typer.Typer(
    name="accord",
    help="Accord: a forum whose every act is signed and kept in a verifiable log.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:  # noqa: FBT001 -- Typer passes the flag positionally
    if value:
        typer.echo(f"accord {version('accord')}")
        raise typer.Exit


@app.callback()
def main(
    *,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Accord: a forum whose every act is signed and kept in a verifiable log."""


@app.command()
def keygen(
    name: Annotated[str, typer.Argument(help="The key name, e.g. by.example/accord.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write NAME.key and NAME.pub into.")],
) -> None:
    """Make an own Ed25519 key pair: DIR/NAME.key (signer key, mode 0600) and DIR/NAME.pub.

    The signer key never leaves this machine; give the .pub verifier key to
    the secretariat. Refuses to overwrite an existing key.
    """
    try:
        skey, vkey = note.generate_key(name)
    except TlogError as exc:
        raise _fail(str(exc)) from None
    stem = name.replace("/", "_")
    private, public = out / f"{stem}.key", out / f"{stem}.pub"
    for path in (private, public):
        if path.exists():
            raise _fail(f"{path} already exists; move it away or choose another name")
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(skey + "\n")
    public.write_text(vkey + "\n", encoding="utf-8")
    typer.echo(f"Wrote {private} (keep it secret) and {public}.")
    typer.echo(f"Verifier key: {vkey}")


app.add_typer(ledger.log_app, name="log")
app.add_typer(ledger.party_app, name="party")
app.add_typer(forum.forum_app, name="forum")
app.add_typer(forum.person_app, name="person")
app.add_typer(restricted.restricted_app, name="restricted")
app.add_typer(charter.charter_app, name="charter")
app.add_typer(conference_app, name="conference")
app.add_typer(csbm_app, name="csbm")
app.add_typer(checkpoint.checkpoint_app, name="checkpoint")
app.add_typer(witness_app, name="witness")
app.add_typer(evidence.evidence_app, name="evidence")
app.add_typer(node.node_app, name="node")
for command in (
    ledger.sign,
    ledger.submit,
    ledger.verify,
    proofs.verify_proof,
    ledger.replay,
    ledger.audit,
    ledger.tick,
    ledger.serve,
    web.web,
    worker.worker,
    forum.init,
    demo.demo,
):
    app.command()(command)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=1)


if __name__ == "__main__":
    app()
