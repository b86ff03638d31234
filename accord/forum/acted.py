"""How every app's API answers an act done with a personal token.

Each app's act routes (at their declarations' ``api`` paths) perform the act as the token's
person and answer 201 with the receipts, or the ``Refusal`` with the status its ``Rejected``
subclass carries; nothing is written on a refusal. One definition keeps that contract, and
its one ``Acted`` schema in the OpenAPI document, the same on every route of every app.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Schema
from ninja.responses import Status

from accord.forum.actions import Actor
from accord.ledger.api import Receipt, Refusal, receipt_of, refusal_of
from accord.ledger.errors import Rejected

if TYPE_CHECKING:
    from accord.ledger.acts import Act
    from accord.ledger.submit import Accepted
    from accord.people.models import Person


class Acted(Schema):
    receipts: list[Receipt]


ACTED = {201: Acted, 400: Refusal, 403: Refusal, 409: Refusal, 422: Refusal}


def performed(
    request: HttpRequest, perform: Callable[[Actor], Iterable["Accepted"]]
) -> Status[dict[str, Any]]:
    """Perform as the token's person (``request.auth``, set by the route's ``auth=TOKEN``):
    201 with the receipts, or the refusal."""
    person: Person = request.auth  # type: ignore[attr-defined]
    try:
        accepted = list(perform(Actor(person.party, person.handle)))
    except Rejected as refusal:
        return refusal_of(refusal)
    return Status(201, {"receipts": [receipt_of(one) for one in accepted]})


def acted(act: "Act", request: HttpRequest, fields: dict[str, Any]) -> Status[dict[str, Any]]:
    """Perform a declared act with ``fields`` as the token's person."""
    return performed(request, lambda actor: act.action(actor, fields))
