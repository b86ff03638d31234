"""``HEAD`` works wherever ``GET`` does (RFC 9110 §9.3.2): same status, no body.

Link checkers, caches and monitoring probe with HEAD; a 405 there reads as a
broken site. The test walks every route of the URLconf, Django views and the
ninja API alike, so a route added later is covered without being listed.
"""

from django.test import Client

from tests import routes
from tests.forum.world import ForumWorld


def test_every_get_route_answers_head_with_the_same_status_and_no_body(
    client: Client, forum: ForumWorld
) -> None:
    checked = []
    for url in routes.paths(forum.invitation_to_cc):
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
