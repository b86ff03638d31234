"""People in browsers of their own on Django's live server, on the host's clock as the test
sets it: the set-up the meeting's and the CSBM browser tests share (their fixtures
``synchronous_database`` and ``opened`` are in conftest.py)."""

from datetime import datetime
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.forum.world import signed_in

PHONE: ViewportSize = {"width": 390, "height": 844}


class Hands:
    """The host's clock as the test sets it (``clock.now`` patched to it): a deadline or the
    time for objections passes without waiting."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def person_page(
    opened: list[BrowserContext],
    browser: Browser,
    url: str,
    handle: str,
    landing: str,
    **options: Any,
) -> Page:
    """A browser of ``handle``'s own, signed in with the second factor passed (the session a
    sign-in with the authenticator's code leaves), opened at ``landing`` (a path) and showing
    the person's handle; closed by ``opened`` before the live server stops."""
    session = signed_in(handle).cookies["sessionid"].value
    context = browser.new_context(**({"viewport": {"width": 1366, "height": 900}} | options))
    opened.append(context)
    context.add_cookies([{"name": "sessionid", "value": session, "url": url}])
    page = context.new_page()
    page.goto(f"{url}{landing}")
    expect(page.get_by_role("link", name=handle)).to_be_visible()
    return page
