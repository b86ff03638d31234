"""Trust policies (c2sp.org/tlog-policy): which logs, which witnesses, what quorum.

::

    log <vkey> [<url>]
    witness <name> <vkey> [<url>]
    group <name> all|any|<k> <member>...
    quorum <name>|none

A checkpoint satisfies a policy when one of its logs signed it and the
witnesses that cosigned it make up the quorum: a group is witnessed when at
least k of its members are. For a forum of states, one group per state (its
witness or witnesses) and a quorum group over the states is the natural shape.

Rules enforced, as the spec states them: exactly one quorum line; a group or
the quorum names only what earlier lines defined; each name is defined once and
is a group member at most once; ``none`` is the quorum's alone; 1 <= k <= n;
no two logs or two witnesses wrap the same public key. Witness keys are Ed25519
cosignature/v1 (type 0x04), ML-DSA-44 (type 0x06), or a plain Ed25519 note key
(type 0x01) as public witness lists give them, converted to 0x04; a policy
naming another kind is refused rather than silently never satisfied.

Every listed log is accepted, and the origin is read from the checkpoint: a
log's key name should equal its origin, but real logs differ (sum.golang.org
signs "go.sum database tree"), so no check relies on it.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from accord.tlog import note
from accord.tlog._encoding import check_size
from accord.tlog.checkpoint import Checkpoint, open_checkpoint
from accord.tlog.cosignature import (
    COSIGNATURE_V1,
    MLDSA44,
    MLDSA44_PUBLIC_KEY_SIZE,
    CosignatureVerifier,
    MLDSACosignatureVerifier,
    key_type,
    witness_verifier,
)
from accord.tlog.errors import FormatError, SignatureError

NONE = "none"
MAX_POLICY_BYTES = 1 << 20
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class PolicyLog:
    vkey: str
    url: str | None = None

    @property
    def verifier(self) -> note.Verifier:
        return note.Verifier(self.vkey)


@dataclass(frozen=True)
class PolicyWitness:
    name: str
    vkey: str
    url: str | None = None

    @property
    def verifier(self) -> CosignatureVerifier | MLDSACosignatureVerifier:
        return witness_verifier(self.vkey)


@dataclass(frozen=True)
class Cosigned:
    """A verified cosignature: the policy's name for the witness, its key and claim."""

    witness: str
    key_name: str
    key_id: int
    timestamp: int
    algorithm: str


@dataclass(frozen=True)
class Witnessing:
    """What a cosigned checkpoint shows under a policy, met or not.

    ``log`` is the name of the log key whose signature verified; ``unknown``
    holds every signature line from a key neither the policy nor the given log
    keys know (only decoded, never trusted).
    """

    checkpoint: Checkpoint
    log: str
    cosigned: tuple[Cosigned, ...]
    unknown: tuple[note.Signature, ...]
    quorum: str
    met: bool

    @property
    def witnesses(self) -> list[str]:
        """The policy names of the witnesses that cosigned, in the note's order."""
        return [cosigned.witness for cosigned in self.cosigned]


@dataclass(frozen=True)
class PolicyGroup:
    """A group witnesses a checkpoint when ``threshold`` of its members do.

    ``spelling`` keeps how the file wrote the threshold (``all``, ``any`` or
    the number) so a policy formats back to what was parsed.
    """

    name: str
    spelling: str
    members: tuple[str, ...]

    @property
    def threshold(self) -> int:
        return {"all": len(self.members), "any": 1}.get(self.spelling) or int(self.spelling)


@dataclass(frozen=True)
class Policy:
    logs: tuple[PolicyLog, ...]
    witnesses: tuple[PolicyWitness, ...]
    groups: tuple[PolicyGroup, ...]
    quorum: str
    _by_key: dict[tuple[str, int], str] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _verifiers: dict[tuple[str, int], "CosignatureVerifier | MLDSACosignatureVerifier"] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    """Each witness's verifier, built once: decoding a key costs about as much as a
    signature check, so rebuilding them on every ``check`` cost a fifth of its time."""

    def __post_init__(self) -> None:
        for witness in self.witnesses:
            verifier = witness.verifier
            self._by_key[(verifier.name, verifier.key_id)] = witness.name
            self._verifiers[(verifier.name, verifier.key_id)] = verifier

    @classmethod
    def parse(cls, text: str, *, plain_witness_keys: bool = False) -> "Policy":
        """Parse a policy file; FormatError names the line and what is wrong with it.

        tlog-policy asks for witness keys of a cosignature type, so a plain
        Ed25519 note key (type 0x01) is refused, unless ``plain_witness_keys``:
        then it is converted as transparency-dev/formats converts one, and the
        policy keeps (and formats) the type-0x04 key.
        """
        check_size(text, MAX_POLICY_BYTES, "policy")
        builder = _Builder(plain_witness_keys=plain_witness_keys)
        for number, line in enumerate(text.split("\n"), 1):
            try:
                builder.line(line)
            except FormatError as exc:
                raise FormatError(f"policy line {number}: {exc}") from exc
        return builder.policy()

    def format(self) -> str:
        lines = [_join("log", log.vkey, log.url) for log in self.logs]
        lines += [_join("witness", w.name, w.vkey, w.url) for w in self.witnesses]
        lines += [_join("group", g.name, g.spelling, *g.members) for g in self.groups]
        lines.append(f"quorum {self.quorum}")
        return "".join(line + "\n" for line in lines)

    def witnessed(self, witnesses: Iterable[str]) -> bool:
        """Whether cosignatures from these witnesses (policy names) meet the quorum."""
        if self.quorum == NONE:
            return True
        present = set(witnesses)
        groups = {group.name: group for group in self.groups}

        def holds(name: str) -> bool:
            group = groups.get(name)
            if group is None:
                return name in present
            return sum(holds(member) for member in group.members) >= group.threshold

        return holds(self.quorum)

    def check(self, signed: str | bytes, logs: Iterable[str] = ()) -> Witnessing:
        """Open a cosigned checkpoint: which witnesses cosigned, and whether the quorum is met.

        ``logs`` are verifier keys accepted beside the policy's own log lines
        (a key given on a command line). Raises SignatureError when no accepted
        log signed, or when a known key's signature fails; FormatError when the
        note or a given key is malformed. Costs one signature check per line
        from a known key.
        """
        log_verifiers = [log.verifier for log in self.logs] + [note.Verifier(key) for key in logs]
        known_logs = {(log.name, log.key_id): log for log in log_verifiers}
        witnesses = self._verifiers
        if not known_logs:
            raise SignatureError("policy: no log key is given, so no checkpoint can verify")
        checkpoint, opened = open_checkpoint(signed, [*known_logs.values(), *witnesses.values()])
        signers = [s.name for s in opened.signatures if (s.name, s.key_id) in known_logs]
        if not signers:
            names = ", ".join(sorted({name for name, _ in known_logs}))
            raise SignatureError(
                f"policy: the checkpoint of {checkpoint.origin!r} is signed by no accepted log"
                f" ({names}); only witnesses signed it"
            )
        cosigned = tuple(
            Cosigned(
                self._by_key[(s.name, s.key_id)],
                s.name,
                s.key_id,
                s.timestamp or 0,
                witnesses[(s.name, s.key_id)].algorithm,
            )
            for s in opened.signatures
            if (s.name, s.key_id) in self._by_key
        )
        met = self.witnessed(c.witness for c in cosigned)
        return Witnessing(checkpoint, signers[0], cosigned, opened.unverified, self.quorum, met)

    def verify(self, signed: str | bytes) -> tuple[Checkpoint, list[str]]:
        """Check a cosigned checkpoint against this policy.

        Returns the checkpoint and the names of the witnesses whose
        cosignatures verified; raises SignatureError when no listed log signed
        or the quorum is not met. Costs one signature check per known key.
        """
        witnessing = self.check(signed)
        if not witnessing.met:
            found = ", ".join(witnessing.witnesses) or "no witness"
            raise SignatureError(f"policy: quorum {self.quorum!r} is not met by {found}")
        return witnessing.checkpoint, witnessing.witnesses


def _join(*words: str | None) -> str:
    return " ".join(word for word in words if word is not None)


class _Builder:
    """Accumulates lines in order, enforcing the define-before-use rules."""

    def __init__(self, *, plain_witness_keys: bool) -> None:
        self.plain_witness_keys = plain_witness_keys
        self.logs: list[PolicyLog] = []
        self.witnesses: list[PolicyWitness] = []
        self.groups: list[PolicyGroup] = []
        self.quorum: str | None = None
        self.names: set[str] = set()
        self.members: set[str] = set()
        self.keys: set[bytes] = set()

    def line(self, line: str) -> None:
        found = _FORBIDDEN.search(line)
        if found:
            raise FormatError(f"control character U+{ord(found[0]):04X} is not allowed")
        words = line.replace("\t", " ").split(" ")
        words = [word for word in words if word]
        if not words or words[0].startswith("#"):
            return
        keyword, arguments = words[0], words[1:]
        handlers = {"log": self.log, "witness": self.witness, "group": self.group}
        if keyword == "quorum":
            self.set_quorum(arguments)
        elif keyword in handlers:
            handlers[keyword](arguments)
        else:
            raise FormatError(f"expected log, witness, group or quorum, found {keyword[:40]!r}")

    def key(self, vkey: str, kind: int, what: str) -> None:
        """Check a key of the role's kind and refuse one whose public key came before."""
        size = MLDSA44_PUBLIC_KEY_SIZE if kind == MLDSA44 else 32
        _, _, raw = note.parse_vkey(vkey, kind, size)
        if bytes([kind]) + raw in self.keys:
            raise FormatError(f"{what} key {vkey[:60]!r} repeats a key listed earlier")
        self.keys.add(bytes([kind]) + raw)

    def log(self, arguments: list[str]) -> None:
        if len(arguments) not in (1, 2):
            raise FormatError(
                f"expected 'log <vkey> [<url>]', found {len(arguments)} words after log"
            )
        self.key(arguments[0], note.ED25519, "log")
        self.logs.append(PolicyLog(*arguments))

    def witness(self, arguments: list[str]) -> None:
        if len(arguments) not in (2, 3):
            raise FormatError("expected 'witness <name> <vkey> [<url>]'")
        self.define(arguments[0])
        name, vkey, *url = arguments
        if key_type(vkey) == note.ED25519 and not self.plain_witness_keys:
            raise FormatError(
                f"witness key {vkey[:60]!r} is a plain Ed25519 note key (type 0x01); a policy"
                " needs its cosignature form (type 0x04 or 0x06)"
            )
        verifier = witness_verifier(vkey)
        kind = MLDSA44 if isinstance(verifier, MLDSACosignatureVerifier) else COSIGNATURE_V1
        self.key(verifier.vkey, kind, "witness")
        self.witnesses.append(PolicyWitness(name, verifier.vkey, *url))

    def group(self, arguments: list[str]) -> None:
        if len(arguments) < 3:
            raise FormatError("expected 'group <name> all|any|<k> <member>...'")
        name, spelling, members = arguments[0], arguments[1], arguments[2:]
        for member in members:
            if member not in self.names:
                raise FormatError(f"group member {member!r} is not defined on an earlier line")
            if member in self.members:
                raise FormatError(f"{member!r} is already a member of a group")
            self.members.add(member)
        if spelling not in ("all", "any"):
            if not spelling.isascii() or not spelling.isdigit() or spelling != str(int(spelling)):
                raise FormatError(f"expected all, any or a number, found {spelling[:40]!r}")
            if not 1 <= int(spelling) <= len(members):
                raise FormatError(f"threshold {spelling} is outside 1..{len(members)}")
        self.define(name)
        self.groups.append(PolicyGroup(name, spelling, tuple(members)))

    def define(self, name: str) -> None:
        if name == NONE:
            raise FormatError("the name 'none' is reserved for 'quorum none'")
        if name in self.names:
            raise FormatError(f"{name!r} is defined twice")
        self.names.add(name)

    def set_quorum(self, arguments: list[str]) -> None:
        if len(arguments) != 1:
            raise FormatError("expected 'quorum <name>'")
        if self.quorum is not None:
            raise FormatError("a policy has exactly one quorum line; this is the second")
        if arguments[0] != NONE and arguments[0] not in self.names:
            raise FormatError(f"quorum {arguments[0]!r} is not defined on an earlier line")
        self.quorum = arguments[0]

    def policy(self) -> Policy:
        if self.quorum is None:
            raise FormatError("policy: expected a quorum line, found none")
        return Policy(tuple(self.logs), tuple(self.witnesses), tuple(self.groups), self.quorum)
