"""The conference's test world on top of the charter's, the forum's and the ledger's."""

from collections.abc import Iterator

import pytest

from tests.dialogue.world import ConferenceWorld, build
from tests.forum.conftest import forum, quick_passwords
from tests.ledger.conftest import ledger_environment

__all__ = ["forum", "ledger_environment", "quick_passwords"]


@pytest.fixture
def conference(db: None) -> Iterator[ConferenceWorld]:
    yield from build()
