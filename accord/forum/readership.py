"""Who in the forum reads restricted bodies: the default read rule, and whom a request names.

The ledger decides per kind who may read a restricted body, but knows neither
parties' standing nor people: the forum registers both when Django loads it
(``apps.py``). By default the participating parties read (DESIGN.md §3), as
the forum's projections stand now; a person reads for the party whose
delegation they are accredited to in the log now, any role, and a head of
delegation or staff member only after the second factor, as for acting.
"""

from django.http import HttpRequest

from accord.forum import queries
from accord.forum.models import ForumParty
from accord.ledger import registry
from accord.ledger.envelope import Statement
from accord.ledger.registry import Reader, default_read_rule
from accord.people.models import Person


@default_read_rule
def participating_parties(_statement: Statement, party: str) -> bool:
    """Whether ``party`` participates in the forum now, whatever the statement; one query."""
    return ForumParty.objects.filter(code=party, status="participating").exists()


def reader(person: Person) -> Reader:
    """The person as a reader: their party is their accreditation in force, if it is for the
    party the secretariat added them to; two queries."""
    accredited = queries.accreditation(person.handle)
    party = accredited.party if accredited and accredited.party == person.party else None
    return Reader(person.handle, party)


class ForumReadership:
    """Sessions and personal API tokens, as the forum's pages and API authenticate them."""

    # Imported when first asked, not when Django loads the forum: sign-in and the API pull in
    # views and routers that app loading should not wait for.
    def of_session(self, request: HttpRequest) -> Reader | None:
        from accord.people.signin import person_of, second_factor_missing  # noqa: PLC0415

        person = person_of(request)
        if person is None or second_factor_missing(request, person):
            return None
        return reader(person)

    def of_token(self, request: HttpRequest, token: str) -> Reader | None:
        from accord.people.api import TOKEN  # noqa: PLC0415

        person = TOKEN.authenticate(request, token)
        return None if person is None else reader(person)


def session_party(request: HttpRequest) -> str | None:
    """The party the signed-in person reads for (their accreditation in force), or None; the
    pages of every app ask this, through the registry as the ledger's pages do."""
    readership = registry.readership()
    found = readership.of_session(request) if readership is not None else None
    return found.party if found is not None else None


def token_party(request: HttpRequest) -> str | None:
    """The party a request's bearer token reads for, else None: a public reader. A read never
    fails for a bad token (an account the party never accredited, or one it withdrew, reads
    for nobody); it is read as public."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    readership = registry.readership()
    if scheme.lower() != "bearer" or not token.strip() or readership is None:
        return None
    found = readership.of_token(request, token.strip())
    return found.party if found is not None else None


def request_party(request: HttpRequest) -> str | None:
    """The party a request reads for: its bearer token's, when it carries one (a bad token
    reads for nobody and never falls back to the session), else the session's."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token_party(request)
    return session_party(request)
