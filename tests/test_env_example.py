"""`.env.example` lists every setting Accord reads, so an operator never has to read code."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_read_is_listed_in_env_example() -> None:
    read: set[str] = set()
    for source in (ROOT / "accord").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        read |= set(re.findall(r"env_\w+\(\s*\"([A-Z_]+)\"", text))
        read |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z_]+)\"", text))
    read |= set(re.findall(r"\"(ACCORD_[A-Z_]+)\"", (ROOT / "tests" / "postgres.py").read_text()))
    listed = set(re.findall(r"^# ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read, "no settings found; the pattern above has gone stale"
    assert read - listed == set(), f"settings missing from .env.example: {sorted(read - listed)}"
