"""The forum's test world and the ledger's environment, for every adversarial test."""

from tests.forum.conftest import forum, quick_passwords
from tests.ledger.conftest import ledger_environment, world

__all__ = ["forum", "ledger_environment", "quick_passwords", "world"]
