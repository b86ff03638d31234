"""What every page's layout needs: whether this is a demo, the forum, and party names."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accord.forum import queries
from accord.ledger.names import party_names


def site(request: HttpRequest) -> dict[str, Any]:
    """Two queries: whether the log is the demo's, and the forum row (None before founding).

    ``parties`` (the register of names for the ``party`` filter) costs two more
    queries, and only on a page that names a party.
    """
    return {
        "demo": queries.is_demo(),
        "forum": queries.forum(),
        "parties": SimpleLazyObject(party_names),
    }
