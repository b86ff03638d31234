"""The permission matrix: docs/forum.md's table is the standard profile, walked cell by cell."""

import itertools
from pathlib import Path

import pytest

from accord.forum.profile import ACTING_ROLES, STANDINGS, standard, standard_may
from accord.forum.statements import rules_of_procedure, standing_of
from accord.ledger.envelope import SignedStatement, Statement
from accord.ledger.errors import NotAllowed
from accord.ledger.models import LogState
from accord.ledger.registry import Context, lookup
from tests.forum.world import ForumWorld

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "forum.md").read_text(encoding="utf-8")


def documented_matrix() -> dict[str, set[str]]:
    table = DOCS.split("### The standard profile")[1].split("\n\n")[1]
    header, _rule, *rows = table.splitlines()
    columns = [cell.strip() for cell in header.strip("|").split("|")][1:]
    assert columns == list(STANDINGS)
    grants: dict[str, set[str]] = {}
    for row in rows:
        kind, *cells = (cell.strip() for cell in row.strip("|").split("|"))
        grants[kind.strip("`")] = {
            f"{standing}:{role}"
            for standing, cell in zip(columns, cells, strict=True)
            for role in cell.split()
            if role != "—"
        }
    return grants


MATRIX = documented_matrix()
CELLS = list(itertools.product(sorted(MATRIX), STANDINGS, ACTING_ROLES))


def test_the_documented_matrix_is_the_standard_profile() -> None:
    assert {kind: set(grants) for kind, grants in standard_may().items()} == MATRIX


@pytest.mark.parametrize(("kind", "standing", "role"), CELLS)
def test_each_cell_of_the_matrix(kind: str, standing: str, role: str) -> None:
    expected = f"{standing}:{role}" in MATRIX[kind]
    assert standard().allows(kind, {standing}, role) is expected


def context(actor: str, by: str | None, kind: str) -> Context:
    statement = Statement(
        forum="forum.example/forum",
        kind=kind,
        v=1,
        actor=actor,
        seq=1,
        at="2025-01-30T09:00:00.000000Z",
        distribution="public",
        body={},
        by=by,
    )
    return Context(SignedStatement(statement, b"", ""), None, 0, None, LogState.objects.get(), None)  # type: ignore[arg-type]


# Every kind of person in the world: their party's real standings decide, through the rule.
PEOPLE = [
    ("AA", "aa.head", "head"),
    ("AA", "aa.delegate", "delegate"),
    ("AA", "aa.adviser", "adviser"),
    ("AA", None, "party"),
    ("BB", "bb.head", "head"),
    ("CC", "cc.head", "head"),
    ("CC", None, "party"),
    ("secretariat", "sec.clerk", "staff"),
    ("secretariat", None, "party"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("party", "handle", "role"), PEOPLE)
def test_the_rule_applies_the_matrix_to_real_standings(
    forum: ForumWorld, party: str, handle: str | None, role: str
) -> None:
    standing = standing_of(party, None, "secretariat")
    assert standing is not None
    held = standing.standings
    for kind in sorted(MATRIX):
        body = lookup(kind, 1)
        assert body is not None
        allowed = any(f"{standing}:{role}" in MATRIX[kind] for standing in held)
        ctx = context(party, handle, kind)
        if allowed:
            rules_of_procedure(body, ctx)
        else:
            with pytest.raises(NotAllowed) as refusal:
                rules_of_procedure(body, ctx)
            assert refusal.value.code == "not_permitted", f"{party}/{role}: {kind}"


@pytest.mark.django_db
def test_the_standings_of_the_world(forum: ForumWorld) -> None:
    def held(party: str) -> set[str]:
        standing = standing_of(party, None, "secretariat")
        assert standing is not None
        return standing.standings

    assert held("AA") == {"participating", "initiator", "chair"}
    assert held("BB") == {"participating", "initiator"}
    assert held("CC") == {"invited"}
    assert held("secretariat") == {"secretariat"}
    assert held("ZZ") == set()
    standing = standing_of("AA", "bb.head", "secretariat")
    assert standing is not None
    assert (standing.accredited_to, standing.role) == ("BB", "head")


def test_there_is_no_standing_before_the_forum_is_founded(db: None) -> None:
    assert standing_of("AA", None, "secretariat") is None


def test_a_grant_must_name_a_standing_and_a_role() -> None:
    with pytest.raises(ValueError, match="'member:head' is not standing:role"):
        standard(may={"forum.party.left": ["member:head"]})
