"""The layers point one way: front imports no domain app, people only the ledger and lib,
and no domain app is imported by people. Read from the source, so a lazy import inside a
function counts as much as one at the top."""

import ast
from pathlib import Path

import accord

ROOT = Path(accord.__file__).parent
DOMAIN_APPS = ("forum", "charter", "csbm", "dialogue", "people")


def _imported(folder: str) -> dict[str, set[str]]:
    """Every ``accord.*`` module each Python file under ``accord/<folder>`` imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from accord import forum`` names the app only in the alias.
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(ROOT))] = {n for n in names if n.startswith("accord.")}
    return found


def _app(module: str) -> str:
    return module.split(".")[1]


def test_front_imports_no_domain_app() -> None:
    offending = {
        path: sorted(m for m in modules if _app(m) in DOMAIN_APPS)
        for path, modules in _imported("front").items()
    }
    assert {path: m for path, m in offending.items() if m} == {}


def test_people_imports_only_the_ledger_and_lib() -> None:
    allowed = {"people", "ledger", "lib"}
    offending = {
        path: sorted(m for m in modules if _app(m) not in allowed)
        for path, modules in _imported("people").items()
    }
    assert {path: m for path, m in offending.items() if m} == {}


def test_the_walk_sees_the_imports_it_judges() -> None:
    # Guards the two tests above against passing because the walk found nothing.
    assert "accord.ledger.outbox" in _imported("people")["people/actions.py"]
    assert "accord.people.actions" in _imported("forum")["forum/actions.py"]
