"""Each write to people's accounts is an action that decides who may do it, tested from the
action itself, not from the page or the API that calls it.

The world (tests/forum/world.py): sec.clerk is secretariat staff in the log; aa.head and
aa.delegate act for State A, so neither may add people or change accounts.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accord.forum import actions as forum_actions
from accord.ledger.errors import NotAllowed
from accord.ledger.models import OutboxMessage
from accord.people import actions
from accord.people.api import TOKEN
from accord.people.models import ApiToken, Person, SignInLink, token_hash
from accord.people.standing import NoStanding, register_standing, standing
from tests.forum.world import ForumWorld

pytestmark = pytest.mark.django_db

STAFF = "sec.clerk"


def test_a_party_head_cannot_add_a_person_through_the_people_action(forum: ForumWorld) -> None:
    refusal = forum.refused(
        "not_secretariat",
        lambda: actions.add_person(
            "aa.mole", party="AA", role="delegate", email="m@aa.example", by="aa.head"
        ),
    )
    assert "aa.head is not secretariat staff" in str(refusal)
    assert not Person.objects.filter(handle="aa.mole").exists()


def test_the_forums_action_refuses_a_non_staff_adder_and_signs_nothing(forum: ForumWorld) -> None:
    forum.refused(
        "not_secretariat",
        lambda: forum_actions.add_person(
            "aa.mole", party="AA", role="delegate", email="m@aa.example", by="aa.delegate"
        ),
    )
    assert not Person.objects.filter(handle="aa.mole").exists()


def test_staff_add_a_person_whose_link_is_mailed_and_kept_only_as_its_hash(
    forum: ForumWorld,
) -> None:
    added = forum.act(
        lambda: forum_actions.add_person(
            "aa.new",
            party="AA",
            role="delegate",
            email="new@aa.example",
            by=STAFF,
            mail_link_from="https://forum.example/",
        )
    )
    link = SignInLink.objects.get(person=added.person)
    assert link.token_hash == token_hash(added.sign_in_token)
    mail = OutboxMessage.objects.order_by("-pk").first()
    assert mail is not None
    assert f"https://forum.example/sign-in/link/{added.sign_in_token}" in str(mail.payload)
    assert mail.payload["to"] == "new@aa.example"


def test_a_sign_in_link_is_used_once(forum: ForumWorld) -> None:
    person = Person.objects.get(handle="aa.delegate")
    token = actions.issue_sign_in_link(person)
    assert actions.use_sign_in_link(token) == person
    with pytest.raises(NotAllowed) as refusal:
        actions.use_sign_in_link(token)
    assert refusal.value.code == "dead_link"
    assert SignInLink.objects.get(token_hash=token_hash(token)).used_at is not None


def test_an_expired_or_unknown_link_signs_no_one_in(forum: ForumWorld) -> None:
    person = Person.objects.get(handle="aa.delegate")
    token = actions.issue_sign_in_link(person)
    link = SignInLink.objects.filter(token_hash=token_hash(token))
    link.update(expires_at=timezone.now() - timedelta(seconds=1))
    for attempt in (token, "not-a-link"):
        with pytest.raises(NotAllowed):
            actions.use_sign_in_link(attempt)
    assert link.get().used_at is None


def test_a_deactivated_persons_link_is_dead(forum: ForumWorld) -> None:
    token = actions.issue_sign_in_link(Person.objects.get(handle="aa.delegate"))
    actions.deactivate("aa.delegate", by=STAFF)
    with pytest.raises(NotAllowed):
        actions.use_sign_in_link(token)


def test_a_person_revokes_their_own_token_and_the_api_no_longer_takes_it(
    forum: ForumWorld,
) -> None:
    person = Person.objects.get(handle="aa.delegate")
    secret = actions.issue_api_token(person, "script", second_factor=False)
    token = ApiToken.objects.get(person=person, label="script")
    assert TOKEN.authenticate(None, secret) == person  # type: ignore[arg-type]
    actions.revoke_api_token(person, token.pk)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert TOKEN.authenticate(None, secret) is None  # type: ignore[arg-type]


def test_no_one_revokes_another_persons_token(forum: ForumWorld) -> None:
    owner = Person.objects.get(handle="aa.delegate")
    actions.issue_api_token(owner, "script", second_factor=False)
    token = ApiToken.objects.get(person=owner, label="script")
    with pytest.raises(NotAllowed) as refusal:
        actions.revoke_api_token(Person.objects.get(handle="bb.head"), token.pk)
    assert refusal.value.code == "not_your_token"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_head_cannot_reset_anothers_second_factor_from_the_action(forum: ForumWorld) -> None:
    for change in (actions.reset_second_factor, actions.deactivate):
        with pytest.raises(NotAllowed) as refusal:
            change("aa.delegate", by="aa.head")
        assert refusal.value.code == "not_secretariat"
    assert Person.objects.get(handle="aa.delegate").user.is_active


def test_a_heads_token_made_without_a_second_factor_acts_for_no_one(forum: ForumWorld) -> None:
    head = Person.objects.get(handle="aa.head")
    secret = actions.issue_api_token(head, "old script", second_factor=False)
    assert TOKEN.authenticate(None, secret) is None  # type: ignore[arg-type]


def test_without_the_forums_standing_no_one_is_staff_and_every_role_needs_totp(
    forum: ForumWorld,
) -> None:
    registered = standing()
    register_standing(NoStanding())
    try:
        assert not standing().is_staff(STAFF)
        assert standing().second_factor_required("aa.adviser", "adviser")
        with pytest.raises(NotAllowed):
            actions.add_person("x.y", party="AA", role="delegate", email="x@y.example", by=STAFF)
    finally:
        register_standing(registered)
    assert standing().is_staff(STAFF)
