"""What every page's layout needs: whether this is a demo, and the forum's name."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accord.forum import queries


def site(request: HttpRequest) -> dict[str, Any]:
    """One query: the forum row (None before founding)."""
    return {"demo": settings.DEMO, "forum": queries.forum()}
