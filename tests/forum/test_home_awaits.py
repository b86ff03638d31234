"""Home says what the forum is for, in the reader's language, and what awaits the signed-in
person: each persona of the forum world sees only the acts the rules profile lets them make
now, each a sentence linking to the page where they make it."""

import re

import pytest
from django.test import Client

from accord.forum import actions
from accord.forum.profile import standard
from tests.forum.world import AA_HEAD, SECRETARIAT, ForumWorld, signed_in

pytestmark = pytest.mark.django_db

NAME = {"en": "Forum for Dialogue and Trust", "ru": "Форум диалога и доверия"}
PURPOSE = {"en": "Talks on security among its parties.", "ru": "Переговоры о безопасности."}


def awaiting(client: Client, language: str = "en") -> list[tuple[str, str]]:
    """The home page's "What awaits you" list: (link, sentence) pairs, or [] if it says none."""
    page = client.get("/", headers={"accept-language": language}).content.decode()
    section = re.search(r'<section aria-labelledby="awaiting">(.*?)</section>', page, re.DOTALL)
    assert section is not None, "the home page has no list of what awaits the person"
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', section.group(1))


def test_an_invited_party_s_head_is_told_its_invitation_awaits_an_answer(
    forum: ForumWorld,
) -> None:
    assert awaiting(signed_in("cc.head")) == [
        (f"/invitations/{forum.invitation_to_cc}", "State C has an invitation to answer.")
    ]


def test_it_says_so_in_russian_to_a_russian_reader(forum: ForumWorld) -> None:
    assert awaiting(signed_in("cc.head"), "ru") == [
        (f"/invitations/{forum.invitation_to_cc}", "State C: приглашение ждёт ответа.")
    ]


@pytest.mark.parametrize("handle", ["aa.delegate", "aa.adviser", "bb.head", "sec.clerk"])
def test_nothing_awaits_those_the_forum_expects_nothing_of(forum: ForumWorld, handle: str) -> None:
    client = signed_in(handle)
    assert awaiting(client) == []
    assert "Nothing awaits you now." in client.get("/").content.decode()


def test_a_visitor_sees_the_purpose_but_no_list_of_what_awaits(forum: ForumWorld) -> None:
    forum.act(lambda: actions.describe(SECRETARIAT, NAME, PURPOSE))
    page = Client().get("/").content.decode()
    assert PURPOSE["en"] in page
    assert 'aria-labelledby="awaiting"' not in page


def test_a_rules_proposal_awaits_each_head_s_agreement_and_the_chair_s_adoption(
    forum: ForumWorld,
) -> None:
    profile = standard(version=2).model_dump(mode="json")
    proposal = forum.act(lambda: actions.propose_profile(AA_HEAD, profile)).index
    agree, adopt = f"/rules/proposals/{proposal}/agree", f"/rules/proposals/{proposal}/adopt"
    assert [link for link, _told in awaiting(signed_in("aa.head"))] == [agree, adopt]
    assert awaiting(signed_in("bb.head")) == [
        (agree, f"A rules proposal (entry {proposal}) awaits the agreement of State B.")
    ]
    assert awaiting(signed_in("aa.delegate")) == []  # a delegate does not sign for the party
    forum.act(lambda: actions.agree_profile(AA_HEAD, proposal))
    assert [link for link, _told in awaiting(signed_in("aa.head"))] == [adopt]
    invited = [link for link, _told in awaiting(signed_in("cc.head"))]
    assert invited == [f"/invitations/{forum.invitation_to_cc}"]  # no say in the rules yet


def test_people_added_and_not_accredited_await_their_head_and_the_staff_only(
    forum: ForumWorld,
) -> None:
    forum.act(
        lambda: actions.add_person(
            "bb.delegate", party="BB", role="delegate", email="bb.delegate@example.org"
        )
    )
    assert awaiting(signed_in("bb.head")) == [
        ("/people", "1 person the secretariat added for State B is not accredited yet.")
    ]
    assert awaiting(signed_in("sec.clerk")) == [
        ("/people", "1 person the secretariat added is not accredited yet.")
    ]
    assert awaiting(signed_in("aa.head")) == []  # another party's people are not its business
    assert awaiting(signed_in("aa.delegate")) == []


def test_home_and_header_speak_the_forum_s_name_and_purpose_in_the_reader_s_language(
    forum: ForumWorld,
) -> None:
    before = Client().get("/", headers={"accept-language": "ru"}).content.decode()
    assert "<h1>Forum for Dialogue</h1>" in before  # the founding name until it is described
    forum.act(lambda: actions.describe(SECRETARIAT, NAME, PURPOSE))
    for language in ("en", "ru"):
        page = Client().get("/", headers={"accept-language": language}).content.decode()
        assert f"<h1>{NAME[language]}</h1>" in page
        assert f'class="brand" title="{NAME[language]}">{NAME[language]}</a>' in page
        assert f'<p class="purpose" lang="{language}">{PURPOSE[language]}</p>' in page
    rules = Client().get("/rules", headers={"accept-language": "ru"}).content.decode()
    assert f">{NAME['ru']}</a>" in rules  # the header on every page, not only home


def test_an_account_not_accredited_yet_is_told_nothing_awaits_it(forum: ForumWorld) -> None:
    forum.act(
        lambda: actions.add_person(
            "bb.delegate", party="BB", role="delegate", email="bb.delegate@example.org"
        )
    )
    assert awaiting(signed_in("bb.delegate")) == []


def test_a_purpose_that_carries_markup_is_shown_as_text(forum: ForumWorld) -> None:
    hostile = {"en": '<script>alert("x")</script>', "ru": "<b>жирный</b>"}
    forum.act(lambda: actions.describe(SECRETARIAT, NAME, hostile))
    page = Client().get("/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
