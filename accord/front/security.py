"""What keeps a page, a log line or a file from giving a secret away.

- ``SecurityHeaders``: the Content-Security-Policy (no inline script, no third-party
  origin, no framing) and Permissions-Policy on every response; Django's own
  SecurityMiddleware adds HSTS on HTTPS, nosniff and the referrer policy.
- ``SecretFilter``: Django's error-report filter, widened so that neither the
  debug page nor an error e-mail shows an ``ACCORD_*`` variable, ``DATABASE_URL``
  or any value equal to a configured secret, in settings, request.META
  (runserver copies the environment into it) or a frame's local variables.
- ``SignInTokenFilter`` and ``withhold_sign_in_tokens``: a sign-in link is a
  password for one use, so access logs show its path without the token.
- ``PrivateMailFiles``: mail written to files (no mail server set) holds those
  links, so each file is created 0600 in a 0700 folder.
"""

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.mail.backends import filebased
from django.http import HttpRequest, HttpResponseBase
from django.views.debug import SafeExceptionReporterFilter

from accord.lib.env import env_secret

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    # Swagger UI draws its icons as data: images.
    "img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""Every script and style comes from this site's own files; nothing may frame a page."""

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
"""No page needs a device or a payment, so none may ask for one."""


class SecurityHeaders:
    """Adds the CSP and Permissions-Policy to each response that does not set its own.

    A view with a narrower need (the API explorer) sets its own policy first.
    Costs two header writes per response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


_SECRET_VARIABLES = ("ACCORD_SECRET_KEY", "ACCORD_KEK", "ACCORD_EMAIL_PASSWORD", "ACCORD_TOKEN")
_SHORTEST_SECRET = 8  # shorter values (an empty password) would hide every string on the page


def configured_secrets() -> set[str]:
    """Every secret value this process was given or made, and each KEK's key part.

    Read afresh for each report (a few environment reads and one small file),
    so a secret given after start-up is withheld too.
    """
    found = {settings.SECRET_KEY, str(getattr(settings, "EMAIL_HOST_PASSWORD", ""))}
    found |= {str(database.get("PASSWORD") or "") for database in settings.DATABASES.values()}
    found |= {os.environ.get(name, "") for name in ("DATABASE_URL", "ACCORD_TEST_DATABASE_URL")}
    for name in _SECRET_VARIABLES:
        try:
            found.add(env_secret(name))
        except Exception:  # noqa: BLE001, S112 -- an unreadable secret file holds nothing to hide
            continue
    development_kek = Path(settings.VAR_DIR) / "kek"
    if development_kek.exists():
        found.add(development_kek.read_text(encoding="utf-8").strip())
    for keks in [value for value in found if ":" in value]:  # "<version>:<key>", comma-separated
        for item in keks.split(","):
            found |= {item.strip(), item.partition(":")[2].strip()}
    return {value for value in found if len(value) >= _SHORTEST_SECRET}


class SecretFilter(SafeExceptionReporterFilter):
    """Django's filter, also hiding ACCORD_*, DATABASE_URL, KEKs and any secret's value.

    Applies with DEBUG on as well (Django consults it for the debug page), so a
    developer's crash page is as safe to screenshot as a production error mail.
    """

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|KEK|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|^ACCORD_",
        flags=re.IGNORECASE,
    )

    def is_active(self, request: HttpRequest | None) -> bool:  # noqa: ARG002 -- Django's signature
        return True

    def cleanse_setting(self, key: int | str, value: Any) -> Any:
        if isinstance(value, str) and _reveals(value, configured_secrets()):
            return self.cleansed_substitute
        return super().cleanse_setting(key, value)

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: FrameType
    ) -> Any:
        known = configured_secrets()
        return [
            (
                name,
                self.cleansed_substitute
                if self.hidden_settings.search(str(name)) or _reveals(repr(value), known)
                else value,
            )
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


def _reveals(text: str, known: set[str]) -> bool:
    return any(secret in text for secret in known)


_SIGN_IN_LINK = re.compile(r"(/sign-in/link/)[^/?#\s\"']+")


def withhold_sign_in_tokens(text: str) -> str:
    """``text`` with the token of every sign-in link path replaced by ``[withheld]``."""
    return _SIGN_IN_LINK.sub(r"\1[withheld]", text)


class SignInTokenFilter(logging.Filter):
    """Rewrites a log record whose message names a sign-in link, so the token stays out."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        withheld = withhold_sign_in_tokens(message)
        if withheld != message:
            record.msg, record.args = withheld, ()
        return True


class PrivateMailFiles(filebased.EmailBackend):
    """Django's file mail backend, writing each message 0600 into a 0700 folder."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        Path(vars(self)["file_path"]).chmod(0o700)  # set by Django; the stubs omit it

    def open(self) -> bool:
        if self.stream is None:
            descriptor = os.open(
                self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600
            )
            self.stream = os.fdopen(descriptor, "ab")
            return True
        return False
