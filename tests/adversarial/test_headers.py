"""Security headers on every page, and nothing a CSP would have to allow inline.

The walk reaches every URL pattern Accord routes (a new pattern whose parameter
has no sample value here fails the walk, so it cannot be forgotten), as a
signed-in head of delegation, and checks each answer's headers and, for HTML,
that it holds no inline script, no inline style and no third-party script.
"""

import re

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.front.security import CONTENT_SECURITY_POLICY
from tests import routes
from tests.forum.world import ForumWorld, signed_in

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_security_headers_and_no_inline_code(forum: ForumWorld) -> None:
    client = signed_in("aa.head")
    paths = routes.paths(forum.invitation_to_cc)
    assert {"/", "/explorer/", "/sign-in", "/api/v1/docs", "/log/checkpoint"} <= set(paths)
    html_pages = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        assert response["Content-Security-Policy"], path
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], path
        assert "unsafe-inline" not in response["Content-Security-Policy"].split("style-src")[0]
        assert "camera=()" in response["Permissions-Policy"], path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["X-Frame-Options"] == "DENY", path
        if response["Content-Type"].startswith("text/html") and response.status_code == 200:
            html_pages += 1
            _assert_no_inline_code(path, response.content.decode())
    assert html_pages >= 10


def _assert_no_inline_code(path: str, page: str) -> None:
    for opening, body in re.findall(r"(<script\b[^>]*>)(.*?)</script>", page, re.DOTALL):
        if 'type="application/json"' in opening:
            continue  # a data block, never run: CSP does not govern it
        assert not body.strip(), f"{path}: an inline script"
        assert re.search(r'src="/static/', opening), f"{path}: a script not from our files"
    assert not re.search(r"\sstyle=", page), f"{path}: an inline style attribute"
    assert "<style" not in page, f"{path}: an inline style element"
    assert not re.search(r"\son[a-z]+=", page), f"{path}: an inline event handler"
    assert not re.search(r'<link\b[^>]*href="(https?:)?//', page), f"{path}: a third-party sheet"


def test_the_site_policy_allows_no_inline_script_and_no_other_origin() -> None:
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_the_api_explorer_loads_swagger_ui_from_our_own_static_files(
    forum: ForumWorld, client: Client
) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_hsts_is_sent_over_https_and_never_over_plain_http(
    forum: ForumWorld, client: Client
) -> None:
    assert "Strict-Transport-Security" not in client.get("/")
    secure = client.get("/", secure=True)
    assert re.fullmatch(r"max-age=\d{8}", secure["Strict-Transport-Security"])


def test_the_session_cookie_is_secure_http_only_and_lasts_a_working_day(
    forum: ForumWorld, client: Client, settings: SettingsWrapper
) -> None:
    assert settings.SESSION_COOKIE_SECURE  # the default with nothing set (DEBUG off)
    from accord.people.models import Person  # noqa: PLC0415

    user = Person.objects.get(handle="aa.delegate").user
    user.set_password("a long enough test password")
    user.save()
    response = client.post(
        "/sign-in", {"handle": "aa.delegate", "password": "a long enough test password"}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["max-age"] == 12 * 3600
