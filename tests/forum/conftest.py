"""The forum's test world on top of the ledger's environment (KEK, blob folder, caches)."""

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.forum.world import ForumWorld, build
from tests.ledger.conftest import ledger_environment

__all__ = ["ledger_environment"]


@pytest.fixture(autouse=True)
def quick_passwords(settings: SettingsWrapper) -> None:
    # The demo gives every person a password; the slow hash is for attackers, not the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def forum(db: None) -> Iterator[ForumWorld]:
    yield from build()
