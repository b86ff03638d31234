"""What views, the API and the CLI call to act in the forum; each act is one transaction.

An action builds a body and hands it to ``submit_hosted`` for the acting party
(its key held by this host), naming the person who acts; the rules profile and
the kind's ``check`` decide. Parties with their own keys sign the same bodies
themselves and send them with ``accord submit``.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accord.forum import queries
from accord.forum.founding import ForumFile
from accord.forum.models import ROLES, Accreditation, ForumParty, Invitation
from accord.ledger import actions as ledger_actions
from accord.ledger.custody import KeyCustody
from accord.ledger.errors import NotAllowed
from accord.ledger.statements import active_keys
from accord.ledger.submit import Accepted, submit_hosted
from accord.people import actions as people_actions


@dataclass(frozen=True)
class Actor:
    """Who acts: a party and, when one is named, the person acting for it."""

    party: str
    person: str | None = None


def _act(actor: Actor, kind: str, body: dict[str, Any], custody: KeyCustody | None) -> Accepted:
    return submit_hosted(
        actor=actor.party,
        kind=kind,
        v=1,
        body=body,
        by=actor.person,
        custody=custody,
    )


def head_of(party: str) -> str | None:
    """The handle of a party's head of delegation, if it has one."""
    return (
        Accreditation.objects.filter(party=party, role="head", withdrawn_at__isnull=True)
        .values_list("handle", flat=True)
        .first()
    )


def as_party(party: str, person: str | None = None) -> Actor:
    """The actor for ``--as CODE [--person HANDLE]``: the named person, else the head."""
    return Actor(party, person or head_of(party))


def found_forum(
    forum: ForumFile,
    *,
    custody: KeyCustody | None = None,
    skeys: dict[str, str] | None = None,
) -> list[Accepted]:
    """Found the log and the forum from FORUM.toml, in one transaction.

    Registers each founding party (its own key, or one this host keeps), lets
    the secretariat sign the founding, and lets each hosted founding party
    join; parties with their own keys join by sending their own statement.
    ``skeys`` gives reproducible signer keys by party code ("log" and the
    secretariat included), for the demo and tests.
    """
    given = skeys or {}
    accepted: list[Accepted] = []
    with transaction.atomic():
        accepted.append(
            ledger_actions.found_log(
                forum.forum.origin,
                custody=custody,
                log_skey=given.get("log"),
                secretariat_skey=given.get(ledger_actions.SECRETARIAT),
            )
        )
        accepted.extend(
            ledger_actions.register_party(
                party.code,
                party.name,
                vkey=party.vkey,
                custody=custody,
                hosted_skey=given.get(party.code),
            )
            for party in forum.party
        )
        body = forum.forum.model_dump(exclude={"origin", "purpose"}) | {
            "name": forum.forum.founding_name,
            "parties": [
                party.model_dump(include={"code", "name", "category"}) for party in forum.party
            ],
            "profile": forum.rules().model_dump(mode="json"),
        }
        secretariat = queries.secretariat()
        assert secretariat is not None  # the log was founded just above
        accepted.append(_act(Actor(secretariat), "forum.founded", body, custody))
        description = forum.forum.description()
        if description is not None:
            accepted.append(describe(Actor(secretariat), **description, custody=custody))
        accepted.extend(
            join(Actor(party.code), custody=custody) for party in forum.party if party.vkey is None
        )
    return accepted


def describe(
    actor: Actor,
    name: dict[str, str],
    purpose: dict[str, str],
    *,
    custody: KeyCustody | None = None,
) -> Accepted:
    """Give the forum's name and purpose in each official language (``forum.described``)."""
    return _act(actor, "forum.described", {"name": name, "purpose": purpose}, custody)


def join(actor: Actor, *, custody: KeyCustody | None = None) -> Accepted:
    return _act(actor, "forum.party.joined", {}, custody)


def invite(  # noqa: PLR0913 -- the invitation's fields, each chosen by the inviting party
    actor: Actor,
    party: str,
    name: str,
    *,
    category: str = "state",
    capacity: str = "participating",
    message: str = "",
    custody: KeyCustody | None = None,
) -> list[Accepted]:
    """Send an invitation; if the log holds no key for the invited party, the secretariat
    registers one this host keeps, so the party can answer.

    The inviter never names the invited party's key: whoever chose it could sign as that
    party. A party that signs with its own key is registered by the secretariat first
    (``accord party add CODE --vkey``), and then no hosted key is made.
    """
    body = {
        "party": party,
        "name": name,
        "category": category,
        "capacity": capacity,
        "message": message,
    }
    with transaction.atomic():
        accepted = [_act(actor, "forum.invitation.sent", body, custody)]
        if not active_keys(party):
            accepted.append(ledger_actions.register_party(party, name, custody=custody))
    return accepted


def open_invitation(party: str) -> Invitation:
    """The party's invitation that still awaits an answer."""
    invitation = Invitation.objects.filter(party=party).order_by("-entry_index").first()
    if invitation is None or not invitation.is_open:
        raise NotAllowed(f"{party} has no invitation awaiting an answer", "no_invitation")
    return invitation


def answer(
    actor: Actor,
    reply: str,
    *,
    invitation: int | None = None,
    custody: KeyCustody | None = None,
) -> Accepted:
    """Answer an invitation (the party's open one unless ``invitation`` names the entry)."""
    entry = open_invitation(actor.party).entry_index if invitation is None else invitation
    return _act(actor, "forum.invitation.answered", {"invitation": entry, "answer": reply}, custody)


def leave(actor: Actor, *, reason: str = "", custody: KeyCustody | None = None) -> Accepted:
    return _act(actor, "forum.party.left", {"reason": reason}, custody)


def hand_over_chair(actor: Actor, to: str, *, custody: KeyCustody | None = None) -> Accepted:
    return _act(actor, "forum.chair.handed_over", {"to": to}, custody)


def accredit(
    actor: Actor, handle: str, role: str, *, custody: KeyCustody | None = None
) -> Accepted:
    return _act(actor, "forum.person.accredited", {"handle": handle, "role": role}, custody)


def withdraw(actor: Actor, handle: str, *, custody: KeyCustody | None = None) -> Accepted:
    return _act(actor, "forum.person.withdrawn", {"handle": handle}, custody)


def propose_profile(
    actor: Actor, profile: dict[str, Any], *, custody: KeyCustody | None = None
) -> Accepted:
    return _act(actor, "forum.profile.proposed", {"profile": profile}, custody)


def agree_profile(actor: Actor, proposal: int, *, custody: KeyCustody | None = None) -> Accepted:
    return _act(actor, "forum.profile.agreed", {"proposal": proposal}, custody)


def adopt_profile(actor: Actor, proposal: int, *, custody: KeyCustody | None = None) -> Accepted:
    return _act(actor, "forum.profile.adopted", {"proposal": proposal}, custody)


def add_person(  # noqa: PLR0913 -- the person's details, each given by the secretariat
    handle: str,
    *,
    party: str,
    role: str,
    email: str,
    name: str = "",
    password: str | None = None,
    mail_link_from: str | None = None,
    by: str | None = None,
    custody: KeyCustody | None = None,
) -> people_actions.NewPerson:
    """The secretariat adds a person's account and a one-time sign-in link
    (``accord.people.actions.add_person``, which refuses a ``by`` who is not staff), and
    signs ``forum.person.added`` (handle and party only), which binds the handle to the party.

    ``by`` is the staff member who adds them (none from the host's CLI). The forum checks
    here what only it knows: the role fits the party, the party is the forum's, and no party
    has accredited the handle. The person acts for the party only once the party accredits
    them in the log (``accredit``): its head of delegation, or the party itself for its first
    head. The secretariat never signs that for the party, and no other party can accredit
    the handle. One transaction: one entry in the log and the people app's rows.
    """
    secretariat = queries.secretariat()
    if role not in ROLES or (role == "staff") != (party == secretariat):
        raise NotAllowed(
            "the role is head, delegate or adviser for a party, staff for the secretariat",
            "bad_role",
        )
    if party != secretariat and not ForumParty.objects.filter(code=party).exists():
        raise NotAllowed(f"{party} is not a party to this forum", "unknown_party")
    with transaction.atomic():
        if Accreditation.objects.filter(handle=handle).exists():
            # An account is made before the party accredits the handle, never after: the
            # head who accredits sees whose address the handle's sign-in link went to.
            raise NotAllowed(f"the handle {handle} is taken already", "handle_taken")
        added = people_actions.add_person(
            handle,
            party=party,
            role=role,
            email=email,
            by=by,
            name=name,
            password=password,
            mail_link_from=mail_link_from,
        )
        _act(
            Actor(secretariat or "", by),
            "forum.person.added",
            {"handle": handle, "party": party},
            custody,
        )
    return added
