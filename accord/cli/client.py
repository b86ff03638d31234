"""What every ``accord`` command shares: the one way to fail, the one way to write what it
shows, and the one HTTP client.

No Django here: ``accord verify``, ``accord sign --url`` and acting with an own
key run on a party's machine with the package alone. A failure is one
sentence on stderr and exit status 1; an answer that is not a JSON object is
such a failure too, so no command parses a server's error page.

Show and export commands write to stdout, or with ``--out FILE`` the very same
bytes into FILE (``written_to``); progress and notes go to stderr, so stdout
holds only what the command shows.
"""

import contextlib
import http.client
import io
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.markup import escape

console = Console(stderr=True)

OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write what would go to stdout into FILE instead (replaced whole, or not at all).",
    ),
]


def fail(message: str) -> typer.Exit:
    """Print ``message`` on stderr as the command's error; raise what it returns."""
    console.print(f"[red]Error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(code=1)


def http_json(
    url: str, data: bytes | None = None, token: str | None = None
) -> tuple[int, dict[str, Any], float | None]:
    """GET (or POST ``data`` to) ``url``: the status, the JSON object answered, and Retry-After
    in seconds if the server sent one. ``token`` goes as ``Authorization: Bearer``. Every
    failure to get a JSON object is one sentence (``fail``); one request, 30 s at most."""
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 -- the operator chooses the URL
    try:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, answered, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            status, answered, raw = exc.code, exc.headers, exc.read()
    except urllib.error.URLError as exc:
        raise fail(f"cannot reach {url}: {exc.reason}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise fail(f"the connection to {url} failed: {exc or type(exc).__name__}") from None
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise fail(f"the server answered {status} with something other than JSON") from None
    if not isinstance(answer, dict):
        raise fail(f"the server answered {status} with JSON that is not an object")
    return status, answer, _seconds(answered.get("Retry-After"))


def _seconds(retry_after: str | None) -> float | None:
    try:
        return float(retry_after) if retry_after is not None else None
    except ValueError:
        return None  # an HTTP date: callers wait by their own bound instead


def refused(answer: dict[str, Any], status: int) -> typer.Exit:
    """A server's refusal (``Refusal``, or a ``detail``) as the command's failure."""
    if "code" in answer and "reason" in answer:
        return fail(f"{answer['reason']} ({answer['code']})")
    return fail(str(answer.get("detail") or f"the server answered {status}"))


def api_base(url: str) -> str:
    """The API's root under a forum's address (the commands' ``--url``)."""
    return url.rstrip("/") + "/api/v1"


def served(url: str, path: str, token: str | None = None) -> Any:
    """What ``GET /api/v1{path}`` answers with 200 (``token`` reads restricted content the
    token's party may read), or its refusal as the command's failure."""
    status, answer, _wait = http_json(f"{api_base(url)}{path}", token=token)
    if status != 200:
        raise refused(answer, status)
    return answer


@contextlib.contextmanager
def written_to(out: Path | None, *, private: bool = False) -> Iterator[None]:
    """Send the command's stdout into ``out`` (``None`` or ``-``: stdout itself).

    The bytes go to a temporary file beside ``out``, fsynced and renamed over it
    only when the command succeeds, so a failed command leaves ``out`` as it was
    and a crash leaves no half file. An existing file is replaced, as ``>`` in a
    shell would (a symbolic link is replaced, never written through). The file
    gets the mode a new file gets under the umask, or 0600 when ``private``
    (a restricted body). Costs one extra file and one fsync.
    """
    if out is None or str(out) == "-":
        yield
        return
    if out.is_dir():
        raise fail(f"{out} is a folder; give --out the path of a file")
    if not out.parent.is_dir():
        raise fail(f"the folder {out.parent} does not exist; make it first or choose another")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    except OSError as exc:
        raise fail(f"cannot write into {out.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
            try:
                with contextlib.redirect_stdout(text):
                    yield
                text.flush()
            finally:
                text.detach()
            os.fsync(raw.fileno())
        _commit(Path(temporary), out, private=private)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()


def _commit(temporary: Path, out: Path, *, private: bool) -> None:
    try:
        if not private:
            umask = os.umask(0o022)
            os.umask(umask)
            temporary.chmod(0o666 & ~umask)
        temporary.replace(out)
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror}") from None


def binary_stdout() -> BinaryIO:
    """Stdout as bytes, for a binary format (a tar stream); text written before is flushed."""
    sys.stdout.flush()
    return sys.stdout.buffer
