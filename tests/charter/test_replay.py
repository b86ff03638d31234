"""Replay rebuilds every charter projection from the log alone and reaches the live digest.

The history holds every charter kind: a document imported from Markdown, a translation,
amendments of every action with a co-sponsor and a withdrawal, positions stated and changed,
two revisions (replacing, inserting before and after, deleting, dropping, keeping one in
brackets), a silence broken and a silence adopted, the decision and an interpretative
statement. ``accord replay --compare`` is the operator's way to ask the same question, and
it must notice a projection that drifted from the log. The suite runs again on PostgreSQL
(``make pytest-postgres``), where the same history reaches the same digest.
"""

from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.charter import actions, formats
from accord.charter.models import Decision, Document, Position, Provision, SilenceProcedure
from accord.cli.main import app
from accord.ledger.digest import digest
from accord.ledger.envelope import format_time
from accord.ledger.models import Entry, LogState
from accord.ledger.registry import KINDS
from accord.ledger.replay import replay
from accord.lib import clock
from tests.charter.world import AA_HEAD, BB_HEAD, SECRETARIAT, CharterWorld

pytestmark = pytest.mark.django_db

MARKDOWN = """# Charter of Dialogue

Recalling the principles of sovereign equality,

Convinced that security is indivisible,

## Chapter I — Principles

### Article 1 — Purpose

1. The Parties establish a forum for dialogue.
2. The forum meets once a year.

### Article 2 — Security

Each Party shall respect the indivisibility of security.

### Article 3 — Dialogue

The Parties shall consult one another.

## Chapter II — Final provisions

### Article 4 — Entry into force

This Charter enters into force on signature.
"""


def _silence(charter: CharterWorld, document: int, revision: int, hours: int) -> int:
    until = format_time(charter.forum.ticking.moment + timedelta(hours=hours))
    opened = charter.act(partial(actions.open_silence, AA_HEAD, document, revision, until))
    return opened.index  # type: ignore[attr-defined, no-any-return]


def _conclude_due(charter: CharterWorld) -> list[str]:
    with clock.simulated(charter.forum.ticking):
        return actions.conclude_due(clock.now())


def _negotiate(charter: CharterWorld) -> dict[str, int]:
    """The whole cycle on an imported document; the size of the log after Rev.1 as well."""
    act = charter.forum.act
    draft = formats.read(MARKDOWN.encode(), "charter.md", language="en")
    doc = act(
        partial(
            actions.introduce,
            AA_HEAD,
            draft.title,
            draft.language,
            actions.provisions_of(draft.provisions),
        )
    ).index
    act(
        partial(
            actions.translate,
            SECRETARIAT,
            doc,
            "chp_I__art_2",
            "ru",
            heading="Безопасность",
            text="Каждая Сторона уважает неделимость безопасности.",
        )
    )
    amend = partial(actions.amend, document=doc)
    replace = act(
        partial(amend, BB_HEAD, provision="chp_I__art_2", action="replace", text="Shall respect.")
    ).index
    before = act(
        partial(amend, AA_HEAD, provision="chp_I__art_1", action="insert_before", text="First.")
    ).index
    after = act(
        partial(amend, BB_HEAD, provision="chp_I__art_3", action="insert_after", text="Then.")
    ).index
    delete = act(partial(amend, BB_HEAD, provision="chp_I__art_1__para_2", action="delete")).index
    dropped = act(
        partial(amend, AA_HEAD, provision="chp_II__art_4", action="replace", text="On ratifying.")
    ).index
    kept = act(
        partial(amend, BB_HEAD, provision="chp_II__art_4", action="replace", text="After a year.")
    ).index
    withdrawn = act(partial(amend, BB_HEAD, provision="recs__rec_2", action="delete")).index
    act(partial(actions.cosponsor, AA_HEAD, replace))
    act(partial(actions.withdraw, BB_HEAD, withdrawn))
    act(partial(actions.state_position, AA_HEAD, kept, "object", "too slow"))
    act(partial(actions.state_position, AA_HEAD, kept, "reserve"))
    act(partial(actions.state_position, BB_HEAD, dropped, "object"))
    act(
        partial(
            actions.revise,
            AA_HEAD,
            doc,
            incorporate=[replace, before, after, delete],
            drop=[dropped],
        )
    )
    after_rev1 = LogState.objects.get().size
    act(partial(actions.state_position, AA_HEAD, kept, "accept"))
    act(partial(actions.revise, AA_HEAD, doc, incorporate=[kept]))
    broken = _silence(charter, doc, 2, 30)
    act(partial(actions.break_silence, BB_HEAD, broken, "More time", "Keep Rev.1"))
    charter.later(31)
    assert len(_conclude_due(charter)) == 1
    adopted = _silence(charter, doc, 2, 25)
    charter.later(26)
    assert len(_conclude_due(charter)) == 1
    decision = Decision.objects.get().entry_index
    act(partial(actions.interpret, BB_HEAD, decision, "BB reads article 2 as binding."))
    return {"document": doc, "after_rev1": after_rev1, "broken": broken, "adopted": adopted}


@pytest.fixture
def negotiated(charter: CharterWorld) -> dict[str, int]:
    return _negotiate(charter)


def test_the_history_holds_every_charter_kind(negotiated: dict[str, int]) -> None:
    charter_kinds = {kind for kind, _v in KINDS if kind.startswith("charter.")}
    assert set(Entry.objects.values_list("kind", flat=True)) >= charter_kinds
    document = Document.objects.get(entry_index=negotiated["document"])
    assert (document.status, document.revision) == ("adopted", 2)
    statuses = dict(SilenceProcedure.objects.values_list("entry_index", "status"))
    assert statuses == {negotiated["broken"]: "broken", negotiated["adopted"]: "adopted"}
    rev1 = list(
        Provision.objects.filter(document=document.entry_index, revision=1).values_list(
            "eid", flat=True
        )
    )
    assert "chp_I__art_1ante" in rev1
    assert "chp_I__art_3bis" in rev1
    assert "chp_I__art_1__para_2" not in rev1


def test_replay_reproduces_the_live_digest(negotiated: dict[str, int]) -> None:
    live_public, live_full = digest(full=False), digest(full=True)
    replayed = replay()
    assert replayed.entries == Entry.objects.count()
    assert (replayed.public_digest, replayed.full_digest) == (live_public, live_full)
    assert digest(full=True) == live_full  # replay changed nothing


def test_replay_of_a_prefix_is_the_state_as_it_stood_then(charter: CharterWorld) -> None:
    """The digest after Rev.1, recorded live, is what replaying that many entries gives."""
    act = charter.forum.act
    one = act(
        partial(actions.amend, BB_HEAD, charter.document, "chp_1__art_2", "replace", text="Other.")
    )
    act(partial(actions.revise, AA_HEAD, charter.document, incorporate=[one.index]))
    size, then = LogState.objects.get().size, digest(full=True)
    two = act(partial(actions.amend, BB_HEAD, charter.document, "chp_1__art_2", "delete"))
    act(partial(actions.state_position, AA_HEAD, two.index, "object"))
    assert LogState.objects.get().size == size + 2
    assert replay(size=size).full_digest == then
    assert replay().full_digest == digest(full=True) != then


@pytest.fixture
def cli_host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Where ``accord`` keeps what it has verified: in the test's own folder."""
    monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / "seen"))


def test_replay_compare_passes_on_the_charter_history(
    negotiated: dict[str, int], cli_host: None
) -> None:
    done = CliRunner().invoke(app, ["replay", "--compare"])
    assert done.exit_code == 0, done.output
    assert "The live database matches the log." in done.output
    assert f"Replayed {Entry.objects.count()} entries." in done.output


@pytest.mark.parametrize(
    "drift",
    [
        "position",
        "provision",
        "decision",
    ],
)
def test_replay_compare_names_a_charter_projection_that_drifted(
    negotiated: dict[str, int], cli_host: None, drift: str
) -> None:
    """A stance, a word of the adopted text or a decision's parties changed behind the log's
    back: the digest covers each, so the comparison fails and the log is untouched."""
    if drift == "position":
        Position.objects.filter(current=True, stance="accept").update(stance="object")
    elif drift == "provision":
        Provision.objects.filter(document=negotiated["document"], revision=2).filter(
            eid="chp_I__art_2"
        ).update(text="Shall ignore.")
    else:
        Decision.objects.update(joined=["AA"])
    size = Entry.objects.count()
    done = CliRunner().invoke(app, ["replay", "--compare"])
    assert done.exit_code == 1
    assert "the live projections differ from the log" in done.output
    assert Entry.objects.count() == size
