"""``accord web``: the production web server, gunicorn on ``accord.wsgi:application``.

The command checks what production needs, migrates the database once, then
becomes gunicorn (exec, so the process manager's SIGTERM reaches gunicorn's
master, which finishes requests in flight and stops). Checkpoints and e-mail
are ``accord worker``'s, in a process of its own.
"""

import os
import sys
from typing import Annotated

import typer

from accord.cli.client import fail
from accord.cli.ledger import django_setup


def web(
    bind: Annotated[
        str, typer.Option("--bind", help="Address to listen on: HOST:PORT or unix:PATH.")
    ] = "127.0.0.1:8000",
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Worker processes; default 2 per core plus one.", min=1),
    ] = None,
) -> None:
    """Serve Accord in production with gunicorn; refuses without ACCORD_SECRET_KEY, ACCORD_KEK
    and ACCORD_ALLOWED_HOSTS (docs/deploy.md)."""
    from accord.lib.env import production_refusal  # noqa: PLC0415 -- `accord verify` loads no Django

    refusal = production_refusal()
    if refusal is not None:
        raise fail(refusal)
    django_setup(migrate=True)
    arguments = [sys.executable, "-m", "gunicorn", "--config", "python:accord.gunicorn_config"]
    arguments += ["--bind", bind]
    if workers is not None:
        arguments += ["--workers", str(workers)]
    typer.echo(f"Serving Accord with gunicorn on {bind}; run `accord worker` beside it.")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, arguments)  # noqa: S606 -- our own interpreter, fixed arguments
