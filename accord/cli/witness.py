"""``accord witness init`` and ``accord witness serve``: a party's own C2SP tlog-witness.

No Django and no database server: the witness is a folder (``accord.witness.folder``)
and a small HTTP server (``accord.witness.server``), so a party runs it on a laptop
and gives its verifier key and URL to the logs it cosigns for. See docs/witness.md.
"""

import signal
import threading
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.client import console, fail
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
