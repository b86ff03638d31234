"""Each importer test reads refusals in English, the forum's default language.

A request through Django's test client leaves the language ``LocaleMiddleware`` activated
for it (Russian, for a test that reads a Russian page) active in the thread, and
pytest-django runs database tests first; a refusal is worded in the active language when
``str()`` is called, so without this a test matching its English would depend on which
tests ran before it."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override(settings.LANGUAGE_CODE):
        yield
