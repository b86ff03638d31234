"""Suite-wide settings: Hypothesis profiles, and each test in the default language.

The default profile is derandomised and bounded so `make test` and CI give the
same result every run; ``HYPOTHESIS_PROFILE=explore`` searches further with
fresh randomness when hunting for bugs.
"""

import os
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import HealthCheck, settings

settings.register_profile(
    "accord",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "accord"))


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the site's default language: a request through Django's test
    client leaves the language it activated (Russian, for a test of a Russian page) active in
    the thread, and a later test that words a message outside a request would read it."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: test worlds are built on the same fixed clock, so
    two tests' logs can agree in size and time, and a page cached by one must not answer the
    other."""
    from django.core.cache import cache  # noqa: PLC0415 -- Django is set up by now

    cache.clear()
