"""The forum's acts, each declared once: its action, default grants, sentences and surface names.

Every surface reads these declarations (``accord.ledger.acts``): the pages show
an act's form only when ``permits`` says the rules profile grants it to the
signed-in person, the API and the CLI call the same ``perform``, and a new
forum's standard profile takes its grants for the forum's kinds from here.
Each ``perform`` takes the actor and the body's fields (as the page form, the
API's JSON or the CLI's options give them) and returns what the log accepted.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from accord.forum import actions
from accord.forum.actions import Actor
from accord.forum.statements import (
    ChairHandedOver,
    ForumDescribed,
    InvitationAnswered,
    InvitationSent,
    PartyJoined,
    PartyLeft,
    PersonAccredited,
    PersonAdded,
    PersonWithdrawn,
    ProfileAdopted,
    ProfileAgreed,
    ProfileProposed,
    standing_of,
)
from accord.forum.templatetags.forum_words import CAPACITIES, WORDS
from accord.ledger.acts import ACTS, Act, Grant, declare
from accord.ledger.sentences import tell
from accord.ledger.submit import Accepted
from accord.people.actions import NewPerson

Perform = Callable[[Actor, dict[str, Any]], list[Accepted]]

SIGNERS = ("head", "party")
SPEAKERS = ("head", "delegate", "party")
MEMBERS = ("participating", "observer", "partner")
IN_TOUCH = ("invited", "interested", *MEMBERS)
SECRETARIAT: Grant = (("secretariat",), ("staff", "party"))


def _one(act: Callable[..., Accepted]) -> Perform:
    """A perform for an action that makes one statement from the body's fields by name."""
    return lambda actor, fields: [act(actor, **fields)]


def _invite(actor: Actor, fields: dict[str, Any]) -> list[Accepted]:
    return actions.invite(actor, fields.pop("party"), fields.pop("name"), **fields)


def _answer(actor: Actor, fields: dict[str, Any]) -> list[Accepted]:
    return [actions.answer(actor, fields["answer"], invitation=fields.get("invitation"))]


def _add_person(actor: Actor, fields: dict[str, Any]) -> NewPerson:
    """The secretariat adds an account (name and e-mail beside the body) and signs the binding."""
    return actions.add_person(fields.pop("handle"), by=actor.person, **fields)


JOIN = declare(
    Act(
        PartyJoined,
        _one(actions.join),
        _("Join the forum"),
        _("%(actor)s joined the forum"),
        ((("initiator",), SIGNERS),),
        cli="forum join",
        api="POST /forum/join",
        page="forum-join",
        refusals={
            "not_founding": _(
                "Your party is not a founding party; it joins by accepting its invitation."
            ),
            "already_joined": _("Your party has joined already."),
        },
    )
)
INVITE = declare(
    Act(
        InvitationSent,
        _invite,
        _("Send the invitation"),
        _("%(actor)s invited %(name)s as %(capacity)s"),
        ((("initiator", "chair"), SIGNERS),),
        cli="forum invite",
        api="POST /forum/invitations",
        page="forum-invitations",
        positional=("party",),
        refusals={
            "already_member": _("This party takes part already."),
            "already_invited": _("This party holds an invitation it has not answered."),
            "cannot_invite": _("This party cannot be invited."),
            "wrong_name": _("This party is known under another name."),
        },
    )
)
ANSWER = declare(
    Act(
        InvitationAnswered,
        _answer,
        _("Sign and send the answer"),
        _("%(actor)s answered the invitation: %(answer)s"),
        ((("invited", "interested"), SPEAKERS),),
        cli="forum answer",
        api="POST /forum/invitations/answer",
        page="forum-invitation",
        positional=("answer",),
        refers={"invitation": "forum.invitation.sent"},
        query=("invitation",),
        refusals={
            "no_invitation": _("There is no invitation awaiting an answer."),
            "answered": _("This invitation has been answered so already."),
        },
    )
)
LEAVE = declare(
    Act(
        PartyLeft,
        _one(actions.leave),
        _("Leave the forum"),
        _("%(actor)s left the forum"),
        ((MEMBERS, SIGNERS),),
        cli="forum leave",
        api="POST /forum/leave",
        page="forum-leave",
        refusals={"holds_chair": _("The chair must be handed over first.")},
        undoable=False,
    )
)
CHAIR = declare(
    Act(
        ChairHandedOver,
        _one(actions.hand_over_chair),
        _("Hand over the chair"),
        _("%(actor)s handed the chair to %(to)s"),
        ((("chair",), SIGNERS),),
        cli="forum chair",
        api="POST /forum/chair",
        page="forum-chair",
        positional=("to",),
        refusals={
            "holds_chair": _("Your party holds the chair already."),
            "not_participating": _("The chair can be handed only to a participating party."),
            "unknown_party": _("This party is not known to the forum."),
        },
    )
)
ADD_PERSON = declare(
    Act(
        PersonAdded,
        _add_person,
        _("Add the person"),
        _("%(actor)s added %(handle)s for %(party)s"),
        (SECRETARIAT,),
        cli="person add",
        api="POST /forum/people",
        page="forum-add-person",
        positional=("handle",),
        refusals={
            "not_secretariat": _("Only secretariat staff add people."),
            "handle_taken": _("This handle is taken already."),
            "bad_role": _("Only the secretariat has staff, and it has no delegation roles."),
            "unknown_party": _("This party is not known to the forum."),
        },
    )
)
ACCREDIT = declare(
    Act(
        PersonAccredited,
        _one(actions.accredit),
        _("Accredit"),
        _("%(actor)s accredited %(handle)s as %(role)s"),
        ((IN_TOUCH, SIGNERS), SECRETARIAT),
        cli="forum accredit",
        api="POST /forum/accreditations",
        page="forum-people",
        positional=("handle",),
        names="handle",
        refusals={
            "bad_role": _("Only the secretariat has staff, and it has no delegation roles."),
            "handle_taken": _(
                "This person was added for another party, or is accredited to one; only that party"
                " accredits them."
            ),
            "already_accredited": _("This person is accredited already."),
            "has_head": _("Your party has a head of delegation; withdraw them first."),
        },
    )
)
WITHDRAW = declare(
    Act(
        PersonWithdrawn,
        _one(actions.withdraw),
        _("Withdraw"),
        _("%(actor)s withdrew %(handle)s"),
        ((IN_TOUCH, SIGNERS), SECRETARIAT),
        cli="forum withdraw",
        api="POST /forum/people/{handle}/withdraw",
        page="forum-withdraw",
        positional=("handle",),
        refusals={"not_accredited": _("This person is not accredited to your party.")},
        undoable=False,
    )
)
PROPOSE = declare(
    Act(
        ProfileProposed,
        _one(actions.propose_profile),
        _("Propose the rules profile"),
        _("%(actor)s proposed a new rules profile"),
        ((("chair",), SIGNERS),),
        cli="forum profile propose",
        api="POST /forum/profile/proposals",
        page="forum-profile-propose",
        positional=("profile",),
        refusals={"bad_profile": _("The proposal must be the next version of the rules profile.")},
    )
)
AGREE = declare(
    Act(
        ProfileAgreed,
        _one(actions.agree_profile),
        _("Agree to the proposal"),
        _("%(actor)s agreed to the rules proposal of entry %(proposal)s"),
        ((("participating",), SIGNERS),),
        cli="forum profile agree",
        api="POST /forum/profile/proposals/{proposal}/agree",
        page="forum-profile-agree",
        positional=("proposal",),
        refers={"proposal": "forum.profile.proposed"},
        refusals={
            "no_proposal": _("This entry is not an open rules proposal."),
            "agreed_already": _("Your party agreed already."),
        },
    )
)
ADOPT = declare(
    Act(
        ProfileAdopted,
        _one(actions.adopt_profile),
        _("Declare the proposal adopted"),
        _("%(actor)s declared the rules proposal of entry %(proposal)s adopted"),
        ((("chair",), SIGNERS),),
        cli="forum profile adopt",
        api="POST /forum/profile/proposals/{proposal}/adopt",
        page="forum-profile-adopt",
        positional=("proposal",),
        refers={"proposal": "forum.profile.proposed"},
        refusals={
            "no_proposal": _("This entry is not an open rules proposal."),
            "rule_not_met": _("The forum's decision rule is not met by the agreements yet."),
        },
    )
)
DESCRIBE = declare(
    Act(
        ForumDescribed,
        _one(actions.describe),
        _("Describe the forum"),
        _("%(actor)s described the forum's name and purpose"),
        # The secretariat keeps the forum's records and the chair speaks for it; no party
        # else may say what the forum is for on everyone's home page.
        ((("chair",), SIGNERS), SECRETARIAT),
        cli="forum describe",
        api="POST /forum/description",
        page="forum-describe",
        refusals={
            "not_official": _("Give the name and purpose only in the forum's official languages."),
            "missing_language": _("Give the name and purpose in every official language."),
        },
    )
)

tell("forum.founded", _("%(actor)s founded the forum %(name)s"))
tell(INVITE.kind, words={"capacity": CAPACITIES}, names_of={"name": "party"})
tell(ANSWER.kind, words={"answer": WORDS})
tell(CHAIR.kind, parties=("to",))
tell(ADD_PERSON.kind, parties=("party",))
tell(ACCREDIT.kind, words={"role": WORDS})

FORUM_ACTS = tuple(act for act in ACTS.values() if act.kind.startswith("forum."))


def permits(party: str, handle: str | None, act: Act, secretariat: str) -> bool:
    """Whether the rules profile now grants ``act`` to ``handle`` acting for ``party``.

    What a page asks before it offers a form; the log's admission rule decides
    again when the act is made. One query (``standing_of``).
    """
    standing = standing_of(party, handle, secretariat)
    if standing is None:
        return False
    if handle is None:
        role = "party"
    elif standing.accredited_to != party or standing.role is None:
        return False
    else:
        role = standing.role
    return standing.profile.allows(act.kind, standing.standings, role)
