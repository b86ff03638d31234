"""``accord demo``: build the demo forum into this database and serve it."""

from typing import Annotated

import typer

from accord.cli.client import console, fail
from accord.cli.ledger import django_setup, serve, serve_plain_http


def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the demo and exit.")] = False,  # noqa: FBT002 -- Typer's flag
    port: Annotated[int, typer.Option("--port", help="The port to serve on (127.0.0.1).")] = 8000,
) -> None:
    """Build the demo forum (once; a second run changes nothing) and serve it.

    The demo's history runs on a simulated clock from 30 January 2025, every
    page says it is a demo, and sign-in skips the second factor.
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
        typer.echo(f"Serving at http://127.0.0.1:{port}/")
        serve(port=port)
