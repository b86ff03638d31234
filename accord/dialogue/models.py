"""The conference's projections, written only by ``apply()`` (``accord.dialogue.statements``).

Every row is keyed by what the log names: an edition, a meeting, an inscription, a
statement and a question are each named by the entry index of the statement that
made it; an agenda item by its edition and number; a delegation by its edition
and party. Each model lists the fields the state digest reads (``digest_fields``,
``accord.ledger.models.Digested``) and, where a restricted body feeds it, which of them
only the full digest reads (``full_only``), so a public replay (which holds no restricted
body) and a full one each reach their own digest on SQLite and PostgreSQL alike.
"""

from typing import Any, ClassVar

from django.db import models

from accord.ledger.models import Digested

FORMATS = ("plenary", "working_group", "informal", "closed")
RECORDS = ("verbatim", "summary", "communique", "none")
LEVELS = ("head_of_state", "head_of_government", "minister", "ambassador", "other")
"""Speaker levels in the order of the speakers' list (HRC high-level segment practice)."""
FUNCTIONS = ("head", "alternate", "adviser")
ISSUERS = ("head_of_state", "head_of_government", "foreign_minister")
INSTRUMENTS = ("formal", "note_verbale", "cable")
INSCRIPTION_KINDS = ("point_of_order", "statement", "reply")
SUMMARY_KINDS = ("chairs_summary", "perception_paper")
FOLLOWUP_KINDS = ("recommendation", "commitment")
FOLLOWUP_STATUSES = ("open", "in_progress", "done", "dropped")


class Edition(Digested):
    """One edition of a conference series (the first Minsk conference), chaired by a party."""

    entry_index = models.BigIntegerField(primary_key=True)
    series = models.CharField(max_length=64)
    series_title = models.CharField(max_length=300)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    city = models.CharField(max_length=120)
    venue = models.CharField(max_length=300, blank=True)
    time_zone = models.CharField(max_length=64)
    starts_on = models.CharField(max_length=10)
    ends_on = models.CharField(max_length=10)
    chair = models.CharField(max_length=32)
    languages = models.JSONField(default=list)
    participants_symbol = models.CharField(max_length=120)
    agenda_entry = models.BigIntegerField(null=True)
    agenda_adopted = models.BigIntegerField(null=True)
    agenda_symbol = models.CharField(max_length=120, blank=True)
    created_at = models.CharField(max_length=40)
    digest_fields = (
        "entry_index",
        "series",
        "series_title",
        "number",
        "title",
        "city",
        "venue",
        "time_zone",
        "starts_on",
        "ends_on",
        "chair",
        "languages",
        "participants_symbol",
        "agenda_entry",
        "agenda_adopted",
        "agenda_symbol",
        "created_at",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["starts_on", "entry_index"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["series", "number"], name="one_edition_a_number")
        ]


class Meeting(Digested):
    """A numbered meeting of an edition: when, where, in what format, with what record."""

    entry_index = models.BigIntegerField(primary_key=True)
    edition = models.BigIntegerField(db_index=True)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    starts_at = models.CharField(max_length=40)
    ends_at = models.CharField(max_length=40)
    room = models.CharField(max_length=120)
    format = models.CharField(max_length=16)
    record = models.CharField(max_length=16)
    languages = models.JSONField(default=list)
    interpretation = models.JSONField(default=list)
    digest_fields = (
        "entry_index",
        "edition",
        "number",
        "title",
        "starts_at",
        "ends_at",
        "room",
        "format",
        "record",
        "languages",
        "interpretation",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["starts_at", "entry_index"]


class AgendaItem(Digested):
    """A numbered (``1``, ``2.1``) item of an edition's agenda as last proposed."""

    edition = models.BigIntegerField(db_index=True)
    number = models.CharField(max_length=16)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    parent = models.CharField(max_length=16, blank=True)
    documents = models.JSONField(default=list)
    followups = models.JSONField(default=list)
    digest_fields = ("edition", "number", "position", "title", "parent", "documents", "followups")

    class Meta:
        ordering: ClassVar[list[str]] = ["edition", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["edition", "number"], name="one_item_a_number")
        ]


class Delegation(Digested):
    """A party's delegation to an edition as last named: its members, each with a function
    (head, alternate, adviser), a speaker level and a precedence, and the party's standing."""

    edition = models.BigIntegerField(db_index=True)
    party = models.CharField(max_length=32)
    standing = models.CharField(max_length=16)
    members = models.JSONField(default=list)
    entry_index = models.BigIntegerField()
    digest_fields = ("edition", "party", "standing", "members", "entry_index")

    class Meta:
        ordering: ClassVar[list[str]] = ["edition", "party"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["edition", "party"], name="one_delegation_a_party")
        ]


class Credentials(Digested):
    """A delegation's credentials: who issued them, in what instrument and when; provisional
    until the chair's credentials report accepts them."""

    entry_index = models.BigIntegerField(primary_key=True)
    edition = models.BigIntegerField(db_index=True)
    party = models.CharField(max_length=32)
    issuer = models.CharField(max_length=24)
    instrument = models.CharField(max_length=16)
    dated = models.CharField(max_length=10)
    status = models.CharField(max_length=16, default="provisional")
    report = models.BigIntegerField(null=True)
    digest_fields = (
        "entry_index",
        "edition",
        "party",
        "issuer",
        "instrument",
        "dated",
        "status",
        "report",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["edition", "party", "entry_index"]


class CredentialsReport(Digested):
    """The chair's report on credentials, a document with its own symbol."""

    entry_index = models.BigIntegerField(primary_key=True)
    edition = models.BigIntegerField()
    symbol = models.CharField(max_length=120)
    text = models.TextField()
    parties = models.JSONField(default=list)
    issued_at = models.CharField(max_length=40)
    digest_fields = ("entry_index", "edition", "symbol", "text", "parties", "issued_at")


class SpeakersList(Digested):
    """The inscription window of one agenda item in one meeting."""

    meeting = models.BigIntegerField()
    item = models.CharField(max_length=16)
    opened = models.BigIntegerField()
    opened_at = models.CharField(max_length=40)
    closed = models.BigIntegerField(null=True)
    closed_at = models.CharField(max_length=40, blank=True)
    seconds = models.PositiveIntegerField()
    digest_fields = ("meeting", "item", "opened", "opened_at", "closed", "closed_at", "seconds")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["meeting", "item"], name="one_list_an_item")
        ]


class Inscription(Digested):
    """A request for the floor: a statement, a point of order or a right of reply; its place
    in the list is computed (``accord.dialogue.order``), never stored."""

    entry_index = models.BigIntegerField(primary_key=True)
    meeting = models.BigIntegerField(db_index=True)
    item = models.CharField(max_length=16)
    party = models.CharField(max_length=32)
    speaker = models.CharField(max_length=40)
    level = models.CharField(max_length=24)
    kind = models.CharField(max_length=16)
    on_behalf_of = models.CharField(max_length=200, blank=True)
    aligning = models.JSONField(default=list)
    replying_to = models.CharField(max_length=32, blank=True)
    seconds = models.PositiveIntegerField()
    inscribed_at = models.CharField(max_length=40)
    floor = models.BigIntegerField(null=True)
    """The entry that gave this inscription the floor, once given."""
    floor_at = models.CharField(max_length=40, blank=True)
    digest_fields = (
        "entry_index",
        "meeting",
        "item",
        "party",
        "speaker",
        "level",
        "kind",
        "on_behalf_of",
        "aligning",
        "replying_to",
        "seconds",
        "inscribed_at",
        "floor",
        "floor_at",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]


class Circulated(Digested):
    """A statement's text as circulated by its delegation, public or restricted; before it is
    delivered only the secretariat's interpreters (and the delegation) read a restricted copy."""

    entry_index = models.BigIntegerField(primary_key=True)
    party = models.CharField(max_length=32)
    distribution = models.CharField(max_length=16)
    commitment = models.CharField(max_length=80, blank=True)
    title = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)
    versions = models.JSONField(default=dict)
    check_against_delivery = models.BooleanField(default=False)
    circulated_at = models.CharField(max_length=40)
    digest_fields = (
        "entry_index",
        "party",
        "distribution",
        "commitment",
        "title",
        "language",
        "text",
        "versions",
        "check_against_delivery",
        "circulated_at",
    )
    full_only = ("title", "language", "text", "versions", "check_against_delivery")

    def digest_row(self, *, full: bool) -> list[Any]:
        """A public text is in the log itself, so the public digest reads it too; only a
        restricted one's body is left to the full digest."""
        return super().digest_row(full=full or self.distribution == "public")


class DeliveredStatement(Digested):
    """A statement delivered at a meeting under an item: a document with a ``DEL`` symbol
    (``/Rev.N``, ``/Corr.N``, ``/Add.N`` when it revises, corrects or adds to an earlier one),
    the circulated text it delivers, and its distribution level."""

    entry_index = models.BigIntegerField(primary_key=True)
    meeting = models.BigIntegerField(db_index=True)
    item = models.CharField(max_length=16)
    party = models.CharField(max_length=32)
    speaker = models.CharField(max_length=40, blank=True)
    circulated = models.BigIntegerField()
    symbol = models.CharField(max_length=140, unique=True)
    language = models.CharField(max_length=16)
    distribution = models.CharField(max_length=16)
    on_behalf_of = models.CharField(max_length=200, blank=True)
    aligning = models.JSONField(default=list)
    revises = models.BigIntegerField(null=True)
    lineage = models.CharField(max_length=8, blank=True)
    derestricted_by = models.BigIntegerField(null=True)
    delivered_at = models.CharField(max_length=40)
    digest_fields = (
        "entry_index",
        "meeting",
        "item",
        "party",
        "speaker",
        "circulated",
        "symbol",
        "language",
        "distribution",
        "on_behalf_of",
        "aligning",
        "revises",
        "lineage",
        "derestricted_by",
        "delivered_at",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]

    @property
    def is_restricted(self) -> bool:
        return self.distribution == "restricted" and self.derestricted_by is None


class Question(Digested):
    """The chair asks a meeting to adopt a draft decision (a charter document at a revision)
    by consensus; objections are heard until ``closes_at``."""

    entry_index = models.BigIntegerField(primary_key=True)
    meeting = models.BigIntegerField(db_index=True)
    item = models.CharField(max_length=16)
    document = models.BigIntegerField()
    revision = models.PositiveIntegerField()
    derestricts = models.JSONField(default=list)
    asked_at = models.CharField(max_length=40)
    closes_at = models.CharField(max_length=40)
    status = models.CharField(max_length=16, default="asked")
    decision = models.BigIntegerField(null=True)
    declared = models.BigIntegerField(null=True)
    digest_fields = (
        "entry_index",
        "meeting",
        "item",
        "document",
        "revision",
        "derestricts",
        "asked_at",
        "closes_at",
        "status",
        "decision",
        "declared",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]


class Objection(Digested):
    """A participating party present objects to a question before its window closes."""

    entry_index = models.BigIntegerField(primary_key=True)
    question = models.BigIntegerField(db_index=True)
    party = models.CharField(max_length=32)
    reason = models.TextField(blank=True)
    objected_at = models.CharField(max_length=40)
    digest_fields = ("entry_index", "question", "party", "reason", "objected_at")


class Summary(Digested):
    """A chair's summary or perception paper: issued under the chair's own responsibility,
    never agreed by the parties, and marked so wherever it is shown."""

    entry_index = models.BigIntegerField(primary_key=True)
    edition = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=20)
    symbol = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    language = models.CharField(max_length=16)
    text = models.TextField()
    chair = models.CharField(max_length=32)
    issued_at = models.CharField(max_length=40)
    digest_fields = (
        "entry_index",
        "edition",
        "kind",
        "symbol",
        "title",
        "language",
        "text",
        "chair",
        "issued_at",
    )


class Journal(Digested):
    """A meeting's journal as the secretariat issued it: its symbol and the SHA-256 of the
    journal's canonical JSON, which ``check`` recomputed from the log when it was issued."""

    entry_index = models.BigIntegerField(primary_key=True)
    meeting = models.BigIntegerField(unique=True)
    symbol = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    issued_at = models.CharField(max_length=40)
    digest_fields = ("entry_index", "meeting", "symbol", "sha256", "issued_at")


class FollowUp(Digested):
    """A recommendation or commitment of an edition, its owner, and its latest status."""

    entry_index = models.BigIntegerField(primary_key=True)
    edition = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=16)
    text = models.TextField()
    owner = models.CharField(max_length=32)
    status = models.CharField(max_length=16, default="open")
    evidence = models.TextField(blank=True)
    updated = models.BigIntegerField(null=True)
    updated_at = models.CharField(max_length=40, blank=True)
    digest_fields = (
        "entry_index",
        "edition",
        "kind",
        "text",
        "owner",
        "status",
        "evidence",
        "updated",
        "updated_at",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]


PROJECTIONS: tuple[type[Digested], ...] = (
    Edition,
    Meeting,
    AgendaItem,
    Delegation,
    Credentials,
    CredentialsReport,
    SpeakersList,
    Inscription,
    Circulated,
    DeliveredStatement,
    Question,
    Objection,
    Summary,
    Journal,
    FollowUp,
)
