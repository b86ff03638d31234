"""The forum's JSON API: read the forum, and act in it with a personal token.

Reads are public, as the log is. Acts need ``Authorization: Bearer <token>``
(a personal API token); the person acts for their own party through the
host's key for it, and the rules profile decides as for any statement. Each
act route calls its declaration's ``perform`` (``accord.forum.acts``) and
answers as the ledger's API does: 201 with the receipts (``Receipt``), or the
``Refusal`` with the HTTP status its ``Rejected`` subclass carries.
"""

from collections.abc import Callable
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field, field_validator

from accord.forum import actions, queries
from accord.forum import acts as forum_acts
from accord.forum.acted import ACTED, acted
from accord.forum.statements import CODE, HANDLE
from accord.ledger.api import Refusal, refusal_of
from accord.ledger.errors import Rejected
from accord.people import actions as people_actions
from accord.people.api import TOKEN
from accord.people.models import AccountChange, Person
from accord.people.signin import site_url

router = Router(tags=["forum"])


class PartyOut(Schema):
    code: str
    name: str
    category: str
    status: str
    founding: bool
    since: int


class AccreditationOut(Schema):
    handle: str
    party: str
    role: str
    entry_index: int


class InvitationOut(Schema):
    entry_index: int
    party: str
    invited_by: str
    capacity: str
    message: str
    sent_at: str
    answer: str


class ForumOut(Schema):
    name: str
    languages: list[str]
    symbol_prefix: str
    decision_rule: str
    chair: str
    profile_version: int
    parties: list[PartyOut]


class PartyDetail(PartyOut):
    history: list[dict[str, Any]]
    delegation: list[AccreditationOut]
    keys: list[dict[str, Any]]


class Problem(Schema):
    detail: str


class InvitationIn(Schema):
    party: str
    name: str
    category: Literal["state", "organisation"] = "state"
    capacity: Literal["participating", "observer", "partner"] = "participating"
    message: str = ""


class AnswerIn(Schema):
    answer: Literal["interested", "accepted", "declined"]


class LeaveIn(Schema):
    reason: str = ""


class ChairIn(Schema):
    to: str


class PersonIn(Schema):
    handle: str = Field(pattern=HANDLE)
    party: str = Field(pattern=CODE)
    role: Literal["head", "delegate", "adviser", "staff"]
    email: str = Field(max_length=254)
    name: str = Field(default="", max_length=200)

    @field_validator("email")
    @classmethod
    def _one_address(cls, email: str) -> str:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError("not an e-mail address") from None
        return email


class AwaitingOut(Schema):
    handle: str
    party: str
    role: str
    name: str
    email: str


class PersonOut(Schema):
    handle: str
    party: str
    role: str
    link_sent_to: str


def _party_out(party: Any) -> dict[str, Any]:
    return queries.party_summary(party)


@router.get("/forum", response={200: ForumOut, 404: Problem})
def forum(request: HttpRequest) -> Status[dict[str, Any]]:
    summary = queries.summary()
    if summary is None:
        return Status(404, {"detail": "no forum has been founded on this log"})
    return Status(200, summary)


@router.get("/forum/parties/{code}", response={200: PartyDetail, 404: Problem})
def party(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    row = queries.party(code)
    if row is None:
        return Status(404, {"detail": f"{code} is not a party to this forum"})
    return Status(
        200,
        _party_out(row)
        | {
            "history": [
                {"entry_index": c.entry_index, "status": c.status, "logged_at": c.logged_at}
                for c in queries.status_history(code)
            ],
            "delegation": list(queries.delegation(code)),
            "keys": [
                {
                    "vkey": k.vkey,
                    "custody": k.custody,
                    "added_at": k.added_at,
                    "revoked_at": k.revoked_at,
                }
                for k in queries.keys(code)
            ],
        },
    )


@router.get("/forum/invitations", response=list[InvitationOut])
def invitations(request: HttpRequest, party: str | None = None) -> list[Any]:
    return queries.invitations(party)


@router.get("/forum/invitations/open", response={200: InvitationOut, 404: Problem})
def open_invitation(request: HttpRequest, party: str) -> Status[Any]:
    """The party's invitation awaiting an answer, which an own-key tool answers (and proves
    in the log itself before it signs)."""
    try:
        return Status(200, actions.open_invitation(party))
    except Rejected as refusal:
        return Status(404, {"detail": refusal.reason})


@router.get("/forum/profile", response={200: dict[str, Any], 404: Problem})
def profile(request: HttpRequest) -> Status[dict[str, Any]]:
    found = queries.profile()
    if found is None:
        return Status(404, {"detail": "no forum has been founded on this log"})
    return Status(200, found[1].model_dump(mode="json"))


@router.post("/forum/invitations", auth=TOKEN, response=ACTED)
def invite(request: HttpRequest, data: InvitationIn) -> Status[dict[str, Any]]:
    return acted(forum_acts.INVITE, request, data.model_dump())


@router.post("/forum/invitations/answer", auth=TOKEN, response=ACTED)
def answer(
    request: HttpRequest, data: AnswerIn, invitation: int | None = None
) -> Status[dict[str, Any]]:
    return acted(forum_acts.ANSWER, request, {"answer": data.answer, "invitation": invitation})


@router.post("/forum/join", auth=TOKEN, response=ACTED)
def join(request: HttpRequest) -> Status[dict[str, Any]]:
    return acted(forum_acts.JOIN, request, {})


@router.post("/forum/leave", auth=TOKEN, response=ACTED)
def leave(request: HttpRequest, data: LeaveIn) -> Status[dict[str, Any]]:
    return acted(forum_acts.LEAVE, request, data.model_dump())


@router.post("/forum/chair", auth=TOKEN, response=ACTED)
def chair(request: HttpRequest, data: ChairIn) -> Status[dict[str, Any]]:
    return acted(forum_acts.CHAIR, request, data.model_dump())


@router.get("/forum/people", response=list[AccreditationOut])
def people(request: HttpRequest, party: str | None = None) -> list[Any]:
    """Handles and roles only, as in the log: names and e-mail addresses are not served."""
    return queries.accreditations(party)


@router.post("/forum/people", auth=TOKEN, response={**ACTED, 201: PersonOut})
def add_person(request: HttpRequest, data: PersonIn) -> Status[dict[str, Any]]:
    """Secretariat staff (accredited in the log now) add a person's account; the one-time
    sign-in link is e-mailed to the person, never returned. Nothing is signed: the party
    accredits the person itself."""
    staff: Person = request.auth  # type: ignore[attr-defined]
    if not queries.is_staff(staff.handle):
        return Status(
            403,
            {
                "code": "not_secretariat",
                "reason": "only secretariat staff add people",
                "refusal": None,
            },
        )
    try:
        added = actions.add_person(
            data.handle,
            party=data.party,
            role=data.role,
            email=data.email,
            name=data.name,
            mail_link_from=site_url(request),
            by=staff.handle,
        )
    except Rejected as refusal:
        return refusal_of(refusal)
    return Status(
        201,
        {
            "handle": added.person.handle,
            "party": added.person.party,
            "role": added.person.role,
            "link_sent_to": added.person.email,
        },
    )


class AccreditIn(Schema):
    handle: str
    role: Literal["head", "delegate", "adviser", "staff"]


@router.post("/forum/accreditations", auth=TOKEN, response=ACTED)
def accredit(request: HttpRequest, data: AccreditIn) -> Status[dict[str, Any]]:
    """The person's party accredits someone to its delegation (heads, as the profile allows)."""
    return acted(forum_acts.ACCREDIT, request, data.model_dump())


class DescriptionIn(Schema):
    name: dict[str, str]
    purpose: dict[str, str]


@router.post("/forum/description", auth=TOKEN, response=ACTED)
def describe(request: HttpRequest, data: DescriptionIn) -> Status[dict[str, Any]]:
    """The secretariat or the chair gives the forum's name and purpose in each official
    language; the home page shows them."""
    return acted(forum_acts.DESCRIBE, request, data.model_dump())


class ProposalIn(Schema):
    profile: dict[str, Any]


@router.post("/forum/profile/proposals", auth=TOKEN, response=ACTED)
def propose_profile(request: HttpRequest, data: ProposalIn) -> Status[dict[str, Any]]:
    """The chair proposes the next rules profile, in full."""
    return acted(forum_acts.PROPOSE, request, data.model_dump())


@router.post("/forum/profile/proposals/{proposal}/agree", auth=TOKEN, response=ACTED)
def agree_profile(request: HttpRequest, proposal: int) -> Status[dict[str, Any]]:
    return acted(forum_acts.AGREE, request, {"proposal": proposal})


@router.post("/forum/profile/proposals/{proposal}/adopt", auth=TOKEN, response=ACTED)
def adopt_profile(request: HttpRequest, proposal: int) -> Status[dict[str, Any]]:
    """Accepted only when the forum's decision rule is met by the agreements in the log."""
    return acted(forum_acts.ADOPT, request, {"proposal": proposal})


@router.get("/forum/people/awaiting", auth=TOKEN, response={200: list[AwaitingOut], 403: Problem})
def awaiting(request: HttpRequest) -> Status[Any]:
    """People the secretariat added and their party has not accredited yet, with the address
    their sign-in link went to, so a head accredits knowing whom: a head of delegation sees
    their own party's, secretariat staff everyone's; anyone else is refused."""
    person: Person = request.auth  # type: ignore[attr-defined]
    rows = queries.awaiting_accreditation(person)
    if rows is None:
        return Status(
            403,
            {
                "detail": "only a party's head of delegation and secretariat staff see whom "
                "the secretariat added"
            },
        )
    return Status(200, rows)


class AccountChangeOut(Schema):
    handle: str
    change: str
    by: str
    at: str


def _changed(handle: str, change: Callable[..., AccountChange], by: str) -> Status[Any]:
    try:
        record = change(handle, by=by)
    except Rejected as refusal:
        refused = refusal_of(refusal)
        if refusal.code == "unknown_person":
            return Status(404, refused.value)
        return Status(403 if refusal.code == "not_secretariat" else 422, refused.value)
    return Status(
        200,
        {"handle": handle, "change": record.change, "by": record.by, "at": record.at.isoformat()},
    )


ACCOUNT = {200: AccountChangeOut, 403: Refusal, 404: Refusal, 422: Refusal}


@router.post("/forum/people/{handle}/second-factor/reset", auth=TOKEN, response=ACCOUNT)
def reset_second_factor(request: HttpRequest, handle: str) -> Status[Any]:
    """Secretariat staff remove a person's authenticators (a lost one); recorded, and the
    person is told by e-mail."""
    staff: Person = request.auth  # type: ignore[attr-defined]
    return _changed(handle, people_actions.reset_second_factor, staff.handle)


@router.post("/forum/people/{handle}/deactivate", auth=TOKEN, response=ACCOUNT)
def deactivate(request: HttpRequest, handle: str) -> Status[Any]:
    """Secretariat staff deactivate an account: no sign-in, its tokens and links dead, its
    sessions ended; recorded, and the person is told by e-mail."""
    staff: Person = request.auth  # type: ignore[attr-defined]
    return _changed(handle, people_actions.deactivate, staff.handle)


@router.post("/forum/people/{handle}/withdraw", auth=TOKEN, response=ACTED)
def withdraw(request: HttpRequest, handle: str) -> Status[dict[str, Any]]:
    return acted(forum_acts.WITHDRAW, request, {"handle": handle})
