"""Every route of the URLconf as a path a test can fetch, for the tests that walk them all.

The security headers, HEAD, and the Russian pages are each checked on every route, so that a
route added later is covered without being listed. A route whose parameter has no sample value
fails the walk with a sentence naming it, rather than being skipped.
"""

import re
from collections.abc import Iterator, Mapping

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLES = {
    "code": "AA",
    "handle": "aa.delegate",
    "index": "0",
    "old": "0",
    "new": "1",
    "token": "not-a-real-token",
    "token_id": "1",
    "sha256": "0" * 64,
    "proposal": "1",
    "document": "1",
    "amendment": "1",
    "procedure": "1",
    "decision": "1",
    "edition": "1",
    "meeting": "1",
    "question": "1",
    "statement": "1",
    "followup": "1",
    "on": "2025-10-30",
    "fmt": "md",
    "size": "1",
    "notification": "1",
    "case": "1",
    "year": "2025",
    "party": "AA",
    "format": "general-communication",
}
"""A value for each route parameter; a test adds ``entry`` (an entry of its own world)."""
REGEX_SAMPLES = {r"^log/tile/(?P<path>[0-9a-z./]+)$": "log/tile/0/000.p/1"}
"""A path for each route written as a regular expression (the C2SP tiles)."""
_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def routes() -> Iterator[str]:
    """Every route, prefixes joined, as Django spells it (``explorer/<int:index>``)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    yield from walk(get_resolver().url_patterns, "")


def sample_path(route: str, samples: Mapping[str, str]) -> str:
    """``route`` with a sample value for each parameter, as an absolute path."""
    route = REGEX_SAMPLES.get(route, route)
    assert not route.startswith("^"), f"no sample for the pattern {route}: add to REGEX_SAMPLES"
    missing = set(_PARAMETER.findall(route)) - set(samples)
    assert not missing, f"no sample value for {missing} in {route}: add one to tests/routes.py"
    return "/" + _PARAMETER.sub(lambda match: samples[match[1]], route)


def paths(entry: int, *, skip: tuple[str, ...] = ()) -> list[str]:
    """Every route as a fetchable path, except those starting with a prefix in ``skip``."""
    samples = {**SAMPLES, "entry": str(entry)}
    return sorted({sample_path(route, samples) for route in routes() if not route.startswith(skip)})
