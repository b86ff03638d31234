import pytest

from accord.dialogue import actions
from accord.dialogue.models import DeliveredStatement, Inscription
from accord.ledger.replay import replay
from tests.dialogue.world import AA_HEAD, BB_HEAD, SECRETARIAT, ConferenceWorld

pytestmark = pytest.mark.django_db


def test_a_meeting_runs_from_list_to_journal(conference: ConferenceWorld) -> None:
    w = conference
    m = w.opening
    w.act(lambda: actions.open_list(AA_HEAD, m, "2"))
    w.act(lambda: actions.inscribe(AA_HEAD, m, "2", speaker="aa.head"))
    w.act(lambda: actions.inscribe(BB_HEAD, m, "2", speaker="bb.head"))
    w.act(lambda: actions.give_floor(AA_HEAD, m, "2"))
    first = Inscription.objects.get(floor__isnull=False)
    assert first.party == "BB"  # head of government before a minister
    w.act(
        lambda: actions.circulate_and_deliver(
            BB_HEAD, m, "2", title="On the Charter", language="en", text="We welcome the draft."
        )
    )
    w.act(lambda: actions.give_floor(AA_HEAD, m, "2"))
    w.act(lambda: actions.reply(BB_HEAD, m, "2", to="AA", speaker="bb.head"))
    w.act(
        lambda: actions.circulate_and_deliver(
            AA_HEAD,
            m,
            "2",
            title="Restricted",
            language="ru",
            text="Секретно.",
            distribution="restricted",
        )
    )
    asked = w.act(lambda: actions.ask(AA_HEAD, m, "2", document=w.document, revision=0))
    w.later(11)
    w.act(lambda: actions.declare(AA_HEAD, asked.index))
    w.act(lambda: actions.issue_journal(SECRETARIAT, m))
    assert DeliveredStatement.objects.count() == 2
    result = replay()
    assert result.full_digest
