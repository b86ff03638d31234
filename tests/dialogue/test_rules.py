"""The conference's rules under attack: every act a party or the chair may not do is refused
with its code, and the log is left exactly as it was (``ForumWorld.refused``)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import pytest

from accord.charter import actions as charter_actions
from accord.charter.models import Decision, Interpretation
from accord.dialogue import actions
from accord.dialogue.models import (
    Circulated,
    DeliveredStatement,
    Inscription,
    Meeting,
    Objection,
    Question,
)
from accord.dialogue.rules import dialogue_rules
from accord.forum import actions as forum_actions
from accord.forum.actions import Actor
from accord.ledger import disclosure
from accord.ledger.digest import digest
from accord.ledger.envelope import format_time
from accord.ledger.errors import Rejected
from accord.ledger.models import Entry
from accord.ledger.submit import Accepted
from accord.lib.canonical import CanonicalError
from tests.dialogue.world import (
    AA_DELEGATE,
    AA_HEAD,
    BB_HEAD,
    CC_HEAD,
    OPENS,
    SECRETARIAT,
    ConferenceWorld,
    at,
)

pytestmark = pytest.mark.django_db

T = TypeVar("T")


def act(w: ConferenceWorld, action: Callable[[], T]) -> T:
    return w.charter.forum.act(action)


def refused(w: ConferenceWorld, code: str, action: Callable[[], object]) -> Rejected:
    return w.charter.forum.refused(code, action)


ITEM = "2"


def _opened(w: ConferenceWorld) -> int:
    act(w, lambda: actions.open_list(AA_HEAD, w.opening, ITEM))
    return w.opening


def _inscribed(w: ConferenceWorld, actor: Actor, speaker: str) -> int:
    m = w.opening
    return act(w, lambda: actions.inscribe(actor, m, ITEM, speaker=speaker)).index


def _spoken(w: ConferenceWorld) -> None:
    """AA and BB inscribed on item 2 and both given the floor (BB first, by level)."""
    _opened(w)
    _inscribed(w, AA_HEAD, "aa.head")
    _inscribed(w, BB_HEAD, "bb.head")
    act(w, lambda: actions.give_floor(AA_HEAD, w.opening, ITEM))
    act(w, lambda: actions.give_floor(AA_HEAD, w.opening, ITEM))


def _asked(w: ConferenceWorld) -> int:
    return act(
        w, lambda: actions.ask(AA_HEAD, w.opening, ITEM, document=w.document, revision=0)
    ).index


@dataclass
class Second:
    """A second edition a week later: its agenda proposed, not adopted; BB named a delegation
    and submitted no credentials; AA named one and did."""

    edition: int
    opening: int
    other: int


def _second(w: ConferenceWorld) -> Second:
    days = OPENS + timedelta(days=7)

    def build() -> Second:
        edition = actions.create(
            AA_HEAD,
            series="first-conference",
            series_title="Conference for Dialogue",
            title="Second Conference",
            city="Minsk",
            time_zone="Europe/Minsk",
            starts_on="2025-11-06",
            ends_on="2025-11-07",
            chair="AA",
            languages=["en", "ru"],
        ).index
        opening = actions.add_meeting(
            AA_HEAD,
            edition,
            title="Opening plenary",
            starts_at=at(days),
            ends_at=at(days + timedelta(hours=2)),
            room="Room A",
            languages=["en"],
        ).index
        other = actions.add_meeting(
            AA_HEAD,
            edition,
            title="Second plenary",
            starts_at=at(days + timedelta(hours=3)),
            ends_at=at(days + timedelta(hours=5)),
            room="Room A",
            languages=["en"],
        ).index
        actions.propose_agenda(AA_HEAD, edition, [{"number": "1", "title": "Opening"}])
        actions.name_delegation(
            AA_HEAD, edition, [{"handle": "aa.head", "function": "head", "level": "minister"}]
        )
        actions.submit_credentials(
            AA_HEAD, edition, issuer="foreign_minister", instrument="cable", dated="2025-10-01"
        )
        actions.name_delegation(
            BB_HEAD, edition, [{"handle": "bb.head", "function": "head", "level": "minister"}]
        )
        return Second(edition, opening, other)

    return act(w, build)


# -- the speakers' list ---------------------------------------------------------------------------


def test_inscription_before_the_list_opens_is_refused(conference: ConferenceWorld) -> None:
    w = conference
    refused(w, "no_list", lambda: actions.inscribe(AA_HEAD, w.opening, ITEM, speaker="aa.head"))


def test_inscription_after_the_list_closes_is_refused_but_a_point_of_order_is_not(
    conference: ConferenceWorld,
) -> None:
    w = conference
    m = _opened(w)
    act(w, lambda: actions.close_list(AA_HEAD, m, ITEM))
    refused(w, "list_closed", lambda: actions.inscribe(BB_HEAD, m, ITEM, speaker="bb.head"))
    act(w, lambda: actions.inscribe(BB_HEAD, m, ITEM, speaker="bb.head", point_of_order=True))
    assert Inscription.objects.get(party="BB").kind == "point_of_order"


def test_a_party_inscribes_once_per_item(conference: ConferenceWorld) -> None:
    w = conference
    m = _opened(w)
    _inscribed(w, AA_HEAD, "aa.head")
    refused(w, "inscribed", lambda: actions.inscribe(AA_DELEGATE, m, ITEM, speaker="aa.delegate"))


def test_replies_beyond_the_cap_are_refused(conference: ConferenceWorld) -> None:
    w = conference
    _spoken(w)
    cap = dialogue_rules().reply_cap
    assert cap >= 1
    for _ in range(cap):
        act(w, lambda: actions.reply(BB_HEAD, w.opening, ITEM, to="AA", speaker="bb.head"))
    refused(
        w, "reply_cap", lambda: actions.reply(BB_HEAD, w.opening, ITEM, to="AA", speaker="bb.head")
    )
    assert Inscription.objects.filter(kind="reply", party="BB").count() == cap


def test_a_party_does_not_reply_to_itself(conference: ConferenceWorld) -> None:
    w = conference
    _spoken(w)
    refused(
        w,
        "reply_to_self",
        lambda: actions.reply(AA_HEAD, w.opening, ITEM, to="AA", speaker="aa.head"),
    )


def test_no_reply_to_a_party_that_has_not_spoken(conference: ConferenceWorld) -> None:
    w = conference
    _opened(w)
    _inscribed(w, AA_HEAD, "aa.head")  # inscribed, but not given the floor
    refused(
        w, "not_spoken", lambda: actions.reply(BB_HEAD, w.opening, ITEM, to="AA", speaker="bb.head")
    )


def test_the_floor_goes_only_to_the_next_speaker(conference: ConferenceWorld) -> None:
    w = conference
    _opened(w)
    aa = _inscribed(w, AA_HEAD, "aa.head")
    _inscribed(w, BB_HEAD, "bb.head")  # head of government: before AA's minister
    refused(w, "out_of_order", lambda: actions.give_floor(AA_HEAD, w.opening, ITEM, inscription=aa))


# -- a delegation without credentials -------------------------------------------------------------


def test_an_invited_party_without_a_delegation_or_credentials_does_not_act(
    conference: ConferenceWorld,
) -> None:
    """CC is only invited: the rules profile grants it none of a delegation's acts, so the
    refusal comes before the kind's own check for credentials."""
    w = conference
    _spoken(w)
    m = w.opening
    refused(w, "not_permitted", lambda: actions.inscribe(CC_HEAD, m, ITEM, speaker="cc.head"))
    refused(w, "not_permitted", lambda: actions.reply(CC_HEAD, m, ITEM, to="AA", speaker="cc.head"))
    refused(
        w,
        "not_permitted",
        lambda: actions.circulate_and_deliver(CC_HEAD, m, ITEM, title="T", language="en", text="x"),
    )
    assert not Circulated.objects.filter(party="CC").exists()
    question = _asked(w)
    refused(w, "not_permitted", lambda: actions.object_to(CC_HEAD, question))


def test_a_delegation_named_without_credentials_does_not_act(conference: ConferenceWorld) -> None:
    w = conference
    second = _second(w)
    m = second.opening
    refused(w, "no_credentials", lambda: actions.inscribe(BB_HEAD, m, "1", speaker="bb.head"))
    refused(w, "no_credentials", lambda: actions.reply(BB_HEAD, m, "1", to="AA", speaker="bb.head"))
    refused(
        w,
        "no_credentials",
        lambda: actions.circulate_and_deliver(BB_HEAD, m, "1", title="T", language="en", text="x"),
    )
    w.forum.ticking.moment = OPENS + timedelta(days=7, minutes=1)  # the opening has begun
    act(w, lambda: actions.adopt_agenda(AA_HEAD, second.edition, m))
    question = act(w, lambda: actions.ask(AA_HEAD, m, "1", document=w.document, revision=0)).index
    refused(w, "no_credentials", lambda: actions.object_to(BB_HEAD, question))


def test_an_observer_present_with_credentials_does_not_object(conference: ConferenceWorld) -> None:
    w = conference
    dd = Actor("DD", "dd.head")

    def observer() -> None:
        forum_actions.invite(AA_HEAD, "DD", "State D", capacity="observer")
        forum_actions.answer(Actor("DD"), "accepted")
        forum_actions.add_person("dd.head", party="DD", role="head", email="dd@example.org")
        forum_actions.accredit(Actor("DD"), "dd.head", "head")
        actions.name_delegation(
            dd, w.edition, [{"handle": "dd.head", "function": "head", "level": "ambassador"}]
        )
        actions.submit_credentials(
            dd, w.edition, issuer="foreign_minister", instrument="cable", dated="2025-10-01"
        )

    act(w, observer)
    question = _asked(w)
    # The standard profile grants the objection to participating parties only, so the rules of
    # procedure refuse before the kind's own check (not_participating) is reached.
    refused(w, "not_permitted", lambda: actions.object_to(dd, question))
    assert not Objection.objects.exists()


# -- the chair's acts -----------------------------------------------------------------------------


def test_only_the_chair_runs_the_list_and_the_decisions(conference: ConferenceWorld) -> None:
    w = conference
    m = w.opening
    refused(w, "not_chair", lambda: actions.open_list(BB_HEAD, m, ITEM))
    _opened(w)
    refused(w, "not_chair", lambda: actions.close_list(BB_HEAD, m, ITEM))
    inscription = _inscribed(w, AA_HEAD, "aa.head")
    refused(w, "not_chair", lambda: actions.give_floor(BB_HEAD, m, ITEM, inscription=inscription))
    refused(w, "not_chair", lambda: actions.ask(BB_HEAD, m, ITEM, document=w.document, revision=0))
    question = _asked(w)
    w.later(11)
    refused(w, "not_chair", lambda: actions.declare(BB_HEAD, question))


def test_adoption_is_declared_only_after_the_window_and_without_objection(
    conference: ConferenceWorld,
) -> None:
    w = conference
    question = _asked(w)
    refused(w, "window_open", lambda: actions.declare(AA_HEAD, question))
    act(w, lambda: actions.object_to(BB_HEAD, question, reason="Not yet."))
    w.later(dialogue_rules().objection_minutes + 1)
    refused(w, "objection_recorded", lambda: actions.declare(AA_HEAD, question))
    assert Question.objects.get(entry_index=question).status == "asked"


def test_an_objection_after_the_window_is_refused(conference: ConferenceWorld) -> None:
    w = conference
    question = _asked(w)
    w.later(dialogue_rules().objection_minutes + 1)
    refused(w, "window_closed", lambda: actions.object_to(BB_HEAD, question))


# -- restricted statements ------------------------------------------------------------------------


def _restricted(w: ConferenceWorld, text: str) -> tuple[int, int]:
    _opened(w)
    sent = act(
        w,
        lambda: actions.circulate_and_deliver(
            AA_HEAD,
            w.opening,
            ITEM,
            title="Restricted",
            language="en",
            text=text,
            distribution="restricted",
        ),
    )
    return sent[0].index, sent[1].index


def test_a_derestriction_needs_a_decision_that_names_the_statement(
    conference: ConferenceWorld,
) -> None:
    w = conference
    _circulated, delivered = _restricted(w, "Only for the room.")
    refused(
        w, "no_derestriction", lambda: actions.derestrict(AA_HEAD, delivered, decision=delivered)
    )
    question = _asked(w)  # derestricts nothing
    w.later(dialogue_rules().objection_minutes + 1)
    act(w, lambda: actions.declare(AA_HEAD, question))
    decision = Question.objects.get(entry_index=question).decision
    assert decision is not None
    refused(
        w, "no_derestriction", lambda: actions.derestrict(AA_HEAD, delivered, decision=decision)
    )
    assert DeliveredStatement.objects.get(entry_index=delivered).is_restricted


def test_a_restricted_text_is_not_in_the_log_and_reaches_only_the_entitled(
    conference: ConferenceWorld,
) -> None:
    w = conference
    secret = "The delegation proposes a ceasefire line along the river Sozh."
    circulated, _delivered = _restricted(w, secret)
    for entry in Entry.objects.all():
        assert secret.encode() not in bytes(entry.leaf)
    assert Circulated.objects.get(entry_index=circulated).commitment
    assert set(disclosure.restricted_statement(circulated).body) == {"commitment"}
    with pytest.raises(disclosure.NotEntitled):
        disclosure.copy_for(circulated, "CC")
    copy = disclosure.copy_for(circulated, "BB")
    assert copy.matches
    assert copy.body is not None
    assert copy.body["text"] == secret


def test_markup_is_kept_as_plain_text(conference: ConferenceWorld) -> None:
    w = conference
    _opened(w)
    text = '<script>alert("x")</script> <b>bold</b> &amp; <a href="javascript:x">link</a>'
    sent = act(
        w,
        lambda: actions.circulate_and_deliver(
            AA_HEAD, w.opening, ITEM, title="<i>Title</i>", language="en", text=text
        ),
    )
    row = Circulated.objects.get(entry_index=sent[0].index)
    assert (row.title, row.text) == ("<i>Title</i>", text)


@pytest.mark.parametrize("bad", ["\x07", "\x1b[31m", "\x0b"])
def test_control_characters_in_a_text_are_refused(conference: ConferenceWorld, bad: str) -> None:
    w = conference
    _opened(w)
    refused(
        w,
        "bad_body",
        lambda: actions.circulate_and_deliver(
            AA_HEAD, w.opening, ITEM, title="T", language="en", text=f"Peace {bad}now."
        ),
    )
    refused(
        w,
        "bad_body",
        lambda: actions.add_meeting(
            AA_HEAD,
            w.edition,
            title=f"Side {bad}event",
            starts_at=at(OPENS + timedelta(hours=8)),
            ends_at=at(OPENS + timedelta(hours=9)),
            room="Room C",
            languages=["en"],
        ),
    )


# -- meetings and the agenda ----------------------------------------------------------------------


def _meeting_in(
    w: ConferenceWorld, room: str, start_hours: float, end_hours: float
) -> Callable[[], Accepted]:
    return lambda: actions.add_meeting(
        SECRETARIAT,
        w.edition,
        title="Side meeting",
        starts_at=at(OPENS + timedelta(hours=start_hours)),
        ends_at=at(OPENS + timedelta(hours=end_hours)),
        room=room,
        languages=["en"],
    )


def test_meetings_do_not_clash_in_one_room(conference: ConferenceWorld) -> None:
    w = conference
    for room in ("Room A", "room a", "ROOM A"):
        refused(w, "room_clash", _meeting_in(w, room, 2, 4))
        refused(w, "room_clash", _meeting_in(w, room, -1, 0.5))
        refused(w, "room_clash", _meeting_in(w, room, 1, 2))
    before = Meeting.objects.count()
    act(w, _meeting_in(w, "ROOM A", 3, 4))  # adjacent: allowed
    act(w, _meeting_in(w, "room a", -1, 0))
    act(w, _meeting_in(w, "Room C", 1, 2))  # another room
    assert Meeting.objects.count() == before + 3


def test_a_meeting_falls_within_the_editions_days(conference: ConferenceWorld) -> None:
    w = conference
    # 23:00 in Minsk the day before (20:00 UTC)
    refused(w, "outside_edition", _meeting_in(w, "Room C", -11, -10))
    refused(w, "outside_edition", _meeting_in(w, "Room C", 48, 49))
    refused(w, "outside_edition", _meeting_in(w, "Room C", 30, 50))
    act(w, _meeting_in(w, "Room C", -9.5, -9))  # 00:30 in Minsk: the first day
    assert Meeting.objects.filter(room="Room C").count() == 1


def test_the_agenda_is_adopted_by_the_chair_at_the_opening_meeting_once_begun(
    conference: ConferenceWorld,
) -> None:
    w = conference
    second = _second(w)
    refused(w, "not_chair", lambda: actions.adopt_agenda(BB_HEAD, second.edition, second.opening))
    refused(w, "not_opening", lambda: actions.adopt_agenda(AA_HEAD, second.edition, second.other))
    refused(w, "not_begun", lambda: actions.adopt_agenda(AA_HEAD, second.edition, second.opening))
    w.charter.forum.ticking.moment = OPENS + timedelta(days=7, minutes=1)
    refused(w, "not_opening", lambda: actions.adopt_agenda(AA_HEAD, second.edition, second.other))
    act(w, lambda: actions.adopt_agenda(AA_HEAD, second.edition, second.opening))
    refused(
        w, "agenda_adopted", lambda: actions.adopt_agenda(AA_HEAD, second.edition, second.opening)
    )


# -- journals, credentials, delegations -----------------------------------------------------------


def test_a_journal_is_the_logs_issued_once_by_the_secretariat(
    conference: ConferenceWorld,
) -> None:
    w = conference
    m = w.opening
    refused(w, "journal_mismatch", lambda: actions.issue_journal(SECRETARIAT, m, sha256="a" * 64))
    refused(w, "not_permitted", lambda: actions.issue_journal(AA_HEAD, m))
    act(w, lambda: actions.issue_journal(SECRETARIAT, m))
    refused(w, "journal_issued", lambda: actions.issue_journal(SECRETARIAT, m))


def test_credentials_are_accepted_only_while_provisional(conference: ConferenceWorld) -> None:
    w = conference
    e = w.edition
    refused(  # AA's were accepted already
        w,
        "no_credentials",
        lambda: actions.accept_credentials(AA_HEAD, e, parties=["AA"], report="In order."),
    )
    refused(  # CC has none
        w,
        "no_credentials",
        lambda: actions.accept_credentials(AA_HEAD, e, parties=["CC"], report="In order."),
    )
    refused(
        w,
        "not_chair",
        lambda: actions.accept_credentials(BB_HEAD, e, parties=["BB"], report="In order."),
    )


def test_a_delegation_is_of_accredited_persons_with_exactly_one_head(
    conference: ConferenceWorld,
) -> None:
    w = conference
    e = w.edition
    refused(
        w,
        "not_accredited",
        lambda: actions.name_delegation(
            AA_HEAD,
            e,
            [
                {"handle": "aa.head", "function": "head", "level": "minister"},
                {"handle": "bb.head", "function": "adviser", "level": "other"},
            ],
        ),
    )
    refused(
        w,
        "one_head",
        lambda: actions.name_delegation(
            AA_HEAD,
            e,
            [
                {"handle": "aa.head", "function": "head", "level": "minister"},
                {"handle": "aa.delegate", "function": "head", "level": "ambassador"},
            ],
        ),
    )
    refused(
        w,
        "one_head",
        lambda: actions.name_delegation(
            AA_HEAD, e, [{"handle": "aa.delegate", "function": "alternate", "level": "ambassador"}]
        ),
    )


# -- a decision adopted at a meeting is a charter decision ----------------------------------------


def test_a_document_adopted_at_a_meeting_is_a_charter_decision(
    conference: ConferenceWorld,
) -> None:
    w = conference
    question = _asked(w)
    w.later(dialogue_rules().objection_minutes + 1)
    declared = act(w, lambda: actions.declare(AA_HEAD, question)).index
    decision = Decision.objects.get(entry_index=declared)
    assert (decision.path, decision.source, decision.document) == ("meeting", question, w.document)
    w.later(60)
    act(w, lambda: charter_actions.interpret(BB_HEAD, declared, "State B reads article 1 so."))
    assert Interpretation.objects.filter(decision=declared, party="BB").exists()
    until = format_time(w.charter.forum.ticking.moment + timedelta(days=3))
    refused(w, "adopted", lambda: charter_actions.open_silence(AA_HEAD, w.document, 0, until))
    refused(
        w,
        "not_a_draft",
        lambda: actions.ask(AA_HEAD, w.opening, ITEM, document=w.document, revision=0),
    )


def test_a_nul_character_in_a_text_is_refused(conference: ConferenceWorld) -> None:
    w = conference
    _opened(w)
    size, before = Entry.objects.count(), digest(full=True)
    with pytest.raises((Rejected, CanonicalError)):
        act(
            w,
            lambda: actions.circulate_and_deliver(
                AA_HEAD, w.opening, ITEM, title="T", language="en", text="Peace \x00now."
            ),
        )
    assert (Entry.objects.count(), digest(full=True)) == (size, before)


# -- found by an adversarial review -------------------------------------------------------------


def test_a_delegation_has_one_point_of_order_waiting_at_a_time(conference: ConferenceWorld) -> None:
    """Points of order go to the top and the chair gives the floor in order, so one party
    raising them without end would hold the floor: a second waits until the first is heard."""
    w = conference
    _opened(w)
    act(
        w,
        lambda: actions.inscribe(BB_HEAD, w.opening, ITEM, speaker="bb.head", point_of_order=True),
    )
    refused(
        w,
        "point_of_order_waiting",
        lambda: actions.inscribe(BB_HEAD, w.opening, ITEM, speaker="bb.head", point_of_order=True),
    )
    act(w, lambda: actions.give_floor(AA_HEAD, w.opening, ITEM))
    act(
        w,
        lambda: actions.inscribe(BB_HEAD, w.opening, ITEM, speaker="bb.head", point_of_order=True),
    )
    assert Inscription.objects.filter(kind="point_of_order", party="BB").count() == 2


def test_only_a_decision_of_its_own_edition_derestricts_a_statement(
    conference: ConferenceWorld,
) -> None:
    """Another edition's chair cannot derestrict AA's text by a decision AA could not object to,
    not being present there."""
    w = conference
    _opened(w)
    made = act(
        w,
        lambda: actions.circulate_and_deliver(
            AA_HEAD,
            w.opening,
            ITEM,
            title="Ours",
            language="en",
            text="AA's.",
            distribution="restricted",
        ),
    )
    other = act(
        w,
        lambda: actions.create(
            BB_HEAD,
            series="bb",
            series_title="BB",
            title="BB's own",
            city="Minsk",
            time_zone="UTC",
            starts_on="2025-10-30",
            ends_on="2025-10-31",
            chair="BB",
            languages=["en"],
        ),
    ).index
    meeting = act(
        w,
        lambda: actions.add_meeting(
            BB_HEAD,
            other,
            title="BB's room",
            starts_at=at(OPENS),
            ends_at=at(OPENS + timedelta(hours=2)),
            room="Room Z",
            languages=["en"],
        ),
    ).index
    act(w, lambda: actions.propose_agenda(BB_HEAD, other, [{"number": "1", "title": "Any"}]))
    act(w, lambda: actions.adopt_agenda(BB_HEAD, other, meeting))
    refused(
        w,
        "another_edition",
        lambda: actions.ask(
            BB_HEAD, meeting, "1", document=w.document, revision=0, derestricts=[made[-1].index]
        ),
    )


def test_not_adopted_is_declared_early_only_once_someone_objected(
    conference: ConferenceWorld,
) -> None:
    w = conference
    asked = act(w, lambda: actions.ask(AA_HEAD, w.opening, ITEM, document=w.document, revision=0))
    refused(w, "window_open", lambda: actions.declare(AA_HEAD, asked.index, outcome="not_adopted"))
    act(w, lambda: actions.object_to(BB_HEAD, asked.index, reason="Not yet."))
    act(w, lambda: actions.declare(AA_HEAD, asked.index, outcome="not_adopted"))
    assert Question.objects.get(entry_index=asked.index).status == "not_adopted"


def test_nothing_is_delivered_or_decided_under_an_agenda_not_yet_adopted(
    conference: ConferenceWorld,
) -> None:
    """An agenda proposed again before adoption may drop an item; a meeting hears and decides
    only under the adopted agenda, so what it recorded always has its item."""
    w = conference
    other = act(
        w,
        lambda: actions.create(
            AA_HEAD,
            series="second",
            series_title="Second",
            title="Second",
            city="Minsk",
            time_zone="Europe/Minsk",
            starts_on="2025-10-30",
            ends_on="2025-10-31",
            chair="AA",
            languages=["en"],
        ),
    ).index
    meeting = act(
        w,
        lambda: actions.add_meeting(
            AA_HEAD,
            other,
            title="Early",
            starts_at=at(OPENS + timedelta(hours=8)),
            ends_at=at(OPENS + timedelta(hours=9)),
            room="Room A",
            languages=["en"],
        ),
    ).index
    act(w, lambda: actions.propose_agenda(AA_HEAD, other, [{"number": "1", "title": "Any"}]))
    act(
        w,
        lambda: actions.name_delegation(
            AA_HEAD, other, [{"handle": "aa.head", "function": "head", "level": "minister"}]
        ),
    )
    act(
        w,
        lambda: actions.submit_credentials(
            AA_HEAD, other, issuer="head_of_state", instrument="formal", dated="2025-10-01"
        ),
    )
    circulated = act(
        w, lambda: actions.circulate(AA_HEAD, title="Early", language="en", text="Too early.")
    )
    refused(
        w,
        "agenda_not_adopted",
        lambda: actions.deliver(AA_HEAD, meeting, "1", circulated=circulated.index, language="en"),
    )
    refused(
        w,
        "agenda_not_adopted",
        lambda: actions.ask(AA_HEAD, meeting, "1", document=w.document, revision=0),
    )


@pytest.mark.parametrize("moment", ["2025-10-30T25:00:00Z", "2025-02-30T10:00:00Z"])
def test_an_impossible_meeting_time_is_a_bad_body(conference: ConferenceWorld, moment: str) -> None:
    w = conference
    refused(
        w,
        "bad_body",
        lambda: actions.add_meeting(
            AA_HEAD,
            w.edition,
            title="Never",
            starts_at=moment,
            ends_at=at(OPENS),
            room="Room Q",
            languages=["en"],
        ),
    )


@pytest.mark.parametrize("zone", ["europe/minsk", "Mars/Olympus", "../etc/passwd"])
def test_a_time_zone_is_named_exactly_as_the_pinned_database_names_it(
    conference: ConferenceWorld, zone: str
) -> None:
    """Whether a zone exists must not depend on the machine that replays (a case-insensitive
    disk, an older tz database): the pinned tzdata package decides, by exact name."""
    w = conference
    refused(
        w,
        "bad_body",
        lambda: actions.create(
            AA_HEAD,
            series="z",
            series_title="Z",
            title="Z",
            city="Z",
            time_zone=zone,
            starts_on="2025-10-30",
            ends_on="2025-10-31",
            chair="AA",
            languages=["en"],
        ),
    )


def test_a_credentials_report_names_each_party_once(conference: ConferenceWorld) -> None:
    w = conference
    refused(
        w,
        "twice",
        lambda: actions.accept_credentials(AA_HEAD, w.edition, parties=["BB", "BB"], report="Ok."),
    )
