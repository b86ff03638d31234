"""``accord restricted show``: a restricted statement's body, checked against its commitment.

Against a server (``--url``, personal token in ``ACCORD_TOKEN``) it trusts the
server for nothing it can check: it takes the commitment from the public entry
at ``/log/entry/<i>`` (its signature checked, and with ``--log-key`` its
inclusion under a checkpoint that key signs), fetches the salted body from the
API and prints it only if it hashes to that commitment. Nothing here imports
Django. On the host (``--as CODE``) it reads the database as party CODE would.
"""

import base64
import binascii
import hashlib
import json
import os
from typing import Annotated, Any

import typer

from accord.cli.client import OutOpt, console, fail, http_json, written_to
from accord.cli.ledger import django_setup
from accord.ledger.envelope import Entry, EnvelopeError, Statement
from accord.lib import canonical
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import open_checkpoint
from accord.tlog.merkle import leaf_hash, verify_inclusion

restricted_app = typer.Typer(
    help="Read the restricted statements your party is entitled to.", no_args_is_help=True
)


def commitment(salt: str, body: dict[str, Any]) -> str:
    """The commitment docs/ledger.md defines: SHA-256 of the canonical ``{"body", "salt"}``.

    The same formula as ``accord.ledger.submit.commitment_of``, which imports
    Django; a test holds the two equal.
    """
    return "sha256:" + hashlib.sha256(canonical.dumps({"body": body, "salt": salt})).hexdigest()


@restricted_app.command("show")
def show(
    index: Annotated[int, typer.Argument(help="The entry's index in the log.")],
    url: Annotated[
        str | None, typer.Option("--url", help="Read from this server (token in ACCORD_TOKEN).")
    ] = None,
    party: Annotated[
        str | None, typer.Option("--as", help="Read this host's database as party CODE.")
    ] = None,
    log_key: Annotated[
        str | None,
        typer.Option("--log-key", help="With --url: also check the entry is in the log it signs."),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Print a restricted statement's body as JSON, after checking it against its commitment.

    A copy that does not match the commitment the party signed is refused and
    not printed (exit 1), as is a party or token not entitled to it. With --out the file
    is made readable by its owner only, since it holds a restricted body.
    """
    if (url is None) == (party is None):
        raise fail("give either --url (with ACCORD_TOKEN) or --as CODE")
    with written_to(out, private=True):
        if url is not None:
            statement, body, checked = _remote(url.rstrip("/"), index, log_key)
        else:
            assert party is not None
            statement, body, checked = _local(index, party)
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True))
    console.print(
        f"Entry {index} ({statement.kind} by {statement.actor}): the copy matches the commitment"
        f" it signs{checked}.",
        highlight=False,
    )


def _local(index: int, party: str) -> tuple[Statement, dict[str, Any], str]:
    django_setup()
    from accord.ledger import disclosure  # noqa: PLC0415

    try:
        copy = disclosure.copy_for(index, party)
    except disclosure.Undisclosed as refusal:
        raise fail(str(refusal)) from None
    if copy.body is None or not copy.matches:
        raise _mismatch(index, "this host's database holds")
    return copy.statement, copy.body, ""


def _remote(url: str, index: int, log_key: str | None) -> tuple[Statement, dict[str, Any], str]:
    token = os.environ.get("ACCORD_TOKEN", "")
    if not token:
        raise fail("set ACCORD_TOKEN to a personal API token to read with --url")
    status, document = _get(f"{url}/log/entry/{index}")
    if status != 200:
        raise fail(f"the server has no entry {index} ({status})")
    statement, checked = _checked_entry(index, document, log_key)
    signed = statement.body.get("commitment")
    if statement.distribution != "restricted" or not isinstance(signed, str):
        raise fail(f"entry {index} is not a restricted statement with a commitment")
    status, copy = _get(f"{url}/api/v1/statements/{index}/restricted", token)
    if status == 401:
        raise fail("the server refused the token in ACCORD_TOKEN")
    if status != 200:
        raise fail(str(copy.get("detail", f"the server answered {status}")))
    salt, body = copy.get("salt"), copy.get("body")
    try:
        matches = (
            isinstance(salt, str) and isinstance(body, dict) and commitment(salt, body) == signed
        )
    except canonical.CanonicalError:
        matches = False
    if not matches:
        raise _mismatch(index, "the server sent")
    assert isinstance(body, dict)
    return statement, body, checked


def _checked_entry(
    index: int, document: dict[str, Any], log_key: str | None
) -> tuple[Statement, str]:
    """The entry's statement, its signature checked, and with the log key its inclusion."""
    try:
        leaf = canonical.dumps(document["entry"])
        entry = Entry.from_bytes(leaf)
        entry.signed.verify()
    except (KeyError, canonical.CanonicalError, EnvelopeError) as exc:
        raise fail(f"entry {index} as served does not check: {exc}") from None
    if log_key is None:
        return entry.signed.statement, ""
    try:
        checkpoint, _ = open_checkpoint(str(document["checkpoint"]), [note.Verifier(log_key)])
        proof = [base64.b64decode(h, validate=True) for h in document["inclusion_proof"]]
        verify_inclusion(leaf_hash(leaf), index, checkpoint.size, proof, checkpoint.root)
    except (KeyError, TypeError, binascii.Error, TlogError) as exc:
        raise fail(
            f"entry {index} is not proven to be in the log that key signs: {exc};"
            " if it is new, wait for the next checkpoint"
        ) from None
    return entry.signed.statement, f", in the log of {checkpoint.size} entries the log key signs"


def _mismatch(index: int, whose: str) -> typer.Exit:
    return fail(
        f"the copy {whose} does not match the commitment the party signed in entry {index},"
        " so it is not shown; tell the secretariat"
    )


def _get(url: str, token: str | None = None) -> tuple[int, dict[str, Any]]:
    status, answer, _wait = http_json(url, token=token)
    return status, answer
