"""What every page's layout needs: whether this is a demo, and the forum's name."""

from typing import Any

from django.http import HttpRequest

from accord.forum import queries


def site(request: HttpRequest) -> dict[str, Any]:
    """Two queries: whether the log is the demo's, and the forum row (None before founding)."""
    return {"demo": queries.is_demo(), "forum": queries.forum()}
