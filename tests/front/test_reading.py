"""Pages name parties and times as people read them; codes and exact times stay in tooltips."""

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import translation

from accord.forum import actions
from accord.front.templatetags.reading import day, moment, party, sentence
from accord.ledger.envelope import Entry as Entry_
from accord.ledger.models import Entry
from accord.ledger.names import party_names
from accord.ledger.sentences import sentence_of
from tests.forum.world import AA_HEAD, CC_HEAD, ForumWorld, signed_in

pytestmark = pytest.mark.django_db

LOGGED = "2025-10-28T09:00:00.123456Z"


def test_a_time_reads_as_a_date_in_english_with_the_exact_time_in_its_tooltip() -> None:
    with translation.override("en"):
        shown = moment(LOGGED)
    assert shown == (
        f'<time datetime="{LOGGED}" title="{LOGGED}">28 October 2025, 09:00 UTC</time>'
    )


def test_a_time_reads_as_russians_write_it() -> None:
    with translation.override("ru"):
        assert ">28 октября 2025 г., 09:00 UTC</time>" in moment(LOGGED)
        assert day(LOGGED) == "28 октября 2025 г."


def test_an_aware_datetime_is_shown_in_utc() -> None:
    with translation.override("en"):
        shown = moment(datetime(2025, 1, 30, 23, 5, tzinfo=UTC))
    assert 'datetime="2025-01-30T23:05:00.000000Z"' in shown
    assert "30 January 2025, 23:05 UTC" in shown


def test_a_value_that_is_not_a_time_is_shown_as_it_is() -> None:
    assert moment("not a time") == "not a time"
    assert moment(None) == ""


def test_a_party_is_named_with_its_code_in_a_tooltip(forum: ForumWorld) -> None:
    names = party_names()
    assert party("AA", names) == '<span class="party" title="AA">State A</span>'


def test_the_secretariat_is_named_in_the_readers_language(forum: ForumWorld) -> None:
    names = party_names()
    with translation.override("ru"):
        assert party("secretariat", names) == (
            '<span class="party" title="secretariat">Секретариат</span>'
        )
    with translation.override("en"):
        assert ">Secretariat</span>" in party("secretariat", names)


def test_a_name_is_escaped_like_any_text_from_the_log(forum: ForumWorld) -> None:
    names = party_names()
    forged = type(names)({"XX": "<script>x</script>"}, None)
    assert party("XX", forged) == (
        '<span class="party" title="XX">&lt;script&gt;x&lt;/script&gt;</span>'
    )


def test_an_unregistered_code_is_shown_as_the_code(forum: ForumWorld) -> None:
    assert party("ZZ", party_names()) == '<span class="party">ZZ</span>'


def test_the_explorer_names_actors_and_dates_and_keeps_codes_in_tooltips(
    forum: ForumWorld,
) -> None:
    page = Client().get("/explorer/", headers={"accept-language": "en"}).content.decode()
    assert '<span class="party" title="AA">State A</span>' in page
    assert '<span class="party" title="secretariat">Secretariat</span>' in page
    assert re.search(r'<time datetime="[0-9T:.\-]+Z" title="[0-9T:.\-]+Z">\d+ \w+ 20\d\d, ', page)
    assert "<td>AA</td>" not in page


def test_the_entry_page_shows_the_name_and_keeps_the_code_and_exact_time_visible(
    forum: ForumWorld,
) -> None:
    page = Client().get(f"/explorer/{forum.invitation_to_cc}").content.decode()
    assert "State A · AA (sequence number " in page
    exact = re.search(r'<time datetime="([^"]+)"', page)
    assert exact
    assert f"<code>{exact[1]}</code>" in page


def test_home_names_the_chair_and_the_actors_of_recent_acts(forum: ForumWorld) -> None:
    page = signed_in("aa.head").get("/", headers={"accept-language": "en"}).content.decode()
    assert "Chair: State A. Decisions by consensus." in page
    assert '<td title="forum.person.accredited">State C accredited cc.head as head' in page
    assert "<td>CC</td>" not in page


def test_invitations_and_people_name_the_parties(forum: ForumWorld) -> None:
    client = signed_in("aa.head")
    invitations = client.get("/invitations").content.decode()
    assert '<span class="party" title="CC">State C</span>' in invitations
    assert "<time datetime=" in invitations
    people = client.get("/people").content.decode()
    assert '<span class="party" title="secretariat">Secretariat</span>' in people
    assert '<span class="party" title="BB">State B</span>' in people


def test_every_entry_of_the_world_reads_as_a_sentence_naming_its_actor(forum: ForumWorld) -> None:
    names = party_names()
    with translation.override("en"):
        told = [sentence(row, names) for row in Entry.objects.order_by("index")]
    assert told[0] == "Secretariat opened the log forum.example/forum"
    assert "Secretariat founded the forum Forum for Dialogue" in told
    assert "State A invited State C as a participating party" in told
    assert "Secretariat added cc.head for State C" in told
    assert "State A accredited aa.head as head of delegation" in told
    assert not [line for line in told if "signed a statement" in line]


def test_a_sentence_translates_the_bodys_values_in_russian(forum: ForumWorld) -> None:
    forum.act(lambda: actions.answer(CC_HEAD, "interested"))
    row = Entry.objects.order_by("-index").first()
    with translation.override("ru"):
        told = sentence(row, party_names())
    assert "interested" not in told
    assert told == "State C отвечает на приглашение: заинтересована"


def test_a_restricted_or_unknown_entry_reads_as_a_signed_statement_not_as_an_error(
    forum: ForumWorld,
) -> None:
    row = Entry.objects.order_by("index").first()
    assert row is not None
    statement = Entry_.from_bytes(bytes(row.leaf)).signed.statement
    hidden = replace(statement, kind="csbm.notification.sent", body={"commitment": "sha256:00"})
    with translation.override("en"):
        assert sentence_of(hidden, str) == "secretariat signed a statement"
    committed = replace(statement, kind="forum.invitation.answered", body={"commitment": "x"})
    with translation.override("en"):
        assert sentence_of(committed, str) == "secretariat signed a statement"


def test_home_the_explorer_and_the_party_page_tell_acts_in_sentences_with_kinds_in_tooltips(
    forum: ForumWorld,
) -> None:
    client = signed_in("aa.head")
    english = {"accept-language": "en"}
    home = client.get("/", headers=english).content.decode()
    assert '<td title="forum.invitation.sent">State A invited State C as a participating party' in (
        home
    )
    explorer = client.get("/explorer/", headers=english).content.decode()
    assert 'title="forum.person.accredited">State A accredited aa.head as head of delegation' in (
        explorer
    )
    entry = client.get(f"/explorer/{forum.invitation_to_cc}", headers=english).content.decode()
    assert "<strong>State A invited State C as a participating party</strong>" in entry
    assert "<code>forum.invitation.sent</code>" in entry
    party_page = client.get("/parties/AA", headers=english).content.decode()
    assert "State A invited State C as a participating party" in party_page
    assert "Secretariat added" not in party_page


def test_a_receipt_tells_the_done_act_in_russian_with_russian_values(forum: ForumWorld) -> None:
    client = signed_in("cc.head")
    page = client.post(
        f"/invitations/{forum.invitation_to_cc}",
        {"answer": "interested"},
        headers={"accept-language": "ru"},
    ).content.decode()
    assert "State C отвечает на приглашение: заинтересована" in page
    assert "invitation: interested" not in page


def test_an_invited_state_is_named_in_the_readers_language_in_the_sentence(
    forum: ForumWorld,
) -> None:
    forum.act(lambda: actions.invite(AA_HEAD, "HU", "Hungary"))
    row = Entry.objects.filter(kind="forum.invitation.sent").order_by("-index").first()
    with translation.override("ru"):
        told = sentence(row, party_names())
    assert "Венгрия" in told
    assert "Hungary" not in told


def test_home_heads_each_group_of_parties_in_the_plural(forum: ForumWorld, client: Client) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Участвуют" in page
    assert "Участвует <" not in page


def test_home_lists_states_by_their_name_in_the_readers_language(db: None, client: Client) -> None:
    from accord.forum import demo  # noqa: PLC0415

    demo.build()
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert ">Венгрия</a>" in page
    assert ">Hungary</a>" not in page
