"""The CSBM projections, written only by ``apply()`` (``accord.csbm.statements``), and the
host's own delivery queue (``Dispatch``), which no replay writes.

A notification is named by the entry index of its public statement; its sealed content by
its own entry; a case (a consultation, an inspection, an evaluation, an incident) by the
notification that opened it. Fields that come from a restricted body are digested only in
the full digest (``full_only``), so a public replay reaches its own digest.
"""

from typing import ClassVar

from django.db import models

from accord.ledger.models import Digested

CASE_KINDS = ("consultation", "inspection", "evaluation", "incident")
CASE_STATES = (
    "reply_due",
    "replied",
    "reply_overdue",
    "bilateral_meeting_requested",
    "all_meeting_requested",
    "accepted",
    "declined",
    "reported",
    "closed",
)
MISSED = ("acknowledgement", "reply")


class Sealed(Digested):
    """A notification's content as its sender sealed it: the format, schema version and
    payload (restricted by default: the log holds only a commitment)."""

    entry_index = models.BigIntegerField(primary_key=True)
    party = models.CharField(max_length=32)
    distribution = models.CharField(max_length=16)
    commitment = models.CharField(max_length=80, blank=True)
    format = models.CharField(max_length=64, blank=True)
    v = models.PositiveIntegerField(default=0)
    payload = models.JSONField(null=True)
    sealed_at = models.CharField(max_length=40)
    digest_fields = (
        "entry_index",
        "party",
        "distribution",
        "commitment",
        "format",
        "v",
        "payload",
        "sealed_at",
    )
    full_only = ("format", "v", "payload")


class Notification(Digested):
    """A notification sent: its format, sender, recipients and public facts, the profile
    version its deadlines were computed under, and whether it was sent on time."""

    entry_index = models.BigIntegerField(primary_key=True)
    sender = models.CharField(max_length=32, db_index=True)
    format = models.CharField(max_length=64, db_index=True)
    v = models.PositiveIntegerField()
    content = models.BigIntegerField(unique=True)
    distribution = models.CharField(max_length=16)
    recipients = models.JSONField(default=list)
    facts = models.JSONField(default=dict)
    supersedes = models.BigIntegerField(null=True)
    superseded_by = models.BigIntegerField(null=True)
    in_reply_to = models.BigIntegerField(null=True)
    case = models.BigIntegerField(null=True, db_index=True)
    year = models.PositiveIntegerField(db_index=True)
    profile_version = models.PositiveIntegerField()
    sent_at = models.CharField(max_length=40)
    ack_due = models.CharField(max_length=40)
    due_by = models.CharField(max_length=40, blank=True)
    """When it had to be sent by (a prior notification: the lead days before the start; a
    reply: its case's reply deadline); blank when no rule sets one."""
    on_time = models.BooleanField(null=True)
    assessment = models.JSONField(null=True)
    """What the thresholds said of a prior notification's forces (restricted: full only)."""
    in_calendar = models.BooleanField(null=True)
    """Whether a prior notification's activity was in the sender's calendar for its year."""
    digest_fields = (
        "entry_index",
        "sender",
        "format",
        "v",
        "content",
        "distribution",
        "recipients",
        "facts",
        "supersedes",
        "superseded_by",
        "in_reply_to",
        "case",
        "year",
        "profile_version",
        "sent_at",
        "ack_due",
        "due_by",
        "on_time",
        "assessment",
        "in_calendar",
    )
    full_only = ("assessment", "in_calendar")

    class Meta:
        ordering: ClassVar[list[str]] = ["-entry_index"]


class Delivery(Digested):
    """One recipient of one notification: when the log took it (delivery to the web inbox is
    the log's own), its acknowledgement, and the conclusion that it was overdue."""

    notification = models.BigIntegerField()
    recipient = models.CharField(max_length=32, db_index=True)
    sender = models.CharField(max_length=32, db_index=True)
    year = models.PositiveIntegerField(db_index=True)
    ack_due = models.CharField(max_length=40)
    acknowledged_at = models.CharField(max_length=40, blank=True)
    ack_entry = models.BigIntegerField(null=True)
    ack_on_time = models.BooleanField(null=True)
    overdue_entry = models.BigIntegerField(null=True)
    digest_fields = (
        "notification",
        "recipient",
        "sender",
        "year",
        "ack_due",
        "acknowledged_at",
        "ack_entry",
        "ack_on_time",
        "overdue_entry",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["notification", "recipient"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["notification", "recipient"], name="csbm_one_delivery_a_recipient"
            )
        ]


class Case(Digested):
    """A conversation a request opens, with its state and deadlines (reference/csbm.md §8)."""

    entry_index = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=16)
    initiator = models.CharField(max_length=32, db_index=True)
    counterpart = models.CharField(max_length=32, db_index=True)
    state = models.CharField(max_length=32)
    year = models.PositiveIntegerField()
    unit = models.CharField(max_length=200, blank=True)
    profile_version = models.PositiveIntegerField()
    opened_at = models.CharField(max_length=40)
    reply_due = models.CharField(max_length=40, blank=True)
    reply_entry = models.BigIntegerField(null=True)
    reply_on_time = models.BooleanField(null=True)
    meeting_due = models.CharField(max_length=40, blank=True)
    counted = models.BooleanField(default=False)
    """Whether it counts against the receiving party's quota (an inspection or evaluation
    not declined for force majeure)."""
    closed_entry = models.BigIntegerField(null=True)
    digest_fields = (
        "entry_index",
        "kind",
        "initiator",
        "counterpart",
        "state",
        "year",
        "unit",
        "profile_version",
        "opened_at",
        "reply_due",
        "reply_entry",
        "reply_on_time",
        "meeting_due",
        "counted",
        "closed_entry",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-entry_index"]


class Missed(Digested):
    """A deadline the secretariat's scheduler concluded was missed, by whom, under which rule."""

    entry_index = models.BigIntegerField(primary_key=True)
    notification = models.BigIntegerField()
    party = models.CharField(max_length=32, db_index=True)
    what = models.CharField(max_length=16)
    due_at = models.CharField(max_length=40)
    rule = models.CharField(max_length=300)
    profile_version = models.PositiveIntegerField()
    year = models.PositiveIntegerField()
    digest_fields = (
        "entry_index",
        "notification",
        "party",
        "what",
        "due_at",
        "rule",
        "profile_version",
        "year",
    )

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["notification", "party", "what"], name="csbm_missed_once"
            )
        ]


class Webhook(Digested):
    """The address a party registered, by its own signed statement, for its national system
    to receive its deliveries; restricted, so the address is known to the host alone."""

    entry_index = models.BigIntegerField(primary_key=True)
    party = models.CharField(max_length=32, db_index=True)
    url = models.CharField(max_length=2000, blank=True)
    registered_at = models.CharField(max_length=40)
    digest_fields = ("entry_index", "party", "url", "registered_at")
    full_only = ("url",)


PROJECTIONS: tuple[type[Digested], ...] = (Sealed, Notification, Delivery, Case, Missed, Webhook)


class Dispatch(models.Model):
    """One delivery through one transport, queued in the notification's transaction and sent
    after commit (``accord.csbm.transports``); the host's own bookkeeping, never replayed."""

    notification = models.BigIntegerField(db_index=True)
    recipient = models.CharField(max_length=32)
    transport = models.CharField(max_length=16)
    status = models.CharField(max_length=16, default="pending")
    """pending → sent, or failed (to be retried) → dead (left for the operator)."""
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True)
    """When a worker's round took it to send (compare-and-set); a claim older than the
    transports' timeout is a worker that died mid-send, and the next round takes it again."""

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["notification", "recipient", "transport"], name="csbm_dispatch_once"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "next_attempt_at"], name="csbm_dispatch_due")
        ]

    def __str__(self) -> str:
        return f"{self.transport} {self.notification} → {self.recipient}: {self.status}"
