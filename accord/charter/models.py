"""The charter's projections, written only by ``apply()`` (``accord.charter.statements``).

Every row is keyed by what the log names: a document, an amendment, a silence
procedure and a decision are each named by the entry index of the statement
that made it, a provision by its document and eId, a party by its code. Each
model lists the fields the state digest reads (``digest_fields``), so a replay
on SQLite or PostgreSQL reaches the same digest.
"""

from typing import ClassVar

from django.db import models

from accord.ledger.models import Digested

STANCES = ("support", "accept", "reserve", "object")
ACTIONS = ("replace", "insert_before", "insert_after", "delete")
DOCUMENT_STATUSES = ("draft", "under_silence", "adopted", "superseded")


class DocumentSymbol(Digested):
    """The registry of document symbols (``<prefix>.<SERIES>/<n>/<yy>``), shared by every app
    that issues documents: one row per symbol, with the entry that issued it."""

    symbol = models.CharField(max_length=120, primary_key=True)
    series = models.CharField(max_length=16)
    number = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    entry_index = models.BigIntegerField()
    digest_fields = ("symbol", "series", "number", "year", "entry_index")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["series", "year", "number"], name="one_number_a_year")
        ]


class Document(Digested):
    """A text under negotiation, named by its introduction's entry index."""

    entry_index = models.BigIntegerField(primary_key=True)
    symbol = models.CharField(max_length=120)
    """The base symbol (``ESD.L/1/25``); revisions add ``/Rev.N``."""
    title = models.CharField(max_length=300)
    language = models.CharField(max_length=16)
    """The original language: every other language version is a translation of it."""
    status = models.CharField(max_length=16, default="draft")
    revision = models.PositiveIntegerField(default=0)
    introduced_by = models.CharField(max_length=32)
    introduced_at = models.CharField(max_length=40)
    decision = models.BigIntegerField(null=True)
    digest_fields = (
        "entry_index",
        "symbol",
        "title",
        "language",
        "status",
        "revision",
        "introduced_by",
        "introduced_at",
        "decision",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}"

    @property
    def current_symbol(self) -> str:
        return self.symbol if self.revision == 0 else f"{self.symbol}/Rev.{self.revision}"


class Provision(Digested):
    """One provision of one revision of a document (revision 0: as introduced)."""

    document = models.BigIntegerField()
    revision = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    eid = models.CharField(max_length=200)
    element = models.CharField(max_length=16)
    num = models.CharField(max_length=64, blank=True)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    parent = models.CharField(max_length=200, blank=True)
    digest_fields = (
        "document",
        "revision",
        "position",
        "eid",
        "element",
        "num",
        "heading",
        "text",
        "parent",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["document", "revision", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["document", "revision", "eid"], name="one_eid_a_revision"
            )
        ]


class Revision(Digested):
    """A revision the chair issued: its number, the hash of its complete text, and what it
    did with each amendment (the rest stay in brackets)."""

    document = models.BigIntegerField()
    number = models.PositiveIntegerField()
    entry_index = models.BigIntegerField()
    issued_by = models.CharField(max_length=32)
    issued_at = models.CharField(max_length=40)
    sha256 = models.CharField(max_length=64)
    incorporated = models.JSONField(default=list)
    dropped = models.JSONField(default=list)
    brackets = models.PositiveIntegerField(default=0)
    """Provisions with open amendments just after this revision: the convergence chart."""
    digest_fields = (
        "document",
        "number",
        "entry_index",
        "issued_by",
        "issued_at",
        "sha256",
        "incorporated",
        "dropped",
        "brackets",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["document", "number"]


class Translation(Digested):
    """A provision's text in another language, and the original it translated: when the
    original changes the translation is *outdated* until translated again."""

    document = models.BigIntegerField()
    eid = models.CharField(max_length=200)
    language = models.CharField(max_length=16)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    source_sha256 = models.CharField(max_length=64)
    entry_index = models.BigIntegerField()
    translated_by = models.CharField(max_length=32)
    digest_fields = (
        "document",
        "eid",
        "language",
        "heading",
        "text",
        "source_sha256",
        "entry_index",
        "translated_by",
    )

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["document", "eid", "language"], name="one_translation_a_language"
            )
        ]


class Amendment(Digested):
    """A proposed change to one provision, by its sponsor."""

    entry_index = models.BigIntegerField(primary_key=True)
    document = models.BigIntegerField()
    eid = models.CharField(max_length=200)
    action = models.CharField(max_length=16)
    text = models.TextField(blank=True)
    heading = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    sponsor = models.CharField(max_length=32)
    proposed_at = models.CharField(max_length=40)
    revision = models.PositiveIntegerField()
    """The revision it was proposed against."""
    status = models.CharField(max_length=16, default="open")
    """open, withdrawn, incorporated or dropped."""
    closed_at = models.BigIntegerField(null=True)
    new_eid = models.CharField(max_length=200, blank=True)
    """For an incorporated insertion: the eId the new provision took."""
    digest_fields = (
        "entry_index",
        "document",
        "eid",
        "action",
        "text",
        "heading",
        "rationale",
        "sponsor",
        "proposed_at",
        "revision",
        "status",
        "closed_at",
        "new_eid",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]


class Cosponsorship(Digested):
    amendment = models.BigIntegerField()
    party = models.CharField(max_length=32)
    entry_index = models.BigIntegerField()
    digest_fields = ("amendment", "party", "entry_index")

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["amendment", "party"], name="cosponsors_once")
        ]


class Position(Digested):
    """A party's stance on an amendment; a later one supersedes it (``current`` False), so
    the history stays."""

    amendment = models.BigIntegerField()
    party = models.CharField(max_length=32)
    stance = models.CharField(max_length=8)
    note = models.TextField(blank=True)
    entry_index = models.BigIntegerField(primary_key=True)
    stated_at = models.CharField(max_length=40)
    current = models.BooleanField(default=True)
    digest_fields = (
        "amendment",
        "party",
        "stance",
        "note",
        "entry_index",
        "stated_at",
        "current",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["amendment", "current"], name="position_current")
        ]


class SilenceProcedure(Digested):
    """A revision put under silence until a deadline; broken by any participating party's
    break before it, else adopted when concluded."""

    entry_index = models.BigIntegerField(primary_key=True)
    document = models.BigIntegerField()
    revision = models.PositiveIntegerField()
    until = models.CharField(max_length=40)
    opened_by = models.CharField(max_length=32)
    opened_at = models.CharField(max_length=40)
    status = models.CharField(max_length=16, default="open")
    """open, adopted or broken."""
    concluded_at = models.BigIntegerField(null=True)
    digest_fields = (
        "entry_index",
        "document",
        "revision",
        "until",
        "opened_by",
        "opened_at",
        "status",
        "concluded_at",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]


class SilenceBreak(Digested):
    procedure = models.BigIntegerField()
    party = models.CharField(max_length=32)
    reason = models.TextField()
    counter_proposal = models.TextField(blank=True)
    entry_index = models.BigIntegerField(primary_key=True)
    broken_at = models.CharField(max_length=40)
    digest_fields = ("procedure", "party", "reason", "counter_proposal", "entry_index", "broken_at")

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]


class Decision(Digested):
    """An adopted text: its own symbol, the revision adopted, how (``silence``; ``meeting``
    when a conference adopts by consensus) and the parties that joined it."""

    entry_index = models.BigIntegerField(primary_key=True)
    symbol = models.CharField(max_length=120, unique=True)
    document = models.BigIntegerField()
    revision = models.PositiveIntegerField()
    path = models.CharField(max_length=16)
    source = models.BigIntegerField()
    """The entry that led to it: the silence procedure (or, later, the meeting's decision)."""
    adopted_at = models.CharField(max_length=40)
    joined = models.JSONField(default=list)
    digest_fields = (
        "entry_index",
        "symbol",
        "document",
        "revision",
        "path",
        "source",
        "adopted_at",
        "joined",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]


class Interpretation(Digested):
    """An interpretative statement a party that joined a decision attached to it."""

    decision = models.BigIntegerField()
    party = models.CharField(max_length=32)
    text = models.TextField()
    entry_index = models.BigIntegerField(primary_key=True)
    attached_at = models.CharField(max_length=40)
    digest_fields = ("decision", "party", "text", "entry_index", "attached_at")

    class Meta:
        ordering: ClassVar[list[str]] = ["entry_index"]


PROJECTIONS = (
    DocumentSymbol,
    Document,
    Provision,
    Revision,
    Translation,
    Amendment,
    Cosponsorship,
    Position,
    SilenceProcedure,
    SilenceBreak,
    Decision,
    Interpretation,
)
