"""Restricted bodies: the commitment the log carries, and the salted body kept beside it.

A ``restricted`` statement's signed body is only ``{"commitment": "sha256:<hex>"}``
over the canonical ``{"body", "salt"}``; the salt (16 random bytes) keeps a
short body from being guessed by hashing candidates. The clear body travels
beside the statement, is checked here against the commitment and kept in
``RestrictedBody``, served only to authorised parties. A check costs one
SHA-256 over the body; keeping it, one indexed read and at most one insert.
"""

import base64
import hashlib
import os
from typing import Any

from accord.ledger.errors import Malformed
from accord.ledger.models import RestrictedBody
from accord.lib import canonical


def commitment_of(salt: str, body: dict[str, Any]) -> str:
    """The commitment a restricted statement carries: SHA-256 of the salted canonical body."""
    digest = hashlib.sha256(canonical.dumps({"body": body, "salt": salt})).hexdigest()
    return f"sha256:{digest}"


def new_salt() -> str:
    """A fresh salt for one restricted body: 16 random bytes, base64."""
    return base64.b64encode(os.urandom(16)).decode()


def signed_commitment(body: dict[str, Any]) -> str:
    """The commitment a restricted statement's signed body must be, and nothing else."""
    commitment = body.get("commitment")
    if (
        set(body) != {"commitment"}
        or not isinstance(commitment, str)
        or not commitment.startswith("sha256:")
    ):
        raise Malformed(
            'a restricted statement\'s body must be only {"commitment": "sha256:…"};'
            " the text itself travels beside the log",
            "restricted_in_clear",
        )
    return commitment


def unseal(body: dict[str, Any], salt: str | None, clear: dict[str, Any] | None) -> dict[str, Any]:
    """The clear body sent beside a restricted statement, once it matches the signed commitment."""
    commitment = signed_commitment(body)
    if salt is None or clear is None:
        raise Malformed(
            "a restricted statement needs its salt and body beside it", "restricted_missing"
        )
    if commitment_of(salt, clear) != commitment:
        raise Malformed(
            "the restricted body does not match the signed commitment", "commitment_mismatch"
        )
    return clear


def keep(salt: str, clear: dict[str, Any]) -> None:
    """Keep a salted body beside the log under its commitment (which ``unseal`` checked)."""
    RestrictedBody.objects.get_or_create(
        commitment=commitment_of(salt, clear),
        defaults={"salt": salt, "body": canonical.dumps(clear)},
    )
