"""``HEAD`` works wherever ``GET`` does (RFC 9110 §9.3.2): same status, no body.

Link checkers, caches and monitoring probe with HEAD; a 405 there reads as a
broken site. The test walks every route of the URLconf, Django views and the
ninja API alike, so a route added later is covered without being listed.
"""

import re
from collections.abc import Iterator

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.forum.world import ForumWorld

_SAMPLES = {"code": "AA", "handle": "aa.head", "sha256": "0" * 64, "token": "nothing"}
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def _sample_url(route: str) -> str:
    if route.startswith("^"):  # the one regular-expression route: C2SP tiles
        return "/" + route.removeprefix("^").split("(")[0] + "0/000"

    def value(match: re.Match[str]) -> str:
        if match["converter"] == "int":
            return "0"
        return _SAMPLES.get(match["name"], "x")

    return "/" + _PARAMETER.sub(value, route)


def test_every_get_route_answers_head_with_the_same_status_and_no_body(
    client: Client, forum: ForumWorld
) -> None:
    checked = []
    for route in _routes(get_resolver().url_patterns):
        url = _sample_url(route)
        got = client.get(url)
        if got.status_code == 405:
            continue
        head = client.head(url)
        assert head.status_code == got.status_code, url
        assert head.content == b"", url
        checked.append(url)
    assert "/log/checkpoint" in checked
    assert "/api/v1/parties/AA/next-seq" in checked
    assert "/api/v1/forum/parties/AA" in checked
    assert "/sign-in" in checked
    assert len(checked) >= 25
