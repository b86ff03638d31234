"""Every page of the demo at a phone's width (390 px) and the header at a laptop's (1366 px).

A page that scrolls sideways hides columns from a delegate on a phone; a header that wraps in
Russian at 1366 px pushes the page down on every screen. Both are measured in a real browser
(Debian's Chromium), in English and Russian, as a visitor and as a signed-in head of
delegation, and every page is kept as a screenshot under var/screenshots/.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

from accord.charter.demo import TITLE as CHARTER
from tests.processes import process_environment, run_accord, start_server, wait_until_answering

PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
PAGES = (
    "/",
    "/invitations",
    "/people",
    "/rules",
    "/explorer/",
    "/explorer/1",
    "/explorer/checkpoint",
    "/parties/BY",
    "/parties/RO",
    "/sign-in",
    "/no-such-page",
)
SIGNED_IN_PAGES = ("/", "/people", "/invitations", "/account", "/parties/BY")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("layout")
    environment = process_environment(f"sqlite:///{folder / 'demo.sqlite3'}", folder)
    assert "Built the demo forum." in run_accord(environment, "demo", "--no-serve")
    server, url = start_server(environment)
    wait_until_answering(f"{url}/log/checkpoint")
    yield url
    server.terminate()
    server.communicate(timeout=30)


def _context(browser: Browser, language: str, viewport: ViewportSize) -> BrowserContext:
    return browser.new_context(locale=language, viewport=viewport)


def _sign_in(page: Page, url: str, handle: str) -> None:
    page.goto(f"{url}/sign-in")
    page.locator("input[name=handle]").fill(handle)
    page.locator("input[name=password]").fill(f"demo-{handle}")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name=handle).is_visible(), page.url


def _charter_pages(page: Page, url: str) -> list[str]:
    """The charter's pages of the demo's draft, found by following its links: the list, the
    document clean and in brackets and side by side, positions, revisions, a diff, an
    amendment, the open silence and the decisions."""
    page.goto(f"{url}/charter/")
    # The Charter itself: the demo's list also holds the conference's draft decision.
    document = str(
        page.locator("main a[href^='/charter/'][href$='/']", has_text=CHARTER).first.get_attribute(
            "href"
        )
    )
    page.goto(f"{url}{document}diff/?from=0&to=2")
    amendment = page.locator("a[href*='/charter/amendments/']").first.get_attribute("href")
    page.goto(f"{url}{document}")
    silence = page.locator("a[href*='/charter/silence/']").first.get_attribute("href")
    return [
        "/charter/",
        document,
        f"{document}?view=brackets",
        f"{document}?languages=en,ru",
        f"{document}positions/",
        f"{document}revisions/",
        f"{document}diff/?from=0&to=2",
        str(amendment),
        str(silence),
        "/charter/decisions/",
    ]


def _overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    width: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def _widest(page: Page) -> str:
    """The element that sticks out furthest to the right, to name in a failure."""
    found: str = page.evaluate(
        """() => {
          let worst = null, right = document.documentElement.clientWidth;
          for (const element of document.querySelectorAll('body *')) {
            if (element.parentElement.closest('.scroll, pre')) continue;  // scrolls in its box
            const edge = element.getBoundingClientRect().right;
            if (edge > right) { right = edge; worst = element; }
          }
          return worst ? worst.tagName + '.' + worst.className + ' ' + right : '';
        }"""
    )
    return found


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_page_scrolls_sideways_at_390_pixels(
    browser: Browser, demo: str, screenshots: Path, language: str
) -> None:
    context = _context(browser, language, PHONE)
    page = context.new_page()
    wide = []
    for path in PAGES:
        page.goto(f"{demo}{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(screenshots / f"phone-{language}-{name}.png"), full_page=True)
        page.screenshot(path=str(screenshots / f"phone-{language}-{name}-first-screen.png"))
        if _overflow(page) > 0:
            wide.append(f"{path}: {_overflow(page)} px too wide ({_widest(page)})")
    charter = _charter_pages(page, demo)
    for path in charter:
        page.goto(f"{demo}{path}")
        name = "-".join(filter(None, path.replace("?", "/").split("/")))
        page.screenshot(path=str(screenshots / f"phone-{language}-{name}.png"), full_page=True)
        if _overflow(page) > 0:
            wide.append(f"{path}: {_overflow(page)} px too wide ({_widest(page)})")
    _sign_in(page, demo, "by.head")
    for path in (*SIGNED_IN_PAGES, *charter):
        page.goto(f"{demo}{path}")
        name = "-".join(filter(None, path.replace("?", "/").split("/"))) or "home"
        page.screenshot(path=str(screenshots / f"phone-{language}-head-{name}.png"), full_page=True)
        if _overflow(page) > 0:
            wide.append(f"{path} (signed in): {_overflow(page)} px too wide ({_widest(page)})")
    context.close()
    assert wide == [], "\n".join(wide)


def test_the_russian_header_keeps_to_one_line_at_1366_pixels(
    browser: Browser, demo: str, screenshots: Path
) -> None:
    context = _context(browser, "ru", LAPTOP)
    page = context.new_page()
    _sign_in(page, demo, "by.head")
    page.goto(f"{demo}/")
    assert page.get_by_role("link", name="Приглашения").is_visible()
    page.screenshot(path=str(screenshots / "laptop-ru-header.png"))
    tops: list[float] = page.evaluate(
        "[...document.querySelectorAll('header a, header select, header button')]"
        ".map(element => element.getBoundingClientRect().top)"
    )
    assert len(tops) >= 8
    header: float = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    line: float = page.evaluate(
        "document.querySelector('header button').getBoundingClientRect().height"
    )
    assert max(tops) - min(tops) < line / 2, tops
    assert header < 2 * line + 24, (header, line)
    context.close()
