"""The witnesses in the JSON API: who registered which witness, the policy, and the two acts.

``GET /witnesses`` is public, as the log is: every registration with whether it
counts and why not, and the tlog-policy the host publishes. The acts need a
personal token, so they are signed with the key the host keeps for the
person's party and never count; a party registers a witness that counts by
posting its own signed statement to ``POST /statements``
(``accord witness register --key``).
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord.forum.acted import ACTED, acted
from accord.forum.witness_acts import REGISTER_WITNESS, REMOVE_WITNESS
from accord.forum.witness_pages import registrations
from accord.forum.witness_policy import forum_witnesses
from accord.people.api import TOKEN

router = Router(tags=["witnesses"])


class RegistrationOut(Schema):
    name: str
    party: str
    vkeys: list[str]
    url: str
    attested: bool
    own_custody: bool
    counts: bool
    why_not: list[str]
    registered_at: int
    removed_at: int | None
    cosigned_size: int | None
    failing_since: str | None


class WitnessesOut(Schema):
    registrations: list[RegistrationOut]
    policy: str = Field(description="The tlog-policy (c2sp.org/tlog-policy); empty with none.")
    timeout_seconds: float


class RegistrationIn(Schema):
    name: str
    vkeys: list[str]
    url: str
    attestation: str = ""


class RemovalIn(Schema):
    name: str


@router.get("/witnesses", response=WitnessesOut)
def witnesses(request: HttpRequest) -> dict[str, Any]:  # noqa: ARG001 -- ninja passes it
    source = forum_witnesses()
    found = [
        {
            "name": one.row.name,
            "party": one.row.party,
            "vkeys": one.row.keys,
            "url": one.row.url,
            "attested": one.row.attested,
            "own_custody": one.row.own_custody,
            "counts": one.counts,
            "why_not": [str(reason) for reason in one.reasons],
            "registered_at": one.row.registered_at,
            "removed_at": one.row.removed_at,
            "cosigned_size": one.contact.cosigned_size if one.contact else None,
            "failing_since": (one.contact.failing_since or None) if one.contact else None,
        }
        for one in registrations()
    ]
    return {
        "registrations": found,
        "policy": source.policy_text,
        "timeout_seconds": source.timeout_seconds,
    }


@router.post("/witnesses", auth=TOKEN, response=ACTED)
def register(request: HttpRequest, data: RegistrationIn) -> Status[dict[str, Any]]:
    return acted(REGISTER_WITNESS, request, data.model_dump())


@router.post("/witnesses/remove", auth=TOKEN, response=ACTED)
def remove(request: HttpRequest, data: RemovalIn) -> Status[dict[str, Any]]:
    return acted(REMOVE_WITNESS, request, data.model_dump())
