"""``{% witness_warning %}``: the warning every page shows while the witness policy is unmet.

The front layout includes it with one line, so the front app imports nothing of the
ledger's: the tag lives here. Costs the witness source's queries and three more per
page; nothing when the log has signed no checkpoint or the forum has no policy.
"""

from datetime import timedelta
from typing import Any

from django import template
from django.db import DatabaseError
from django.utils.timesince import timesince
from django.utils.timezone import now

from accord.ledger import cosigning

register = template.Library()


@register.inclusion_tag("ledger/partials/_witness_warning.html", takes_context=True)
def witness_warning(context: template.Context) -> dict[str, Any]:
    """Which witnesses are missing from the latest checkpoint and since when, if unmet."""
    try:
        shown = cosigning.standing()
    except DatabaseError:  # an error page for a database that is down still renders
        return {"unmet": False}
    if shown is None or shown.met:
        return {"unmet": False}
    return {
        "unmet": True,
        "checkpoint": shown.checkpoint,
        "missing": shown.missing,
        "parties": context.get("parties"),
    }


@register.filter
def lag(value: timedelta) -> str:
    """``{{ witness.lag|lag }}``: a duration as people say it ("2 hours, 5 minutes")."""
    moment = now()
    return timesince(moment - value, moment)
