"""Which witnesses the host asks to cosign, and the policy their cosignatures must meet.

The ledger collects cosignatures but does not decide who the witnesses are: the
forum does, from the parties' registration statements and its rules profile.
So the ledger asks a *source* the forum registers when its app loads; with none
registered (a bare log, as in the ledger's own tests) there are no witnesses and
no policy, and checkpoints are served with the log's signature alone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accord.tlog.policy import Policy


@dataclass(frozen=True)
class WitnessEndpoint:
    """One registered witness as the checkpointer needs it.

    ``url`` is the witness's tlog-witness submission prefix: the checkpointer POSTs
    to ``url + "/add-checkpoint"``. ``counts`` is False for a registration the
    policy ignores (not signed with a key of the party's own custody, or without
    the witness's own signature over origin, party and URL): such a witness is
    still asked, so its lag shows, but never helps meet the quorum.
    """

    name: str
    vkeys: tuple[str, ...]
    url: str
    party: str
    counts: bool


@dataclass(frozen=True)
class Witnesses:
    """The witnesses to ask and the forum's witness policy over the counting ones.

    ``policy_text`` is the tlog-policy file (c2sp.org/tlog-policy) the host
    publishes so that anyone can check a checkpoint against the same policy;
    empty, with ``policy`` None, when the forum has none.
    """

    endpoints: tuple[WitnessEndpoint, ...] = ()
    policy: Policy | None = None
    policy_text: str = ""
    timeout_seconds: float = field(default=5.0)


WitnessSource = Callable[[], Witnesses]

_SOURCES: list[WitnessSource] = []


def register_witness_source(source: WitnessSource) -> None:
    """Name the function that says who the witnesses are; one per process."""
    if _SOURCES and _SOURCES[0] is not source:
        raise RuntimeError("a witness source is registered already")
    _SOURCES[:] = [source]


def current_witnesses() -> Witnesses:
    """The witnesses and policy in force now; none when no source is registered.

    Costs whatever the source costs (the forum's: a few queries).
    """
    return _SOURCES[0]() if _SOURCES else Witnesses()
