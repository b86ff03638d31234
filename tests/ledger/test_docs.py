"""docs/<app>.md documents every registered statement kind, word for word and field by field."""

from pathlib import Path

import pytest

from accord.ledger.registry import KINDS, Body, docs_paragraph

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("kind", sorted(KINDS), ids=lambda kind: f"{kind[0]}-v{kind[1]}")
def test_every_statement_kind_is_documented(kind: tuple[str, int]) -> None:
    model: type[Body] = KINDS[kind]
    page = f"{kind[0].split('.')[0]}.md"
    docs = (DOCS_DIR / page).read_text(encoding="utf-8")
    heading = f"### {kind[0]} v{kind[1]}\n"
    assert heading in docs, f"docs/{page} has no section {heading.strip()!r}"
    section = docs.split(heading)[1].split("\n### ")[0]
    assert docs_paragraph(model) in " ".join(section.split())
    for field in model.model_fields:
        assert f"`{field}`" in section, f"{kind[0]}: field {field} is not documented"
