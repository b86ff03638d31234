"""``accord demo``: build the demo forum into this database and serve it, with its witnesses.

Before serving, it writes the demo's own keys and witness folders under the
demo's folder (``VAR_DIR/demo``) and starts the four parties' witnesses as
child processes (``accord witness serve``), each on its fixed loopback port
(7381–7384, or from ``ACCORD_DEMO_WITNESS_PORT``). They stop with it: on
Ctrl-C, on SIGTERM, and, on Linux, when it dies, since the kernel signals
each child then.
"""

import contextlib
import ctypes
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from accord.cli.client import console, fail
from accord.cli.ledger import django_setup, serve, serve_plain_http

STOP_WAIT_SECONDS = 10
_PR_SET_PDEATHSIG = 1


def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the demo and exit.")] = False,  # noqa: FBT002 -- Typer's flag
    port: Annotated[int, typer.Option("--port", help="The port to serve on (127.0.0.1).")] = 8000,
) -> None:
    """Build the demo forum (once; a second run changes nothing) and serve it.

    The demo's history runs on a simulated clock from 30 January 2025, every
    page says it is a demo, and sign-in skips the second factor. Serving also
    starts the witnesses of Belarus, Russia, Hungary and Kazakhstan.
    """
    serve_plain_http()
    django_setup(migrate=True)
    from rich.progress import Progress  # noqa: PLC0415

    from accord.forum import demo as story  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Building the demo forum", total=None)
        try:
            built = story.build(lambda done: progress.update(task, completed=done))
        except Rejected as refusal:
            raise fail(str(refusal)) from None
    typer.echo(
        "Built the demo forum." if built else "The demo forum is here already; nothing changed."
    )
    typer.echo("Demo people (two-factor sign-in is skipped in the demo):")
    for person in story.people():
        typer.echo(
            f"  {person.handle:<16} {person.party:<12} {person.role:<9} password {person.password}"
        )
    if not no_serve:
        with witnesses_running():
            typer.echo(f"Serving at http://127.0.0.1:{port}/")
            serve(port=port)


def demo_folder() -> Path:
    from django.conf import settings  # noqa: PLC0415 -- Django is set up by then

    return Path(settings.VAR_DIR) / "demo"


@contextlib.contextmanager
def witnesses_running() -> Iterator[list["subprocess.Popen[bytes]"]]:
    """The demo's four witnesses, serving while the block runs and stopped after it (also when
    it ends by Ctrl-C or SIGTERM, which this turns into an orderly exit)."""
    from accord.forum import witness_demo  # noqa: PLC0415
    from accord.ledger.models import LogState  # noqa: PLC0415

    log_vkey = LogState.objects.values_list("log_vkey", flat=True).get()
    folders = witness_demo.write_folders(demo_folder(), log_vkey)
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    children: list[subprocess.Popen[bytes]] = []
    try:
        for witness, folder in folders:
            children.append(_start(folder, log_vkey, witness.port))
            typer.echo(f"Witness of {witness.party} ({witness.name}) at {witness.url}")
        yield children
    finally:
        stop(children)
        signal.signal(signal.SIGTERM, previous)


def _start(folder: Path, log_vkey: str, port: int) -> "subprocess.Popen[bytes]":
    command = [sys.executable, "-m", "accord.cli.main", "witness", "serve", str(folder)]
    command += ["--log", log_vkey, "--port", str(port)]
    # Our own interpreter and our own folder: nothing in the command comes from outside.
    return subprocess.Popen(command, preexec_fn=_die_with_parent)  # noqa: S603, PLW1509


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when the demo dies (no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _exit_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def stop(children: list["subprocess.Popen[bytes]"]) -> None:
    """SIGTERM each witness (it answers the requests in progress first), then wait; kill
    one that has not stopped after ``STOP_WAIT_SECONDS``."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=STOP_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
