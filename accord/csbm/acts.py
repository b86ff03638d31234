"""The CSBM acts, each declared once: its action, default grants, sentences and names.

Every surface reads these declarations (``accord.ledger.acts``). By default a participating
party's head of delegation, its delegates and its national system (signing as the party)
seal and send notifications, acknowledge them and close the cases they opened; only a head
or the national system registers where its deliveries go; the secretariat's scheduler
records missed deadlines.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from accord.csbm import actions
from accord.csbm.statements import (
    CaseClosed,
    ContentSealed,
    DeadlineMissed,
    NotificationAcknowledged,
    NotificationSent,
    WebhookRegistered,
)
from accord.forum.actions import Actor
from accord.ledger.acts import Act, Grant, declare
from accord.ledger.submit import Accepted

Perform = Callable[[Actor, dict[str, Any]], list[Accepted]]

SENDERS: Grant = (("participating",), ("head", "delegate", "party"))
HEADS: Grant = (("participating",), ("head", "party"))
SECRETARIAT: Grant = (("secretariat",), ("staff", "party"))

CONTENT_REFUSALS = {
    "unknown_format": _("There is no such notification format."),
    "bad_payload": _("The notification does not follow its format's schema."),
}
NOTIFY_REFUSALS = {
    **CONTENT_REFUSALS,
    "not_participating": _("Only participating parties send and receive notifications."),
    "not_sealed": _("This is no content the party sealed."),
    "content_sent": _("This content was sent already."),
    "facts_mismatch": _("The public facts are not those of the sealed content."),
    "wrong_recipients": _("The notification does not go to the parties its format names."),
    "not_yours": _("A correction supersedes one's own notification of the same type."),
    "superseded": _("That notification was superseded already."),
    "no_notification": _("This is not a notification."),
    "bad_facts": _("The public facts lack a date, a year or the request answered."),
    "start_in_past": _("The activity starts in the past; a prior notification comes before it."),
    "below_thresholds": _(
        "The forces are below every threshold of prior notification; mark it voluntary."
    ),
    "wrong_year": _("The calendar or exchange is for a year too far from this one."),
    "quota_exhausted": _("The receiving party's quota for this year is used up."),
    "inspected_already": _("The party has used its share of this party's quota this year."),
    "unit_visited": _("This unit has had as many visits this year as the rules allow."),
    "unknown_unit": _("The receiving party reported no such unit."),
    "team_too_large": _("The team is larger than the rules allow."),
    "no_case": _("This entry opened no consultation, inspection or evaluation."),
    "wrong_request": _("This is not the kind of request this message answers."),
    "case_closed": _("The conversation was closed; nothing more is sent in it."),
    "not_your_turn": _("Another party sends this message in this conversation."),
    "replied_already": _("The request was answered already."),
    "reply_not_due": _("The reply is not yet due; a meeting is requested after it."),
    "meeting_requested": _("This meeting was requested already."),
    "not_accepted": _("Only an accepted inspection is reported."),
}


def _one(act: Callable[..., Accepted]) -> Perform:
    return lambda actor, fields: [act(actor, **fields)]


SEAL = declare(
    Act(
        ContentSealed,
        _one(actions.seal),
        _("Seal the content"),
        _("%(actor)s sealed the content of a notification (%(format)s)"),
        (SENDERS,),
        cli="csbm seal",
        api="POST /csbm/contents",
        page="csbm-seal",
        positional=("format",),
        refusals=CONTENT_REFUSALS,
    )
)
NOTIFY = declare(
    Act(
        NotificationSent,
        lambda actor, fields: actions.notify(actor, **fields),
        _("Send the notification"),
        _("%(actor)s sent a notification (%(format)s)"),
        (SENDERS,),
        cli="csbm notify",
        api="POST /csbm/notifications",
        page="csbm-notify",
        positional=("format",),
        refusals=NOTIFY_REFUSALS,
        refers={"content": "csbm.content.sealed"},
    )
)
ACKNOWLEDGE = declare(
    Act(
        NotificationAcknowledged,
        _one(actions.acknowledge),
        _("Acknowledge"),
        _("%(actor)s acknowledged notification %(notification)s"),
        (SENDERS,),
        cli="csbm ack",
        api="POST /csbm/notifications/{notification}/acknowledgement",
        page="csbm-acknowledge",
        positional=("notification",),
        refusals={
            "no_notification": NOTIFY_REFUSALS["no_notification"],
            "own_notification": _("A party does not acknowledge its own notification."),
            "not_recipient": _("This notification was not sent to the party."),
            "acknowledged_already": _("The party acknowledged this notification already."),
        },
        refers={"notification": "csbm.notification.sent"},
    )
)
CLOSE = declare(
    Act(
        CaseClosed,
        _one(actions.close_case),
        _("Close the conversation"),
        _("%(actor)s closed the conversation opened by entry %(case)s: %(outcome)s"),
        (SENDERS,),
        cli="csbm close",
        api="POST /csbm/cases/{case}/closing",
        page="csbm-close",
        positional=("case",),
        refusals={
            "no_case": NOTIFY_REFUSALS["no_case"],
            "not_your_turn": _("Only the party that opened the conversation closes it."),
            "case_closed": _("The conversation was closed already."),
        },
        refers={"case": "csbm.notification.sent"},
    )
)
MISSED = declare(
    Act(
        DeadlineMissed,
        _one(actions.record_missed),
        _("Record a missed deadline"),
        _("%(actor)s recorded that %(party)s missed the %(what)s of notification %(notification)s"),
        (SECRETARIAT,),
        cli="csbm missed",
        api="POST /csbm/notifications/{notification}/missed",
        page="csbm-missed",
        positional=("notification",),
        refusals={
            "not_secretariat": _("Only the secretariat records a missed deadline."),
            "no_notification": NOTIFY_REFUSALS["no_notification"],
            "no_deadline": _("The party owes nothing on this notification."),
            "not_yet": _("The deadline has not passed yet."),
            "met": _("The party met the deadline."),
            "recorded_already": _("This missed deadline was recorded already."),
        },
        refers={"notification": "csbm.notification.sent"},
    )
)
WEBHOOK = declare(
    Act(
        WebhookRegistered,
        _one(actions.register_webhook),
        _("Register the webhook"),
        _("%(actor)s registered where its national system receives its notifications"),
        (HEADS,),
        cli="csbm webhook",
        api="POST /csbm/webhook",
        page="csbm-webhook",
        positional=("url",),
        refusals={"bad_webhook": _("Deliveries go only to a public https address.")},
    )
)

CSBM_ACTS = (SEAL, NOTIFY, ACKNOWLEDGE, CLOSE, MISSED, WEBHOOK)
