"""The restricted body of a statement, for the parties entitled to it (``disclosure``).

``GET /api/v1/statements/{index}/restricted`` with ``Authorization: Bearer
<token>`` (a personal API token, as for the forum's acts) answers the salt and
the body this host holds, which the caller checks against the commitment in
the public entry (``accord restricted show`` does). 401 without a valid token,
403 for a person of no entitled party, 404 for a public or missing entry.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from accord.ledger import disclosure, registry
from accord.ledger.registry import Reader

router = Router(tags=["restricted"])


class ReaderToken(HttpBearer):
    """A personal API token, resolved to its person by the app that keeps people."""

    def authenticate(self, request: HttpRequest, token: str) -> Reader | None:
        readership = registry.readership()
        return None if readership is None else readership.of_token(request, token)


class RestrictedOut(Schema):
    index: int
    kind: str
    actor: str
    commitment: str
    salt: str
    body: dict[str, Any]
    entry_url: str


class Problem(Schema):
    detail: str


@router.get(
    "/statements/{index}/restricted",
    auth=ReaderToken(),
    response={200: RestrictedOut, 403: Problem, 404: Problem, 409: Problem},
)
def restricted(request: HttpRequest, index: int, response: HttpResponse) -> Status[dict[str, Any]]:
    """The salted body of a restricted entry, for a person of an entitled party. Check it:
    SHA-256 of the canonical ``{"body", "salt"}`` must be the entry's ``commitment``."""
    patch_cache_control(response, private=True, no_store=True)
    reader: Reader = request.auth  # type: ignore[attr-defined]
    try:
        copy = disclosure.copy_for(index, reader)
    except disclosure.Undisclosed as refusal:
        return Status(refusal.status, {"detail": str(refusal)})
    if copy.body is None:
        return Status(
            409,
            {"detail": f"this host's copy of entry {index} is damaged; tell the secretariat"},
        )
    return Status(
        200,
        {
            "index": index,
            "kind": copy.statement.kind,
            "actor": copy.statement.actor,
            "commitment": copy.commitment,
            "salt": copy.salt,
            "body": copy.body,
            "entry_url": f"/log/entry/{index}",
        },
    )
