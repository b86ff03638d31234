"""The charter's test world on top of the forum's and the ledger's environment."""

from collections.abc import Iterator

import pytest

from tests.charter.world import CharterWorld, build
from tests.forum.conftest import forum, quick_passwords
from tests.ledger.conftest import ledger_environment

__all__ = ["forum", "ledger_environment", "quick_passwords"]


@pytest.fixture
def charter(db: None) -> Iterator[CharterWorld]:
    yield from build()
