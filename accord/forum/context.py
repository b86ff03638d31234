"""What every page's layout needs: whether this is a demo, the forum, and party names."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from accord.forum import queries
from accord.ledger.names import party_names


def site(request: HttpRequest) -> dict[str, Any]:
    """Two queries: whether the log is the demo's, and the forum row (None before founding).

    ``parties`` (the register of names for the ``party`` filter) costs two more
    queries, and only on a page that names a party; ``described`` (the forum's name and
    purpose in the reader's language) one or two, on the pages that show it.
    """
    return {
        "demo": queries.is_demo(),
        "forum": queries.forum(),
        "parties": SimpleLazyObject(party_names),
        "described": SimpleLazyObject(lambda: queries.description(get_language() or "en")),
    }
