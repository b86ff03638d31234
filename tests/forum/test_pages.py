"""The forum's pages: each works, refuses the wrong method, 404s an unknown id, escapes text."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accord.forum import actions, demo
from accord.forum.models import ForumParty, Invitation
from accord.people.models import Person
from tests.forum.world import AA_HEAD, ForumWorld

pytestmark = pytest.mark.django_db

PAGES = ["/", "/parties/AA", "/invitations", "/people", "/rules", "/explorer/"]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_works_for_anyone(forum: ForumWorld, client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert b"Forum for Dialogue" in response.content


@pytest.mark.parametrize("path", ["/", "/parties/AA", "/rules"])
def test_read_only_pages_refuse_post(forum: ForumWorld, client: Client, path: str) -> None:
    assert client.post(path).status_code == 405


@pytest.mark.parametrize("path", ["/parties/ZZ", "/invitations/9999", "/explorer/9999"])
def test_an_unknown_id_is_404(forum: ForumWorld, client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_home_shows_parties_by_status_and_the_membership_chart(
    forum: ForumWorld, client: Client
) -> None:
    page = client.get("/").content.decode()
    assert "State A" in page
    assert "<svg" in page
    sections = {
        part.split('"', 1)[0]: part.split("</section>", 1)[0]
        for part in page.split('<section aria-labelledby="status-')[1:]
    }
    assert "State A" in sections["participating"]
    assert "State C" not in sections["participating"]
    assert "State C" in sections["invited"]
    assert "forum.invitation.sent" in page  # recent acts


def test_the_home_page_before_founding_says_how_to_found(db: None, client: Client) -> None:
    page = client.get("/").content.decode()
    assert "accord init FORUM.toml" in page


def test_the_party_page_shows_history_delegation_and_keys(
    forum: ForumWorld, client: Client
) -> None:
    page = client.get("/parties/AA").content.decode()
    assert "aa.head" in page
    assert "kept by this host" in page
    assert "holds the chair" in page
    assert "aa.head@example.org" not in page  # personal data stays off public pages


def test_the_rules_page_shows_the_matrix(forum: ForumWorld, client: Client) -> None:
    page = client.get("/rules").content.decode()
    assert "forum.invitation.answered" in page
    assert "between 24 and 720 hours" in page


def test_script_in_names_and_messages_is_escaped(forum: ForumWorld, client: Client) -> None:
    script = "<script>alert(1)</script>"
    sent = forum.act(
        lambda: actions.invite(AA_HEAD, "XS", f"State {script}", message=f"Hello {script}")
    )
    assert ForumParty.objects.get(code="XS").name.endswith(script)
    for path in ("/", "/parties/XS", f"/invitations/{sent[0].index}"):
        page = client.get(path).content.decode()
        assert script not in page, path
        assert "&lt;script&gt;" in page, path


def test_the_interface_speaks_russian(forum: ForumWorld, client: Client) -> None:
    page = client.get("/", headers={"accept-language": "ru"}).content.decode()
    assert 'lang="ru"' in page
    assert "Приглашения" in page


def test_the_demo_says_so_on_every_page(db: None, client: Client) -> None:
    demo.build()
    for path in PAGES:
        assert "This is a demo forum" in client.get(path).content.decode(), path
    assert "Forum for Dialogue and Security in Eurasia (demo)" in client.get("/").content.decode()


def test_a_real_forum_does_not_say_it_is_a_demo(forum: ForumWorld, client: Client) -> None:
    for path in PAGES:
        assert "This is a demo forum" not in client.get(path).content.decode(), path


def test_the_invitation_page_offers_the_answer_only_to_its_party(
    forum: ForumWorld, client: Client
) -> None:
    path = f"/invitations/{forum.invitation_to_cc}"
    assert "answer-form" not in client.get(path).content.decode()
    client.force_login(_user("bb.head"))
    assert "answer-form" not in client.get(path).content.decode()
    client.force_login(_user("cc.head"))
    assert "answer-form" in client.get(path).content.decode()
    assert Invitation.objects.get(entry_index=forum.invitation_to_cc).answer == ""


def _user(handle: str) -> User:
    return Person.objects.get(handle=handle).user
