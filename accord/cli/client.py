"""What every ``accord`` command shares: the one way to fail, and the one HTTP client.

No Django here: ``accord verify``, ``accord sign --url`` and acting with an own
key run on a party's machine with the package alone. A failure is one
sentence on stderr and exit status 1; an answer that is not a JSON object is
such a failure too, so no command parses a server's error page.
"""

import http.client
import json
import urllib.error
import urllib.request
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

console = Console(stderr=True)


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
