"""Acting on the pages: signed in, for one's own party, CSRF-protected, receipt shown after."""

import json

import pytest
from django.test import Client

from accord.forum.models import Accreditation, ForumParty, Invitation
from accord.ledger.models import Entry, LogState, OutboxMessage
from accord.people.models import Person
from tests.forum.world import ForumWorld, signed_in

pytestmark = pytest.mark.django_db

ACTS = [
    (
        "/invitations",
        {
            "party": "DD",
            "name": "State D",
            "category": "state",
            "capacity": "participating",
            "message": "",
        },
    ),
    ("/join", {}),
    ("/leave", {"reason": ""}),
    ("/chair", {"to": "BB"}),
    ("/people", {"handle": "aa.new", "role": "delegate"}),
    ("/people/aa.adviser/withdraw", {}),
    (
        "/people/add",
        {"handle": "x.y", "party": "AA", "role": "delegate", "name": "X", "email": "x@example.org"},
    ),
]


@pytest.mark.parametrize(("path", "data"), ACTS)
def test_an_act_needs_a_signed_in_person(
    forum: ForumWorld, client: Client, path: str, data: dict[str, str]
) -> None:
    size = LogState.objects.get().size
    assert client.post(path, data).status_code == 403
    assert LogState.objects.get().size == size


@pytest.mark.parametrize(("path", "data"), ACTS)
def test_an_act_needs_the_csrf_token(forum: ForumWorld, path: str, data: dict[str, str]) -> None:
    client = signed_in(
        "sec.clerk" if path == "/people/add" else "aa.head", enforce_csrf_checks=True
    )
    size = LogState.objects.get().size
    assert client.post(path, data).status_code == 403
    assert LogState.objects.get().size == size


@pytest.mark.parametrize(
    "path", ["/join", "/leave", "/chair", "/people/add", "/people/aa.adviser/withdraw"]
)
def test_acts_refuse_get(forum: ForumWorld, path: str) -> None:
    assert signed_in("aa.delegate").get(path).status_code == 405


def test_answering_shows_the_receipt_with_a_link_to_the_entry(forum: ForumWorld) -> None:
    client = signed_in("cc.head")
    response = forum.act(
        lambda: client.post(f"/invitations/{forum.invitation_to_cc}", {"answer": "interested"})
    )
    page = response.content.decode()
    entry = Entry.objects.order_by("-index").first()
    assert entry is not None
    assert entry.kind == "forum.invitation.answered"
    assert f'href="/explorer/{entry.index}"' in page
    assert Invitation.objects.get(entry_index=forum.invitation_to_cc).answer == "interested"


def test_an_htmx_act_gets_the_partial(forum: ForumWorld) -> None:
    client = signed_in("aa.delegate")
    response = forum.act(
        lambda: client.post("/invitations", ACTS[0][1], headers={"hx-request": "true"})
    )
    page = response.content.decode()
    assert response.status_code == 422  # a delegate may not invite
    assert page.startswith('<div id="invite-form">')
    assert "<html" not in page
    assert "do not allow this act" in page


def test_a_refusal_appears_beside_the_form_in_russian(forum: ForumWorld) -> None:
    client = signed_in("bb.head")
    response = forum.act(
        lambda: client.post(
            f"/invitations/{forum.invitation_to_cc}",
            {"answer": "accepted"},
            headers={"accept-language": "ru"},
        )
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="refusal"' in page
    assert "Правила процедуры не разрешают" in page
    assert ForumParty.objects.get(code="CC").status == "invited"


def test_an_invalid_form_names_the_field(forum: ForumWorld) -> None:
    client = signed_in("aa.delegate")
    response = client.post("/people", {"handle": "Not Valid", "role": "delegate"})
    assert response.status_code == 400
    assert "Lower-case letters" in response.content.decode()


def test_a_delegate_of_one_party_cannot_withdraw_anothers_person(forum: ForumWorld) -> None:
    client = signed_in("bb.head")
    response = forum.act(lambda: client.post("/people/aa.adviser/withdraw", {"confirm": "on"}))
    assert response.status_code == 422
    assert Accreditation.objects.get(handle="aa.adviser").withdrawn_at is None


def test_only_secretariat_staff_add_people_on_the_page(forum: ForumWorld) -> None:
    data = ACTS[-1][1]
    assert signed_in("aa.delegate").post("/people/add", data).status_code == 403
    client = signed_in("sec.clerk")
    size = LogState.objects.get().size
    response = forum.act(lambda: client.post("/people/add", data))
    assert response.status_code == 200
    page = response.content.decode()
    assert "on its way to x@example.org" in page
    assert "/sign-in/link/" not in page
    assert Person.objects.filter(handle="x.y").exists()
    # Only the secretariat's own binding of the handle, naming the staff member who added it.
    assert LogState.objects.get().size == size + 1
    assert Entry.objects.get(index=size).kind == "forum.person.added"
    (queued,) = OutboxMessage.objects.all()
    assert "/sign-in/link/" in queued.payload["body"]


def test_a_party_sees_whom_the_secretariat_added_for_it_before_accrediting(
    forum: ForumWorld,
) -> None:
    from accord.forum import actions  # noqa: PLC0415

    actions.add_person("aa.new", party="AA", role="delegate", email="new@aa.example", name="N")
    own = signed_in("aa.head").get("/people").content.decode()
    assert "new@aa.example" in own
    other = signed_in("bb.head").get("/people").content.decode()
    assert "new@aa.example" not in other
    assert "new@aa.example" not in Client().get("/people").content.decode()


OFFERED: dict[str, list[tuple[str, set[str], set[str]]]] = {
    # who: (page, the act forms it must show, the act forms it must not show)
    "aa.head": [
        ("/invitations", {"invite-form"}, set()),
        ("/people", {"accredit-form", "withdraw-aa.adviser"}, set()),
        ("/parties/AA", {"chair-form"}, {"leave-form", "join-form"}),
    ],
    "aa.delegate": [
        ("/invitations", set(), {"invite-form"}),
        ("/people", set(), {"accredit-form", "withdraw-aa.adviser"}),
        ("/parties/AA", set(), {"chair-form", "leave-form"}),
    ],
    "aa.adviser": [("/people", set(), {"accredit-form", "withdraw-aa.adviser"})],
    "bb.head": [
        ("/invitations", {"invite-form"}, set()),
        ("/parties/BB", {"leave-form"}, {"chair-form"}),
        ("/people", {"accredit-form", "withdraw-bb.head"}, {"withdraw-aa.adviser"}),
    ],
    "cc.head": [
        ("/invitations", set(), {"invite-form"}),
        ("/people", {"accredit-form"}, set()),
    ],
    "sec.clerk": [("/invitations", set(), {"invite-form"}), ("/people", {"accredit-form"}, set())],
}


@pytest.mark.parametrize("handle", sorted(OFFERED))
def test_pages_offer_each_person_only_the_acts_the_rules_profile_grants_them(
    forum: ForumWorld, handle: str
) -> None:
    client = signed_in(handle)
    for path, shown, hidden in OFFERED[handle]:
        page = client.get(path).content.decode()
        assert {box for box in shown if f'id="{box}"' not in page} == set(), path
        assert {box for box in hidden if f'id="{box}"' in page} == set(), path


def test_only_the_invited_party_is_offered_the_answer(forum: ForumWorld) -> None:
    path = f"/invitations/{forum.invitation_to_cc}"
    assert 'id="answer-form"' in signed_in("cc.head").get(path).content.decode()
    assert 'id="answer-form"' not in signed_in("aa.head").get(path).content.decode()


@pytest.mark.parametrize(
    ("handle", "path"), [("bb.head", "/leave"), ("aa.head", "/people/aa.adviser/withdraw")]
)
def test_an_act_that_cannot_be_undone_asks_to_confirm_and_writes_nothing_unconfirmed(
    forum: ForumWorld, handle: str, path: str
) -> None:
    client = signed_in(handle)
    size = LogState.objects.get().size
    response = forum.act(lambda: client.post(path, {"reason": ""}))
    assert response.status_code == 400
    assert "this act cannot be undone" in response.content.decode()
    assert LogState.objects.get().size == size
    confirmed = forum.act(lambda: client.post(path, {"reason": "", "confirm": "on"}))
    assert confirmed.status_code == 200
    assert LogState.objects.get().size == size + 1


def test_the_receipt_tells_the_done_act_in_a_sentence(forum: ForumWorld) -> None:
    client = signed_in("cc.head")
    path = f"/invitations/{forum.invitation_to_cc}"
    response = forum.act(lambda: client.post(path, {"answer": "interested"}))
    assert response.status_code == 200
    assert "State C answered the invitation: interested" in response.content.decode()
    assert ForumParty.objects.get(code="CC").status == "interested"


def test_the_rules_profile_acts_have_pages_for_the_chair_and_the_parties(
    forum: ForumWorld,
) -> None:
    from accord.forum.profile import standard  # noqa: PLC0415

    assert 'id="propose-form"' not in signed_in("bb.head").get("/rules/proposals").content.decode()
    assert 'href="/rules/proposals"' not in signed_in("bb.head").get("/rules").content.decode()
    chair = signed_in("aa.head")
    assert 'href="/rules/proposals"' in chair.get("/rules").content.decode()
    assert 'id="propose-form"' in chair.get("/rules/proposals").content.decode()
    proposal = json.dumps(standard(version=2).model_dump(mode="json"))
    response = forum.act(lambda: chair.post("/rules/proposals", {"profile": proposal}))
    assert response.status_code == 200
    entry = LogState.objects.get().size - 1
    assert Entry.objects.get(index=entry).kind == "forum.profile.proposed"
    for handle in ("aa.head", "bb.head"):
        party = signed_in(handle)
        agreed = forum.act(lambda: party.post(f"/rules/proposals/{entry}/agree", {}))  # noqa: B023
        assert agreed.status_code == 200
    adopted = forum.act(lambda: chair.post(f"/rules/proposals/{entry}/adopt", {}))
    assert adopted.status_code == 200
    assert "declared the rules proposal of entry" in adopted.content.decode()
