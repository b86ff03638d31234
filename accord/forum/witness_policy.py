"""The forum's witness policy: whose witnesses must cosign a checkpoint, and how many of them.

The rules profile holds the rule (section ``witnesses``, amended under the
forum's decision rule like any other section), e.g. ``{"quorum": "majority"}``
("all", or a number of parties), and how long the host waits for a witness.
The tlog-policy (c2sp.org/tlog-policy) is *derived* from it and from the
registrations in the log, so it changes when a party registers, rotates or
removes its witness, or when a party starts or stops participating::

    log <the log's verifier key>
    witness <name> <Ed25519 cosignature key>      one per counting witness
    group party+<CODE> any <its witnesses>        one per participating party
    group quorum+parties <k> party+<CODE> ...     k from the rule and the parties
    quorum quorum+parties

``k`` is the rule applied to the number of *participating parties*, not to
the parties that have a counting witness: a party without one still counts,
so a forum where too few parties run a witness has a policy that is honestly
not met. tlog-policy has no way to name a group that cannot be satisfied, so
such a party's group holds one *placeholder* witness, ``missing+<CODE>``,
whose Ed25519 key is a point derived from a public label by hashing (nobody
knows its private key, so no cosignature from it can exist); when ``k``
exceeds the participating parties (a number larger than the forum), groups
``absent+<n>`` of the same kind make up the difference. Names holding ``+``
cannot collide with a witness's name, since a key name cannot hold ``+``.

Until a first witness is registered the forum has no witness policy: its
checkpoints carry the log's signature alone, as before witnesses existed.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from accord.forum import queries as forum_queries
from accord.forum.models import ForumParty
from accord.forum.profile import register_section
from accord.ledger.models import LogState, RegisteredWitness
from accord.ledger.witnesses import WitnessEndpoint, Witnesses, register_witness_source
from accord.tlog import note
from accord.tlog.cosignature import COSIGNATURE_V1
from accord.tlog.policy import Policy

SECTION = "witnesses"
QUORUM_GROUP = "quorum+parties"


class WitnessRules(BaseModel):
    """How many participating parties' witnesses must cosign a checkpoint: ``majority`` (more
    than half), ``all``, or a number; and how long the host waits for each witness."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    quorum: Literal["majority", "all"] | Annotated[int, Field(ge=1, le=10_000)] = "majority"
    timeout_seconds: int = Field(default=5, ge=1, le=120)

    def threshold(self, parties: int) -> int:
        """The number of party groups that must be witnessed among ``parties``; at least 1."""
        if self.quorum == "majority":
            needed = parties // 2 + 1
        elif self.quorum == "all":
            needed = parties
        else:
            needed = self.quorum
        return max(needed, 1)


register_section(SECTION, WitnessRules)


def witness_rules() -> WitnessRules:
    """The section in force; its defaults for a forum founded before it. One query."""
    found = forum_queries.profile()
    section = found[1].sections.get(SECTION, {}) if found is not None else {}
    return WitnessRules.model_validate(section)


# -- the policy ----------------------------------------------------------------------------------

_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P


def _on_the_curve(encoded: bytes) -> bool:
    """Whether 32 bytes decode to an Ed25519 point (RFC 8032 §5.1.3), so the key loads."""
    y = int.from_bytes(encoded, "little") & ((1 << 255) - 1)
    if y >= _P:
        return False
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return not encoded[31] >> 7
    return pow(x2, (_P - 1) // 2, _P) == 1


def placeholder_key(label: str) -> str:
    """A cosignature key nobody holds: the first hash of ``label`` and a counter that is a
    point on the curve. Its discrete logarithm is unknown, so no cosignature verifies."""
    name = f"missing.{label}"
    counter = 0
    while True:
        raw = hashlib.sha256(f"accord witness placeholder {label} {counter}".encode()).digest()
        if _on_the_curve(raw):
            return note.format_vkey(name, bytes([COSIGNATURE_V1]) + raw)
        counter += 1


@dataclass(frozen=True)
class CountingWitness:
    party: str
    name: str
    vkey: str
    """Its Ed25519 cosignature/v1 key: what the policy checks."""


def derive_policy(
    log_vkey: str, parties: Sequence[str], witnesses: Iterable[CountingWitness], rules: WitnessRules
) -> str:
    """The tlog-policy text for ``parties`` (the participating ones) and their counting
    witnesses under ``rules``; it parses back with ``Policy.parse``. Pure."""
    by_party: dict[str, list[CountingWitness]] = {code: [] for code in parties}
    for witness in witnesses:
        if witness.party in by_party:
            by_party[witness.party].append(witness)
    witness_lines, group_lines, groups = [], [], []
    threshold = rules.threshold(len(parties))
    labels = [*sorted(by_party), *(f"absent-{n}" for n in range(1, threshold - len(parties) + 1))]
    for label in labels:
        found = sorted(by_party.get(label, []), key=lambda witness: witness.name)
        members = [(witness.name, witness.vkey) for witness in found]
        if not members:
            members = [(f"missing+{label}", placeholder_key(label))]
        witness_lines += [f"witness {name} {vkey}" for name, vkey in members]
        group = f"party+{label}" if label in by_party else label.replace("absent-", "absent+")
        group_lines.append(f"group {group} any {' '.join(name for name, _ in members)}")
        groups.append(group)
    lines = [f"log {log_vkey}", *witness_lines, *group_lines]
    lines.append(f"group {QUORUM_GROUP} {threshold} {' '.join(groups)}")
    lines.append(f"quorum {QUORUM_GROUP}")
    return "".join(line + "\n" for line in lines)


def participating() -> list[str]:
    """The codes of the participating parties; one query."""
    return sorted(ForumParty.objects.filter(status="participating").values_list("code", flat=True))


def forum_witnesses() -> Witnesses:
    """The witness source the ledger's checkpointer asks (``accord.ledger.witnesses``): every
    registered witness, and the policy over the counting ones. A few queries."""
    rules = witness_rules()
    registered = list(RegisteredWitness.objects.filter(removed_at__isnull=True).order_by("name"))
    state = LogState.objects.filter(pk=1).first()
    if not registered or state is None:
        return Witnesses(timeout_seconds=float(rules.timeout_seconds))
    parties = participating()
    endpoints = tuple(
        WitnessEndpoint(
            row.name, tuple(row.keys), row.url, row.party, row.counts and row.party in parties
        )
        for row in registered
    )
    counting = [
        CountingWitness(one.party, one.name, one.vkeys[0]) for one in endpoints if one.counts
    ]
    text = derive_policy(state.log_vkey, parties, counting, rules)
    return Witnesses(endpoints, Policy.parse(text), text, float(rules.timeout_seconds))


register_witness_source(forum_witnesses)


def why_not_counted(row: RegisteredWitness, parties: Iterable[str]) -> list[str | Promise]:
    """Why a registration does not help meet the policy, in words; empty when it does."""
    reasons: list[str | Promise] = []
    if row.removed_at is not None:
        reasons.append(_("The party removed this witness."))
    if not row.own_custody:
        reasons.append(
            _(
                "It was signed with a key the host keeps for the party, so the host could have"
                " made it."
            )
        )
    if not row.attested:
        reasons.append(
            _("The witness's own key did not sign the forum, the party and the address.")
        )
    if row.party not in parties:
        reasons.append(_("The party does not participate in the forum."))
    return reasons
