"""A witness's attestation that it serves a party of a log at an address; no Django here.

The witness's Ed25519 key (the first line of its ``witness.key``) signs::

    b"accord-witness-registration/v1\\n" + origin + "\\n" + party + "\\n" + url + "\\n"

binding all three, so an attestation made for one party, log or address is worth
nothing for another. ``accord witness attest`` runs this on a party's machine with
the package alone; the log checks it when it takes in ``ledger.witness.registered``.
"""

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from accord.tlog import TlogError, note
from accord.tlog.cosignature import COSIGNATURE_V1

ATTESTATION_LABEL = b"accord-witness-registration/v1\n"


def attestation_message(origin: str, party: str, url: str) -> bytes:
    """The bytes a witness's Ed25519 key signs to say it serves ``party`` in the log ``origin``
    at ``url``: binding all three, so an attestation made for one party, log or address is
    worth nothing for another."""
    return ATTESTATION_LABEL + f"{origin}\n{party}\n{url}\n".encode()


def attest(skey: str, origin: str, party: str, url: str) -> str:
    """The base64 attestation of the witness whose Ed25519 signer key is ``skey`` (the first
    line of its ``witness.key``). One Ed25519 signature."""
    signature = note.Signer(skey).sign(attestation_message(origin, party, url))
    return base64.b64encode(signature).decode()


def attested(vkey: str, attestation: str, origin: str, party: str, url: str) -> bool:
    """Whether ``attestation`` is the Ed25519 signature of the witness key ``vkey`` (type 0x04)
    over ``origin``, ``party`` and ``url``; False for any malformed input. One verify."""
    try:
        signature = base64.b64decode(attestation, validate=True)
        _, _, public = note.parse_vkey(vkey, COSIGNATURE_V1, 32)
        Ed25519PublicKey.from_public_bytes(public).verify(
            signature, attestation_message(origin, party, url)
        )
    except (binascii.Error, ValueError, TlogError, InvalidSignature):
        return False
    return True
