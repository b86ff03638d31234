"""The account page says how a script uses a token, and names the person's party and role."""

import pytest

from tests.forum.world import ForumWorld, signed_in

pytestmark = pytest.mark.django_db


def test_the_bearer_header_reads_whole_in_english(forum: ForumWorld) -> None:
    page = signed_in("aa.head").get("/account", headers={"accept-language": "en"})
    assert '<code id="bearer">Authorization: Bearer &lt;token&gt;</code>' in page.content.decode()


def test_the_bearer_header_keeps_its_words_in_russian(forum: ForumWorld) -> None:
    page = signed_in("aa.head").get("/account", headers={"accept-language": "ru"})
    assert "Authorization: Bearer &lt;токен&gt;</code>" in page.content.decode()


def test_the_account_names_the_role_and_the_party_in_the_readers_language(
    forum: ForumWorld,
) -> None:
    page = signed_in("aa.head").get("/account", headers={"accept-language": "ru"})
    text = page.content.decode()
    assert "глава делегации" in text
    assert '<span class="party" title="AA">State A</span></a>' in text


def test_the_secretariats_staff_see_no_link_to_a_party_page_it_does_not_have(
    forum: ForumWorld,
) -> None:
    text = signed_in("sec.clerk").get("/account").content.decode()
    assert 'href="/parties/secretariat"' not in text
    assert '<span class="party" title="secretariat">' in text


def test_the_people_page_links_no_secretariat_party_page(forum: ForumWorld) -> None:
    client = signed_in("aa.head")
    page = client.get("/people").content.decode()
    assert 'href="/parties/secretariat"' not in page
    for link in ("/parties/AA", "/parties/BB"):
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200
