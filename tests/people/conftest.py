from collections.abc import Iterator

import pytest

from tests.forum.world import ForumWorld, build
from tests.ledger.conftest import ledger_environment

__all__ = ["ledger_environment"]


@pytest.fixture
def forum(db: None) -> Iterator[ForumWorld]:
    yield from build()
