"""``accord witness init``, ``serve``, ``attest``, ``register`` and ``remove``: a party's own
C2SP tlog-witness, and its registration in the forum's log.

No Django and no database server: the witness is a folder (``accord.witness.folder``)
and a small HTTP server (``accord.witness.server``), so a party runs it on a laptop
and gives its verifier key and URL to the logs it cosigns for. ``attest`` signs, with
the witness's own key, that it serves a party of a log at an address; ``register``
(an acting command: ``--url URL --key FILE`` signs with the party's own key, the only
way the registration counts) puts the witness in the log. See docs/witness.md.
"""

import signal
import threading
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Annotated, Any
from urllib.parse import urlencode

import typer
from rich.markup import escape

from accord.cli.acting import Way, acting
from accord.cli.client import console, fail, http_json
from accord.tlog import TlogError, note
from accord.witness.folder import (
    KEY_FILE,
    LogKey,
    WitnessFolder,
    WitnessFolderRefused,
    trusted_logs,
)
from accord.witness.server import WitnessServer, WitnessService
from accord.witness.store import WitnessStateDamaged

witness_app = typer.Typer(
    help="Run this party's own witness, which cosigns the checkpoints of the logs it trusts.",
    no_args_is_help=True,
)

DEFAULT_PORT = 8380
STOP_GRACE = timedelta(seconds=10)
"""How long a stopping witness waits for the requests in progress to be answered."""


@witness_app.command("init")
def init(
    name: Annotated[str, typer.Argument(help="The witness's key name, e.g. hu.example/witness.")],
    out: Annotated[Path, typer.Option("--out", help="The folder to make the witness in.")],
) -> None:
    """Make a witness in DIR and print its verifier keys, the Ed25519 cosignature/v1 key first.

    DIR gets the signer key (mode 0600), the verifier keys, the list of logs served and
    the state. A folder that already holds a witness is refused.
    """
    try:
        folder = WitnessFolder.create(out, name)
    except WitnessFolderRefused as exc:
        raise fail(str(exc)) from None
    for vkey in folder.verifier_keys():
        typer.echo(vkey)
    console.print(
        f"Made the witness {escape(name)} in {escape(str(out))}: give the verifier key above"
        f" to the logs it will cosign for, and keep {escape(str(out / KEY_FILE))} secret.",
        highlight=False,
    )


@witness_app.command("serve")
def serve(
    folder_path: Annotated[
        Path, typer.Argument(metavar="DIR", help="The folder 'accord witness init' made.")
    ],
    log: Annotated[
        list[str] | None,
        typer.Option(
            "--log",
            metavar="VKEY",
            help="A log key to trust, kept in DIR: 'VKEY' (its name is the origin) or"
            " 'VKEY ORIGIN'. Repeat for more logs.",
        ),
    ] = None,
    port: Annotated[int, typer.Option(help="The port to listen on (0: any free port).")] = (
        DEFAULT_PORT
    ),
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
) -> None:
    """Serve C2SP tlog-witness POST /add-checkpoint for the logs whose keys DIR keeps.

    Prints the URL it answers at; SIGTERM or Ctrl-C stops it once the requests in
    progress are answered.
    """
    try:
        folder = WitnessFolder.open(folder_path)
        served = folder.add_log_keys(LogKey.parse(line) for line in log or [])
        cosigners = folder.cosigners()
        store = folder.store()
        store.remove_leftovers()
        records = store.origins()
    except (WitnessFolderRefused, WitnessStateDamaged, OSError) as exc:
        raise fail(str(exc)) from None
    if not served:
        raise fail(f"{folder_path} serves no log yet; give a log's key with --log VKEY")
    logs = trusted_logs(served)
    service = WitnessService(cosigner=cosigners, logs=logs, store=store)
    try:
        server = WitnessServer(host, port, service)
    except OSError as exc:
        raise fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    for origin in logs:
        record = records.get(origin)
        seen = f"last cosigned size {record.size}" if record else "nothing cosigned yet"
        console.print(f"witness: log {escape(origin)}: {seen}", highlight=False)
    _stop_on_signals(server)
    # Printed once the signals are handled: whoever reads this line may stop the witness.
    typer.echo(f"Witness {cosigners[0].name} answers at {server.url}")
    try:
        server.serve_forever()
    finally:
        if not server.finish_requests(STOP_GRACE):
            console.print("witness: requests still in progress were cut off.")
        server.server_close()
    typer.echo("Witness stopped.")


def _stop_on_signals(server: WitnessServer) -> None:
    def stop(signum: int, _frame: FrameType | None) -> None:
        console.print(f"witness: {signal.Signals(signum).name} received; stopping.")
        # shutdown() waits for serve_forever, which runs in this (the main) thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


WitnessDir = Annotated[
    Path, typer.Argument(metavar="DIR", help="The folder 'accord witness init' made.")
]


def _ed25519_skey(folder_path: Path) -> str:
    """The witness's Ed25519 signer key: the first line of its ``witness.key``."""
    _open(folder_path)
    try:
        return (folder_path / KEY_FILE).read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError) as exc:
        raise fail(f"{folder_path} holds no usable witness key: {exc}") from None


def _attestation(folder_path: Path, origin: str, party: str, url: str) -> str:
    from accord.ledger.witness_attestation import attest as sign_attestation  # noqa: PLC0415

    try:
        return sign_attestation(_ed25519_skey(folder_path), origin, party, url)
    except TlogError as exc:
        raise fail(f"the witness key in {folder_path} cannot sign: {exc}") from None


@witness_app.command("attest")
def attest(
    folder_path: WitnessDir,
    origin: Annotated[str, typer.Option("--origin", help="The log's origin (its forum).")],
    party: Annotated[str, typer.Option("--party", help="The party code the witness serves.")],
    url: Annotated[str, typer.Option("--url", help="The witness's address, as registered.")],
) -> None:
    """Print the attestation: the witness key's signature over ORIGIN, PARTY and URL.

    A registration counts only with it (docs/witness.md); 'witness register' makes it
    itself, so this is for a party that signs its statements with other tools.
    """
    typer.echo(_attestation(folder_path, origin, party, url.rstrip("/")))


def _party_and_origin(way: Way, party: str | None) -> tuple[str, str]:
    """Whom the witness will serve and in which log, as the way of acting tells: the host's
    log for ``--as``; for ``--url``, the party the key (or ``--party``) names and the forum
    the server names. Two requests at most; the acting command proves the rest."""
    if way.party is not None:
        from accord.cli.ledger import django_setup  # noqa: PLC0415

        django_setup()
        from accord.ledger.models import LogState  # noqa: PLC0415

        return way.party, LogState.objects.values_list("origin", flat=True).get()
    assert way.url is not None
    url = way.url.rstrip("/")
    if party is None and way.key is not None:
        vkey = note.Signer(way.key.read_text(encoding="utf-8").strip()).vkey
        status, found, _wait = http_json(f"{url}/api/v1/keys?{urlencode({'vkey': vkey})}")
        if status != 200:
            raise fail(f"{url} knows no party with the key {vkey}")
        party = str(found["party"])
    if party is None:
        raise fail("with a token, name the party with --party CODE")
    status, answer, _wait = http_json(f"{url}/api/v1/parties/{party}/next-seq")
    if status != 200:
        raise fail(f"{url} does not know the party {party}")
    return party, str(answer["forum"])


@witness_app.command("register")
@acting("ledger.witness.registered")
def register(
    folder_path: WitnessDir,
    witness_url: Annotated[
        str,
        typer.Option("--witness-url", help="Where the witness answers, e.g. https://w.example."),
    ],
    for_party: Annotated[
        str | None, typer.Option("--party", help="With a token: the party the witness serves.")
    ] = None,
    way: Way | None = None,
) -> dict[str, Any]:
    """Register (or rotate) the party's witness kept in DIR at --witness-url.

    Reads the witness's name and keys from DIR and signs the attestation with its key.
    Only a registration signed with the party's own key (--url URL --key FILE) counts
    toward the witness policy; one signed by the host (--as, a token) is kept but does not.
    """
    assert way is not None
    folder = _open(folder_path)
    keys = folder.verifier_keys()
    name = keys[0].split("+", 1)[0] if keys else ""
    address = witness_url.rstrip("/")
    acting_for, origin = _party_and_origin(way, for_party)
    return {
        "name": name,
        "vkeys": keys,
        "url": address,
        "attestation": _attestation(folder_path, origin, acting_for, address),
    }


@witness_app.command("remove")
@acting("ledger.witness.removed")
def remove(
    name: Annotated[str, typer.Argument(help="The witness's name, as registered.")],
) -> dict[str, Any]:
    """Remove the party's witness registered as NAME: the host no longer asks it."""
    return {"name": name}


def _open(folder_path: Path) -> WitnessFolder:
    try:
        return WitnessFolder.open(folder_path)
    except WitnessFolderRefused as exc:
        raise fail(str(exc)) from None
