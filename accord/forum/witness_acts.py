"""Registering and removing a party's witness, as acts every surface offers.

The kinds are the ledger's (``accord.ledger.witness_registration``); the
forum declares their acts because only the forum knows standings. By default
a participating, observer or partner party's head of delegation, or the party
itself with its own key, registers and removes. A registration made through
the host (a page, a token, ``--as``) is signed with the key the host keeps, so
it is taken in but never counts toward the witness policy: a party registers
a witness that counts with its own key (``accord witness register --key``).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accord.forum.actions import Actor
from accord.ledger.acts import Act, declare
from accord.ledger.submit import Accepted, submit_hosted
from accord.ledger.witness_registration import WitnessRegistered, WitnessRemoved
from accord.lib import canonical

SIGNERS = ("head", "party")
MEMBERS = ("participating", "observer", "partner")


def register_witness(
    actor: Actor, name: str, vkeys: list[str], url: str, attestation: str = ""
) -> Accepted:
    """Register (or rotate) the party's witness with the key the host keeps for the party."""
    body: dict[str, Any] = {"name": name, "vkeys": vkeys, "url": url, "attestation": attestation}
    return submit_hosted(
        actor=actor.party,
        kind=WitnessRegistered.kind,
        v=1,
        body=canonical.nfc(body),
        by=actor.person,
    )


def remove_witness(actor: Actor, name: str) -> Accepted:
    """Remove the party's witness registered as ``name``, with the host's key for the party."""
    return submit_hosted(
        actor=actor.party,
        kind=WitnessRemoved.kind,
        v=1,
        body=canonical.nfc({"name": name}),
        by=actor.person,
    )


def _register(actor: Actor, fields: dict[str, Any]) -> list[Accepted]:
    return [register_witness(actor, **fields)]


def _remove(actor: Actor, fields: dict[str, Any]) -> list[Accepted]:
    return [remove_witness(actor, fields["name"])]


_THEIRS = _("This witness is registered by another party; only that party may change it.")

REGISTER_WITNESS = declare(
    Act(
        WitnessRegistered,
        _register,
        _("Register the witness"),
        _("%(actor)s registered the witness %(name)s at %(url)s"),
        ((MEMBERS, SIGNERS),),
        cli="witness register",
        api="POST /witnesses",
        page="witness-register",
        positional=("name",),
        refusals={
            "witness_of_another_party": _THEIRS,
            "witness_key_in_use": _(
                "This witness key is registered already under another name; use a key of its own."
            ),
            "bad_witness_key": _(
                "Give the witness's Ed25519 cosignature key first (and at most one ML-DSA-44"
                " key after it), each named as the witness."
            ),
            "bad_witness_url": _(
                "Give the witness's address as http:// or https:// with a host, without a"
                " trailing slash, query or spaces."
            ),
        },
    )
)
REMOVE_WITNESS = declare(
    Act(
        WitnessRemoved,
        _remove,
        _("Remove the witness"),
        _("%(actor)s removed the witness %(name)s"),
        ((MEMBERS, SIGNERS),),
        cli="witness remove",
        api="POST /witnesses/remove",
        page="witness-remove",
        positional=("name",),
        refusals={
            "witness_of_another_party": _THEIRS,
            "unknown_witness": _("No witness is registered under this name."),
        },
    )
)
WITNESS_ACTS = (REGISTER_WITNESS, REMOVE_WITNESS)
