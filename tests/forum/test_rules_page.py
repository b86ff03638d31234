"""The rules page reads as rules, built from the profile in force, with its open proposals.

Adversary: a reader outside the chair must not be offered adopting; an unaccredited
visitor must be offered nothing; a matrix must not be the page's only form.
"""

import pytest
from django.test import Client

from accord.forum import actions
from accord.forum.profile import standard
from accord.forum.queries import profile
from tests.forum.world import AA_HEAD, BB_HEAD, ForumWorld, signed_in

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
RU = {"accept-language": "ru"}


def _propose_without_invitations(forum: ForumWorld) -> int:
    """A version 2 that takes inviting away from the initiators: the page must follow it."""
    changed = standard(version=2).model_dump(mode="json")
    changed["may"]["forum.invitation.sent"] = ["chair:head"]
    return forum.act(lambda: actions.propose_profile(AA_HEAD, changed)).index


def test_each_grant_reads_as_a_sentence_grouped_by_app(forum: ForumWorld) -> None:
    page = Client().get("/rules", headers=EN).content.decode()
    assert '<h2 id="rules-forum">The forum</h2>' in page
    assert (
        '<li title="forum.invitation.sent">A head of delegation of the chair may invite a state'
        " or an organisation.</li>"
    ) in page
    assert "A head of delegation of a participating party may leave the forum." in page
    assert "Staff of the secretariat may add a person." in page


def test_the_rules_read_in_russian(forum: ForumWorld) -> None:
    page = Client().get("/rules", headers=RU).content.decode()
    assert "Глава делегации участвующей стороны может выйти из форума." in page
    assert "may leave" not in page


def test_the_matrix_stays_behind_details_in_a_box_that_scrolls_itself(forum: ForumWorld) -> None:
    page = Client().get("/rules", headers=EN).content.decode()
    details = page.index("<details>")
    assert page.index('<div class="scroll"><table>') > details
    assert "<code>forum.invitation.answered</code>" in page[details:]


def test_the_rules_follow_the_profile_in_force_not_the_codes_defaults(forum: ForumWorld) -> None:
    proposal = _propose_without_invitations(forum)
    forum.act(lambda: actions.agree_profile(AA_HEAD, proposal))
    forum.act(lambda: actions.agree_profile(BB_HEAD, proposal))
    forum.act(lambda: actions.adopt_profile(AA_HEAD, proposal))
    found = profile()
    assert found is not None
    assert found[0] == 2
    page = Client().get("/rules", headers=EN).content.decode()
    assert "A head of delegation of the chair may invite" in page
    assert "of an initiating party may invite" not in page


def test_an_open_proposal_links_to_agree_and_adopt_only_for_those_permitted(
    forum: ForumWorld,
) -> None:
    proposal = _propose_without_invitations(forum)
    agree, adopt = f"/rules/proposals/{proposal}/agree", f"/rules/proposals/{proposal}/adopt"
    chair = signed_in("aa.head").get("/rules", headers=EN).content.decode()
    assert "Version 2, proposed by State A: 0 parties agreed" in chair
    assert agree in chair
    assert adopt in chair
    other = signed_in("bb.head").get("/rules", headers=EN).content.decode()
    assert agree in other
    assert adopt not in other
    anyone = Client().get("/rules", headers=EN).content.decode()
    assert f"/explorer/{proposal}" in anyone
    assert agree not in anyone
    assert adopt not in anyone
