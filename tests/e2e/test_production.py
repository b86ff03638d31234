"""The production path as a secretariat runs it: `accord web` (gunicorn) and `accord worker`,
two processes on the demo database, with every secret given and nothing generated."""

import base64
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.processes import ROOT, free_port, process_environment, run_accord, wait_until_answering


def _size(url: str) -> int:
    with urllib.request.urlopen(f"{url}/log/checkpoint", timeout=10) as response:
        return int(response.read().decode().splitlines()[1])


@contextmanager
def _production(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], list[str]]]:
    """`accord web` and `accord worker` on a demo database; on leaving, both are stopped with
    SIGTERM and what they printed is appended to the yielded list."""
    environment = process_environment(f"sqlite:///{tmp_path / 'forum.sqlite3'}", tmp_path)
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50))
    environment |= {
        "ACCORD_SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        "ACCORD_KEK": "v1:" + base64.b64encode(os.urandom(32)).decode(),
        "ACCORD_ALLOWED_HOSTS": "127.0.0.1",
    }
    run_accord(environment, "demo", "--no-serve")
    port = free_port()
    command = [sys.executable, "-m", "accord.cli.main"]
    web = subprocess.Popen(
        [*command, "web", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = subprocess.Popen(
        [*command, "worker", "--interval", "1"],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    outputs: list[str] = []
    try:
        wait_until_answering(f"{url}/log/checkpoint", seconds=60, process=web)
        yield url, environment, outputs
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            outputs.append(process.communicate(timeout=60)[0])
            assert process.returncode == 0, outputs[-1]  # SIGTERM is a clean stop for both


def test_gunicorn_and_the_worker_serve_the_demo_checkpoint_a_statement_and_log_no_token(
    tmp_path: Path,
) -> None:
    token = "a-link-token-" + secrets.token_hex(8)
    with _production(tmp_path) as (url, environment, outputs):
        with urllib.request.urlopen(f"{url}/", timeout=10) as home:
            assert "This is a demo forum" in home.read().decode()
            assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
            assert "gunicorn" in home.headers["Server"]
        with urllib.request.urlopen(f"{url}/static/front/accord.css", timeout=10) as sheet:
            assert b"svg.chart" in sheet.read()
        with urllib.request.urlopen(f"{url}/sign-in", timeout=10) as sign_in:
            cookies = sign_in.headers.get_all("Set-Cookie") or []
        assert any(cookie.startswith("csrftoken=") and "Secure" in cookie for cookie in cookies)

        before = _size(url)
        run_accord(environment, "party", "add", "ZZ", "--name", "Zedland", "--hosted")
        deadline = time.monotonic() + 30
        while _size(url) == before and time.monotonic() < deadline:
            time.sleep(0.5)  # the worker, not the web server, signs checkpoints
        assert _size(url) == before + 1
        with urllib.request.urlopen(f"{url}/log/entry/{before}", timeout=10) as entry:
            assert b"Zedland" in entry.read()

        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(f"{url}/sign-in/link/{token}", timeout=10)
        assert gone.value.code == 410
        gone.value.close()
        after_link = urllib.request.Request(
            f"{url}/", headers={"Referer": f"{url}/sign-in/link/{token}"}
        )
        with urllib.request.urlopen(after_link, timeout=10):
            pass
    web_log, worker_log = outputs
    assert re.search(r'"GET /sign-in/link/\[withheld\] HTTP/1\.1" 410', web_log), web_log[-3000:]
    assert f'"{url}/sign-in/link/[withheld]"' in web_log  # the Referer of the next page
    assert token not in web_log
    assert "Worker stopped." in worker_log
    assert not (tmp_path / "var" / "kek").exists()  # nothing is generated for production
    assert not (tmp_path / "var" / "secret_key").exists()
