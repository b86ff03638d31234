"""The CSBM test world on top of the forum's and the ledger's."""

from collections.abc import Iterator

import pytest

from tests.csbm.world import CsbmWorld, build
from tests.forum.conftest import forum, quick_passwords
from tests.ledger.conftest import ledger_environment

__all__ = ["forum", "ledger_environment", "quick_passwords"]


@pytest.fixture
def csbm(db: None) -> Iterator[CsbmWorld]:
    yield from build()
