"""The log's storage and the ledger's projections.

Storage (``LogState``, ``Entry``, ``Tile``, ``Checkpoint``, ``Receipt``,
``Blob``, ``RestrictedBody``) is the record itself and is written only by
``submit()`` and the checkpointer. Projections (``PartyKey``, ``ActorSeq``,
``Communique``) are derived from the log, written only by the statement kinds'
``apply()``, and rebuilt by replay. ``HostedKey``, ``Refusal`` and
``OutboxMessage`` belong to the host's operation, not to the record.
"""

from typing import Any, ClassVar

from django.db import models


class LogState(models.Model):
    """The one row that identifies the log and serialises writers (the log head lock)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    origin = models.TextField()
    log_vkey = models.TextField()
    secretariat = models.CharField(max_length=32)
    size = models.BigIntegerField(default=0)
    last_logged_at = models.CharField(max_length=27, blank=True)
    checkpoints = models.BigIntegerField(default=0)
    """How many checkpoints the log has signed: a deleted one shows as a shortfall."""
    refusals = models.BigIntegerField(default=0)
    """How many numbered refusals the log has signed: the last refusal's number."""

    def __str__(self) -> str:
        return f"log {self.origin} ({self.size} entries)"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.origin, self.log_vkey, self.secretariat, self.size]


class Entry(models.Model):
    """One leaf of the log: its exact bytes and its RFC 9162 leaf hash."""

    index = models.BigIntegerField(primary_key=True)
    leaf = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)
    logged_at = models.CharField(max_length=27)
    kind = models.CharField(max_length=100, db_index=True)
    actor = models.CharField(max_length=32)
    seq = models.BigIntegerField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["actor", "seq"], name="entry_actor_seq_unique")
        ]

    def __str__(self) -> str:
        return f"entry {self.index}: {self.kind} by {self.actor}"


class Tile(models.Model):
    """A full C2SP tile (256 hashes); partial tiles are computed on read."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    data = models.BinaryField(max_length=8192)
    root = models.BinaryField(max_length=32, default=b"")
    """The hash of the complete subtree the tile spans: one hash of the level above."""

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["level", "index"], name="tile_level_index_unique")
        ]

    def __str__(self) -> str:
        return f"tile {self.level}/{self.index}"


class Checkpoint(models.Model):
    """A checkpoint the log signed; one per size, ever."""

    size = models.BigIntegerField(unique=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    signed_at = models.CharField(max_length=27)

    def __str__(self) -> str:
        return f"checkpoint at size {self.size}"


class Cosignature(models.Model):
    """A witness's cosignature of one checkpoint, as the witness answered it (tlog-witness).

    Kept by the witness's key (name and key hash), not by a registration row, so a
    witness removed later still shows on the checkpoints it cosigned. ``line`` is the
    signature line verbatim (``— name base64``), appended to the note when served.
    """

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="cosignatures"
    )
    name = models.TextField()
    vkey = models.TextField()
    algorithm = models.CharField(max_length=16)
    """``ed25519`` (cosignature/v1) or ``ml-dsa-44`` (subtree/v1)."""
    timestamp = models.BigIntegerField()
    """The time the witness put in its cosignature, in seconds since the epoch."""
    line = models.TextField()
    received_at = models.CharField(max_length=27)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["checkpoint", "vkey"], name="one_cosignature_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.name} cosigned size {self.checkpoint_id}"


class WitnessContact(models.Model):
    """The host's dealings with one witness: what it last cosigned and what went wrong since.

    The host's operation, not the record: rebuilt from the witness's answers, never
    replayed. ``cosigned_size`` is also the ``old`` size the next request sends.
    """

    vkey = models.TextField(unique=True)
    name = models.TextField()
    url = models.TextField()
    cosigned_size = models.BigIntegerField(default=0)
    cosigned_at = models.CharField(max_length=27, blank=True)
    last_error = models.TextField(blank=True)
    failing_since = models.CharField(max_length=27, blank=True)
    """When the witness first failed to cosign after its last success; empty while it keeps up."""

    def __str__(self) -> str:
        return f"witness {self.name}"


class StateDigest(models.Model):
    """The log's signed statement of its state digest at one checkpoint's size.

    A party's node replays the log to that size and compares; a digest it cannot
    reproduce becomes evidence (docs/evidence.md).
    """

    size = models.BigIntegerField(unique=True)
    digest = models.CharField(max_length=64)
    note = models.TextField()
    signed_at = models.CharField(max_length=27)

    def __str__(self) -> str:
        return f"state digest at size {self.size}"


class Receipt(models.Model):
    """The log's signed promise that an entry was integrated, handed to the submitter."""

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, primary_key=True)
    note = models.TextField()

    def __str__(self) -> str:
        return f"receipt for entry {self.entry_id}"


class Refusal(models.Model):
    """The log's signed statement that it turned a submission away, and why."""

    statement_hash = models.CharField(max_length=64, db_index=True)
    code = models.CharField(max_length=40)
    reason = models.TextField()
    refused_at = models.CharField(max_length=27)
    note = models.TextField()
    number = models.BigIntegerField(null=True, db_index=True)
    """The refusal's place in the log's count, signed into its note; None for refusals signed
    before refusals were numbered."""

    def __str__(self) -> str:
        return f"refusal {self.code} at {self.refused_at}"


class Blob(models.Model):
    """A large body kept beside the log, content-addressed; its bytes live on disk."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()

    def __str__(self) -> str:
        return f"blob {self.sha256}"


class RestrictedBody(models.Model):
    """The salted body behind a restricted statement's commitment; never served publicly."""

    commitment = models.CharField(max_length=71, primary_key=True)
    salt = models.CharField(max_length=64)
    body = models.BinaryField()

    def __str__(self) -> str:
        return f"restricted body {self.commitment}"


class HostedKey(models.Model):
    """A signing key the host keeps for a party (or for the log), sealed under the KEK."""

    vkey = models.TextField(primary_key=True)
    owner = models.CharField(max_length=32, db_index=True)
    kek_version = models.CharField(max_length=32)
    nonce = models.BinaryField(max_length=12)
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"hosted key of {self.owner}"


class OutboxMessage(models.Model):
    """A delivery decided inside a transaction and sent by the worker after commit."""

    entry_index = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True)
    claimed_at = models.DateTimeField(null=True)
    """Set by the worker sending it, so two workers never send one message at once."""
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.channel} message for entry {self.entry_index}"


class Party(models.Model):
    """A party the secretariat registered in the log: its code and name."""

    code = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200)
    registered_at = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.code, self.name, self.registered_at]


class PartyKey(models.Model):
    """A key registered in the log for a party: who may sign as that party, and from when."""

    CUSTODY = (("hosted", "hosted by the secretariat's server"), ("own", "kept by the party"))

    vkey = models.TextField(primary_key=True)
    party = models.CharField(max_length=32, db_index=True)
    custody = models.CharField(max_length=6, choices=CUSTODY)
    added_at = models.BigIntegerField()
    revoked_at = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"key of {self.party}: {self.vkey}"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.party, self.vkey, self.custody, self.added_at, self.revoked_at]


class ActorSeq(models.Model):
    """The last sequence number each actor used: replays and gaps are refused against it."""

    actor = models.CharField(max_length=32, primary_key=True)
    last_seq = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.actor} at seq {self.last_seq}"

    def digest_row(self, *, full: bool) -> list[Any]:
        return [self.actor, self.last_seq]


class Communique(models.Model):
    """A party's published communiqué; a restricted one shows its text only to those who hold it."""

    entry_index = models.BigIntegerField(primary_key=True)
    party = models.CharField(max_length=32, db_index=True)
    distribution = models.CharField(max_length=10)
    commitment = models.CharField(max_length=71, blank=True)
    title = models.TextField(blank=True)
    text = models.TextField(blank=True)
    published_at = models.CharField(max_length=27)

    def __str__(self) -> str:
        return f"communiqué of {self.party} at entry {self.entry_index}"

    def digest_row(self, *, full: bool) -> list[Any]:
        shown = full or self.distribution == "public"
        return [
            self.entry_index,
            self.party,
            self.distribution,
            self.commitment,
            self.title if shown else "",
            self.text if shown else "",
            self.published_at,
        ]


class Allowance(models.Model):
    """A token bucket for one client address or party: how much more it may submit now.

    Operational, like ``Refusal``: not part of the record, in no digest, never replayed.
    ``accord.ledger.allowance`` updates each row in place and deletes rows idle long
    enough to be full again, so junk cannot grow the table without bound.
    """

    key = models.CharField(max_length=80, primary_key=True)
    """``address:<IP or IPv6 /64>`` or ``party:<code>``."""
    level = models.BigIntegerField()
    """Millionths of a submission, so the arithmetic stays in integers."""
    updated_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"allowance of {self.key}"


class RegisteredWitness(models.Model):
    """A witness a party registered (``ledger.witness.registered``), by the witness's key name.

    ``vkeys`` are its cosignature verifier keys, one per line, Ed25519 cosignature/v1
    first. The registration counts toward the witness policy only when ``own_custody``
    (signed with a key the party keeps, not one the host holds for it) and ``attested``
    (the witness's own key signed origin, party and URL); otherwise the host could
    register witnesses for hosted parties and meet its own quorum. A removed
    registration keeps its row, with ``removed_at``, so pages can tell its story.
    """

    name = models.TextField(primary_key=True)
    party = models.CharField(max_length=32, db_index=True)
    vkeys = models.TextField()
    url = models.TextField()
    attested = models.BooleanField()
    own_custody = models.BooleanField()
    registered_at = models.BigIntegerField()
    removed_at = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"witness {self.name} of {self.party}"

    @property
    def keys(self) -> list[str]:
        return self.vkeys.split("\n")

    @property
    def counts(self) -> bool:
        """Whether the registration may help meet the policy (before asking if its party
        participates, which the forum knows)."""
        return self.removed_at is None and self.own_custody and self.attested

    def digest_row(self, *, full: bool) -> list[Any]:
        return [
            self.name,
            self.party,
            self.vkeys,
            self.url,
            self.attested,
            self.own_custody,
            self.registered_at,
            self.removed_at,
        ]


class Digested(models.Model):
    """A projection whose digest row is its ``digest_fields`` in order, for apps to build on;
    the fields named in ``full_only`` come from a restricted body and are left out of the
    public digest (which a replay without the restricted bodies must also reach)."""

    digest_fields: ClassVar[tuple[str, ...]] = ()
    full_only: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return " ".join(str(getattr(self, name)) for name in self.digest_fields[:3])

    def digest_row(self, *, full: bool) -> list[Any]:
        return [
            getattr(self, name) for name in self.digest_fields if full or name not in self.full_only
        ]
