"""Which key may sign for which party at which entry, read from the log alone. No Django.

``accord verify`` runs on an auditor's machine without a database; this is the
part of the ledger's rules it needs: the keys the log itself registered (the
founding, parties registered by the secretariat, keys added, rotated and
revoked), replayed entry by entry, so each statement's signature is checked
against a key that was valid for its actor when it was logged.
"""

from dataclasses import dataclass, field
from typing import Any

from accord.ledger.envelope import SignedStatement

FOUNDED = "ledger.log.founded"


class KeyringError(Exception):
    """A statement signed by a key the log had not registered for its actor at that point."""


@dataclass
class Keyring:
    keys: dict[str, str] = field(default_factory=dict)
    """verifier key → party code, for every key ever registered."""
    revoked: set[str] = field(default_factory=set)

    def admit(self, index: int, signed: SignedStatement) -> None:
        """Raise KeyringError unless ``signed.key`` may sign for the actor at ``index``."""
        statement = signed.statement
        if index == 0:
            body = statement.body
            if statement.kind != FOUNDED:
                raise KeyringError("entry 0 does not found the log")
            if signed.key != body.get("secretariat_key") or statement.actor != body.get(
                "secretariat"
            ):
                raise KeyringError("entry 0 is not signed by the secretariat key it names")
            return
        owner = self.keys.get(signed.key)
        if owner is None:
            raise KeyringError(f"entry {index} is signed by a key the log never registered")
        if owner != statement.actor:
            raise KeyringError(
                f"entry {index} is signed for {statement.actor} with a key of {owner}"
            )
        if signed.key in self.revoked:
            raise KeyringError(f"entry {index} is signed with a key {owner} had revoked")

    def observe(self, signed: SignedStatement, body: dict[str, Any]) -> None:
        """Take in the key changes an admitted statement makes."""
        statement = signed.statement
        kind = statement.kind
        if kind == FOUNDED:
            self.keys[str(body["secretariat_key"])] = str(body["secretariat"])
        elif kind == "ledger.party.registered":
            self.keys[str(body["vkey"])] = str(body["party"])
        elif kind == "ledger.key.added":
            self.keys[str(body["vkey"])] = statement.actor
        elif kind == "ledger.key.rotated":
            self.revoked.add(str(body["old"]))
            self.keys[str(body["new"])] = statement.actor
        elif kind == "ledger.key.revoked":
            self.revoked.add(str(body["vkey"]))
