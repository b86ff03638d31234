"""Safe defaults: what a host gets when nobody configured anything.

The probe found a debug page showing ACCORD_KEK and DATABASE_URL in clear, and a
404 page listing every URL pattern, because DEBUG was on by default. These tests
start Accord as an operator would, with nothing set, and look for what an
attacker would see; and with DEBUG on, at the crash page itself.
"""

import base64
import os
import secrets
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.front.security import PrivateMailFiles
from accord.ledger import custody
from tests.ledger.conftest import TEST_KEK
from tests.processes import ROOT, free_port, wait_until_answering

# Made at run time, so the debug page's source excerpts cannot show them by quoting this file.
DATABASE_PASSWORD = secrets.token_hex(12)
DATABASE_URL = f"postgres://accord:{DATABASE_PASSWORD}@db.internal:5432/accord"
MAIL_PASSWORD = secrets.token_hex(12)


def _crash(request: HttpRequest) -> HttpResponse:
    kek_in_a_local = os.environ["ACCORD_KEK"]
    url_in_a_local = DATABASE_URL
    raise RuntimeError(f"boom after reading {len(kek_in_a_local) + len(url_in_a_local)} bytes")


urlpatterns = [path("crash", _crash)]


def _bare_environment(var: Path, **extra: str) -> dict[str, str]:
    """The environment of an operator who set nothing at all (but where Accord keeps files)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ACCORD_", "DATABASE_", "DJANGO_"))
    }
    return {**environment, "ACCORD_VAR_DIR": str(var), "PYTHONPATH": str(ROOT), **extra}


def _python(environment: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


SHOW_SETTINGS = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'accord.settings'; django.setup();"
    "from django.conf import settings;"
    "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECRET_KEY)"
)


def test_debug_is_off_and_cookies_secure_when_nothing_is_set(tmp_path: Path) -> None:
    done = _python(_bare_environment(tmp_path / "var"), SHOW_SETTINGS)
    assert done.returncode == 0, done.stderr
    debug, secure, _key = done.stdout.split()
    assert (debug, secure) == ("False", "True")


def test_a_secret_key_is_made_once_in_var_with_mode_0600_and_the_first_start_says_so(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    first = _python(_bare_environment(var), SHOW_SETTINGS)
    second = _python(_bare_environment(var), SHOW_SETTINGS)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    key = (var / "secret_key").read_text().strip()
    assert len(key) >= 50
    assert first.stdout.split()[2] == second.stdout.split()[2] == key
    assert _mode(var / "secret_key") == 0o600
    assert _mode(var) == 0o700
    assert first.stderr.count("Accord made ACCORD_SECRET_KEY") == 1
    assert "Accord made" not in second.stderr
    other = _python(_bare_environment(tmp_path / "elsewhere"), SHOW_SETTINGS)
    assert other.stdout.split()[2] != key  # no secret shared between installations


def test_a_kek_is_made_once_under_var_with_mode_0600_when_none_is_given(
    monkeypatch: pytest.MonkeyPatch, settings: SettingsWrapper, tmp_path: Path
) -> None:
    monkeypatch.delenv("ACCORD_KEK")
    settings.VAR_DIR = tmp_path / "var"
    settings.DEBUG = False
    first = custody.configured_keks()
    assert first == custody.configured_keks()
    assert len(first[0][1]) == 32
    assert _mode(tmp_path / "var" / "kek") == 0o600


def test_the_sqlite_database_and_its_wal_are_mode_0600(tmp_path: Path) -> None:
    var = tmp_path / "var"
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        env=_bare_environment(var),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    database = var / "accord.sqlite3"
    assert database.stat().st_size > 0
    assert _mode(database) == 0o600
    for companion in var.glob("accord.sqlite3-*"):
        assert _mode(companion) == 0o600, companion


def test_mail_written_to_files_is_mode_0600_in_a_0700_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    connection = PrivateMailFiles(file_path=str(folder))
    sent = mail.send_mail(
        "Sign in",
        "https://forum.example/sign-in/link/secret",
        "a@x.org",
        ["b@x.org"],
        connection=connection,
    )
    assert sent == 1
    [message] = folder.iterdir()
    assert "sign-in/link/secret" in message.read_text()
    assert _mode(message) == 0o600
    assert _mode(folder) == 0o700


@pytest.mark.urls("tests.adversarial.test_defaults")
def test_a_crash_page_with_debug_on_shows_neither_the_kek_nor_the_database_password(
    settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = True
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)  # as the process was started with
    monkeypatch.setenv("ACCORD_EMAIL_PASSWORD", MAIL_PASSWORD)
    client = Client(raise_request_exception=False)
    # runserver copies the process environment into request.META; so does this request.
    response = client.get(
        "/crash",
        ACCORD_KEK=TEST_KEK,
        DATABASE_URL=DATABASE_URL,
        ACCORD_EMAIL_PASSWORD=MAIL_PASSWORD,
    )
    page = response.content.decode()
    assert response.status_code == 500
    assert "boom after reading" in page  # it is the debug page, with frames and settings
    assert "kek_in_a_local" in page
    for secret in (
        TEST_KEK,
        TEST_KEK.partition(":")[2],
        base64.b64encode(b"k" * 32).decode(),
        DATABASE_PASSWORD,
        DATABASE_URL,
        MAIL_PASSWORD,
        settings.SECRET_KEY,
    ):
        assert secret not in page, f"the debug page shows {secret!r}"


def test_accord_serve_with_nothing_set_hides_urls_redacts_link_tokens_and_keeps_cookies(
    tmp_path: Path,
) -> None:
    port = free_port()
    environment = _bare_environment(tmp_path / "var")
    server = subprocess.Popen(
        [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port)],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/sign-in")
        with urllib.request.urlopen(f"{url}/sign-in", timeout=10) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
        token = "a-sign-in-token-nobody-may-log"
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(f"{url}/sign-in/link/{token}", timeout=10)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{url}/no-such-page", timeout=10)
        not_found = missing.value.read().decode()
        gone.value.close()
        missing.value.close()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert gone.value.code == 410
    assert missing.value.code == 404
    assert "URLconf" not in not_found
    assert "explorer/&lt;int:index&gt;" not in not_found
    assert "Not found" in not_found
    assert any(cookie.startswith("csrftoken=") for cookie in cookies)
    assert not any("Secure" in cookie for cookie in cookies), cookies  # plain http works
    assert "/sign-in/link/[withheld]" in output
    assert token not in output
    assert "Accord made ACCORD_SECRET_KEY" in output


def test_the_production_server_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli.main", "web"],
        env=_bare_environment(tmp_path / "var"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert "ACCORD_SECRET_KEY, ACCORD_KEK, ACCORD_ALLOWED_HOSTS" in message
    assert not (tmp_path / "var" / "kek").exists()


def test_the_production_server_refuses_to_start_with_debug_on(tmp_path: Path) -> None:
    environment = _bare_environment(
        tmp_path / "var",
        ACCORD_SECRET_KEY="s" * 50,
        ACCORD_KEK=TEST_KEK,
        ACCORD_ALLOWED_HOSTS="forum.example",
        ACCORD_DEBUG="true",
    )
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli.main", "web"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "ACCORD_DEBUG" in done.stderr
