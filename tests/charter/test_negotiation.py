"""The negotiation cycle through the real actions, and each refusal the issue lists: the log
is unchanged after every refusal (``ForumWorld.refused`` checks size, entries and digest)."""

from datetime import timedelta
from functools import partial

import pytest

from accord.charter import actions, queries
from accord.charter.models import (
    Amendment,
    Decision,
    Document,
    Interpretation,
    Position,
    Provision,
    Revision,
    SilenceProcedure,
    Translation,
)
from accord.charter.statements import text_sha256, translation_is_current
from accord.charter.text import Provision as Plain
from accord.ledger.envelope import format_time
from accord.ledger.models import Entry, OutboxMessage
from accord.ledger.replay import replay
from accord.lib import clock
from tests.charter.world import AA_HEAD, BB_HEAD, CC_HEAD, SECRETARIAT, CharterWorld

pytestmark = pytest.mark.django_db


def _text(document: int, revision: int) -> dict[str, str]:
    return dict(
        Provision.objects.filter(document=document, revision=revision).values_list("eid", "text")
    )


def test_it_gives_the_document_a_draft_symbol_and_keeps_its_provisions(
    charter: CharterWorld,
) -> None:
    document = Document.objects.get(entry_index=charter.document)
    assert document.symbol == "FD.L/1/25"
    assert document.status == "draft"
    assert list(
        Provision.objects.filter(document=charter.document).values_list("eid", flat=True)
    ) == ["recs__rec_1", "chp_1", "chp_1__art_1", "chp_1__art_1__para_1", "chp_1__art_2"]
    entry = Entry.objects.get(index=charter.document)
    assert entry.kind == "charter.document.introduced"


def test_a_whole_cycle_reaches_a_decision_that_replay_reproduces(charter: CharterWorld) -> None:
    act = charter.forum.act
    doc = charter.document
    shall = act(
        partial(
            actions.amend,
            BB_HEAD,
            doc,
            "chp_1__art_2",
            "replace",
            text="Each Party should respect.",
        )
    )
    added = act(partial(actions.amend, AA_HEAD, doc, "chp_1__art_2", "insert_after", text="New."))
    act(partial(actions.state_position, AA_HEAD, shall.index, "object", "too weak"))
    act(partial(actions.state_position, AA_HEAD, shall.index, "reserve"))
    assert Position.objects.filter(amendment=shall.index).count() == 2
    assert Position.objects.get(amendment=shall.index, current=True).stance == "reserve"
    act(partial(actions.revise, AA_HEAD, doc, incorporate=[added.index], drop=[shall.index]))
    rev1 = _text(doc, 1)
    assert rev1["chp_1__art_2bis"] == "New."
    assert Amendment.objects.get(entry_index=added.index).new_eid == "chp_1__art_2bis"
    assert Provision.objects.get(document=doc, revision=1, eid="chp_1__art_2bis").num == "2 bis"
    revision = Revision.objects.get(document=doc, number=1)
    assert revision.brackets == 0
    assert revision.dropped == [shall.index]
    until = format_time(charter.forum.ticking.moment + timedelta(hours=48))
    opened = act(partial(actions.open_silence, AA_HEAD, doc, 1, until))
    assert Document.objects.get(entry_index=doc).status == "under_silence"
    assert OutboxMessage.objects.filter(entry_index=opened.index).count() == 4  # AA three, BB one
    charter.later(49)
    with clock.simulated(charter.forum.ticking):
        done = actions.conclude_due(clock.now())
    assert len(done) == 1
    assert "Concluded" in done[0]
    decision = Decision.objects.get()
    assert decision.symbol == "FD.DEC/1/25"
    assert decision.joined == ["AA", "BB"]
    assert Document.objects.get(entry_index=doc).status == "adopted"
    act(partial(actions.interpret, BB_HEAD, decision.entry_index, "BB reads article 2 so."))
    assert Interpretation.objects.get().party == "BB"
    assert replay().full_digest == replay().full_digest
    result = replay()
    assert result.entries == Entry.objects.count()


def test_a_break_before_the_deadline_makes_the_conclusion_broken(charter: CharterWorld) -> None:
    act = charter.forum.act
    until = format_time(charter.forum.ticking.moment + timedelta(hours=30))
    opened = act(partial(actions.open_silence, AA_HEAD, charter.document, 0, until))
    act(partial(actions.break_silence, BB_HEAD, opened.index, "We need more time"))
    charter.forum.refused(
        "broken_already", partial(actions.break_silence, BB_HEAD, opened.index, "again")
    )
    charter.forum.refused("not_yet", partial(actions.conclude_silence, SECRETARIAT, opened.index))
    charter.later(31)
    charter.forum.refused(
        "silence_ended", partial(actions.break_silence, AA_HEAD, opened.index, "late")
    )
    charter.forum.refused(
        "wrong_outcome", partial(actions.conclude_silence, SECRETARIAT, opened.index, "adopted")
    )
    act(partial(actions.conclude_silence, SECRETARIAT, opened.index))
    assert SilenceProcedure.objects.get().status == "broken"
    assert Document.objects.get(entry_index=charter.document).status == "draft"
    assert not Decision.objects.exists()


def test_it_refuses_amending_what_does_not_exist_or_was_deleted(charter: CharterWorld) -> None:
    doc = charter.document
    charter.forum.refused("no_provision", partial(actions.amend, BB_HEAD, doc, "art_99", "delete"))
    deletion = charter.forum.act(partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "delete"))
    charter.forum.act(partial(actions.revise, AA_HEAD, doc, incorporate=[deletion.index]))
    charter.forum.refused(
        "deleted", partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "replace", text="x")
    )


def test_it_refuses_who_may_not_act(charter: CharterWorld) -> None:
    doc = charter.document
    amendment = charter.forum.act(
        partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "replace", text="Other.")
    )
    charter.forum.refused(
        "not_permitted", partial(actions.state_position, CC_HEAD, amendment.index, "support")
    )
    charter.forum.refused("not_permitted", partial(actions.revise, BB_HEAD, doc))
    charter.forum.refused("not_sponsor", partial(actions.withdraw, AA_HEAD, amendment.index))


def test_it_refuses_a_silence_outside_the_bounds_and_amending_an_adopted_text(
    charter: CharterWorld,
) -> None:
    doc = charter.document
    moment = charter.forum.ticking.moment
    soon = format_time(moment + timedelta(hours=2))
    charter.forum.refused("out_of_bounds", partial(actions.open_silence, AA_HEAD, doc, 0, soon))
    until = format_time(moment + timedelta(hours=25))
    charter.forum.act(partial(actions.open_silence, AA_HEAD, doc, 0, until))
    charter.forum.refused(
        "under_silence", partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "delete")
    )
    charter.later(26)
    with clock.simulated(charter.forum.ticking):
        actions.conclude_due(clock.now())
    charter.forum.refused("adopted", partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "delete"))
    decision = Decision.objects.get().entry_index
    charter.forum.refused("not_permitted", partial(actions.interpret, CC_HEAD, decision, "x"))
    charter.later(24 * 4)
    charter.forum.refused("window_closed", partial(actions.interpret, BB_HEAD, decision, "x"))


def test_a_translation_becomes_outdated_when_the_original_changes(charter: CharterWorld) -> None:
    doc = charter.document
    charter.forum.act(
        partial(
            actions.translate,
            BB_HEAD,
            doc,
            "chp_1__art_2",
            "ru",
            heading="Безопасность",
            text="Каждая Сторона уважает неделимость безопасности.",
        )
    )
    translation = Translation.objects.get()
    original = Provision.objects.get(document=doc, revision=0, eid="chp_1__art_2")
    assert translation_is_current(translation, original.heading, original.text)
    change = charter.forum.act(
        partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "replace", text="Changed.")
    )
    charter.forum.act(partial(actions.revise, AA_HEAD, doc, incorporate=[change.index]))
    new = Provision.objects.get(document=doc, revision=1, eid="chp_1__art_2")
    assert not translation_is_current(translation, new.heading, new.text)
    charter.forum.refused(
        "not_official",
        partial(actions.translate, BB_HEAD, doc, "chp_1__art_2", "de", heading="S", text="T"),
    )


def test_markup_is_kept_as_text(charter: CharterWorld) -> None:
    script = "<script>alert(1)</script> & more"
    done = charter.forum.act(
        partial(actions.amend, BB_HEAD, charter.document, "chp_1__art_2", "replace", text=script)
    )
    assert Amendment.objects.get(entry_index=done.index).text == script


def test_the_revision_text_hash_is_the_hash_of_its_provisions(charter: CharterWorld) -> None:
    body = actions.revision_body(charter.document, [], [])
    assert body["sha256"] == text_sha256([Plain.from_json(p) for p in body["provisions"]])
    assert body["number"] == 1


def test_the_compilation_shows_options_with_sponsors_and_tallies(charter: CharterWorld) -> None:
    doc = charter.document
    one = charter.forum.act(
        partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "replace", text="Option one.")
    )
    charter.forum.act(partial(actions.cosponsor, AA_HEAD, one.index))
    charter.forum.act(partial(actions.state_position, AA_HEAD, one.index, "support"))
    charter.forum.act(partial(actions.state_position, BB_HEAD, one.index, "object"))
    found = queries.document(doc)
    assert found is not None
    compiled = queries.compilation(found)
    assert compiled.brackets == 1
    (bracketed,) = [c for c in compiled.provisions if c.options]
    (option,) = bracketed.options
    assert option.sponsors == ("State B", "State A")
    assert option.tally == {"support": 1, "accept": 0, "reserve": 0, "object": 1}
    assert not bracketed.agreeable
    assert queries.objections(found).keys() == {"BB"}
    assert queries.convergence(found) == [("FD.L/1/25", 1)]
    assert queries.resolve("FD.L/1/25") == found


def test_a_new_forum_is_founded_with_the_charter_section_and_a_bad_one_is_refused() -> None:
    from pydantic import ValidationError  # noqa: PLC0415

    from accord.forum.profile import Profile, standard  # noqa: PLC0415

    profile = standard()
    assert profile.sections["charter"] == {"interpretation_hours": 72}
    wrong = profile.model_dump(mode="json") | {"sections": {"charter": {"interpretation_hours": 0}}}
    with pytest.raises(ValidationError, match="interpretation_hours"):
        Profile.model_validate(wrong)
