"""Pages name parties and times as people read them; codes and exact times stay in tooltips."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import translation

from accord.front.templatetags.reading import day, moment, party
from accord.ledger.names import party_names
from tests.forum.world import ForumWorld, signed_in

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
    assert '<code title="forum.invitation.sent">' in page or 'title="forum.' in page
    assert '<span class="party" title="AA">State A</span>' in page


def test_invitations_and_people_name_the_parties(forum: ForumWorld) -> None:
    client = signed_in("aa.head")
    invitations = client.get("/invitations").content.decode()
    assert '<span class="party" title="CC">State C</span>' in invitations
    assert "<time datetime=" in invitations
    people = client.get("/people").content.decode()
    assert '<span class="party" title="secretariat">Secretariat</span>' in people
    assert '<span class="party" title="BB">State B</span>' in people
