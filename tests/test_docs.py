"""Docs that drift from code fail the suite: every public name and command is documented."""

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup

from accord.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
TLOG_MODULES = sorted((ROOT / "accord" / "tlog").glob("[!_]*.py"))


def _public_names(module: Path) -> list[str]:
    names = []
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return [name for name in names if not name.startswith("_")]


@pytest.mark.parametrize("module", TLOG_MODULES, ids=lambda module: module.stem)
def test_every_public_name_of_accord_tlog_is_documented(module: Path) -> None:
    docs = (ROOT / "docs" / "transparency-log.md").read_text(encoding="utf-8")
    section = docs.split(f"### `accord.tlog.{module.stem}`")
    if module.stem == "errors":
        section = docs.split("### `accord.tlog` (errors)")
    assert len(section) == 2, f"docs/transparency-log.md has no section for {module.stem}"
    body = section[1].split("\n### ")[0]
    missing = [
        name for name in _public_names(module) if f"`{name}" not in body and f"{name}(" not in body
    ]
    assert missing == []


def _command_names(group: Any, prefix: str = "") -> set[str]:
    names = set()
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            names |= _command_names(command, f"{prefix}{name} ")
        else:
            names.add(prefix + name)
    return names


def test_every_cli_command_is_documented() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## accord (.+)$", docs, re.MULTILINE))
    commands = _command_names(typer.main.get_command(app))
    assert "log init" in commands
    assert commands <= documented, f"undocumented commands: {sorted(commands - documented)}"
