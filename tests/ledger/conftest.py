"""The ledger's test world: a KEK, a blob folder per test, and a fresh tree cache."""

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.ledger import hashes, hosted
from tests.ledger.world import World, build

TEST_KEK = "test1:" + base64.b64encode(b"k" * 32).decode()


@pytest.fixture(autouse=True)
def ledger_environment(
    monkeypatch: pytest.MonkeyPatch, settings: SettingsWrapper, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACCORD_KEK", TEST_KEK)
    monkeypatch.delenv("ACCORD_KEK_FILE", raising=False)
    settings.VAR_DIR = tmp_path
    settings.ACCORD_BLOB_DIR = tmp_path / "blobs"
    hosted._signers.clear()
    hashes.forget_cached_tiles()


@pytest.fixture
def world(db: None) -> Iterator[World]:
    yield from build()
