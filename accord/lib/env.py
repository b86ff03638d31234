"""Typed reads of Accord's settings from the environment.

Each setting is an environment variable; a secret may instead be read from
the file named by ``<NAME>_FILE`` (as Docker and systemd credentials provide),
so it never has to sit in a process listing or a shell history. Bad values
raise ``ImproperlyConfigured`` naming the variable, at start-up rather than at
first use.

Nothing here needs a setting to start: a missing secret is made once under
``ACCORD_VAR_DIR`` (``generated_secret``); only the production server insists
that each be given (``missing_production_settings``).
"""

import os
import sys
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool = False) -> bool:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """The secret in ``name``, or in the file named by ``name_FILE``; never both."""
    value = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "")
    if value and path:
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc.strerror}") from None
    return value or default


def generated_secret(path: Path, make: Callable[[], str], name: str) -> str:
    """The secret kept in ``path``; made once by ``make`` (mode 0600) when the file is missing.

    This is what lets Accord start with no configuration without a secret
    shared by every installation: the first start makes one and says so in one
    line on stderr; later starts read it. Two processes starting together agree
    on one secret, because the file appears whole or not at all (written aside,
    then hard-linked into place). Costs one small file read per start.
    """
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(make() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another process made it first: its secret is the one kept
    else:
        sys.stderr.write(
            f"Accord made {name} in {path} (mode 0600) because none was given;"
            " keep that file with the database, or set the secret yourself (docs/deploy.md).\n"
        )
    finally:
        draft.unlink()
    return path.read_text(encoding="utf-8").strip()


PRODUCTION_SETTINGS = ("ACCORD_SECRET_KEY", "ACCORD_KEK", "ACCORD_ALLOWED_HOSTS")
"""What the production server refuses to start without: nothing generated may stand in."""


def missing_production_settings() -> list[str]:
    """The production settings given neither as a variable nor as a ``<NAME>_FILE``."""
    return [
        name
        for name in PRODUCTION_SETTINGS
        if not os.environ.get(name) and not os.environ.get(f"{name}_FILE")
    ]


def production_refusal() -> str | None:
    """Why the production server must not start with this environment, or None when it may."""
    missing = missing_production_settings()
    if missing:
        return (
            f"The production server needs {', '.join(missing)}: set each (or <NAME>_FILE) as"
            " docs/deploy.md shows; nothing is generated for production."
        )
    if env_bool("ACCORD_DEBUG", default=False):
        return "The production server does not run with ACCORD_DEBUG on: unset it or set it false."
    return None
