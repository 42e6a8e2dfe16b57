"""The public site in a real browser: accessibility, small screens and the keyboard.

Every page type of the seeded site is checked at desktop width and at 390 px:
no axe-core violations (WCAG 2.2 AA), no JavaScript errors or failed loads in the
console and, on the phone, no sideways scrolling. Then the menu (one row on a
desktop, a disclosure on a phone) and the gallery's photo viewer, by keyboard.
"""

import pytest

from .conftest import PHONE, describe_violations, page_overflows_sideways

# One page of each type, as `seed_site` builds them.
PAGES = {
    "home": "/",
    "standard": "/what-is-smop/",
    "president": "/presidents-message/",
    "values": "/our-values/",
    "initiative": "/dlbcl-research-initiative/",
    "resources-physicians": "/resources-for-physicians/",
    "resources-patients": "/resources-for-patients/",
    "events": "/events/",
    "events-filtered": "/events/?category=international&year=2022",
    "smop-event": "/events/acord21-protocol-development-workshop/",
    "international-event": "/events/ehoc-2022/",
    "virtual-event": "/events/best-of-asco21-pakistan-virtual-meeting/",
    "year-only-event": "/events/best-of-asco2022-pakistan/",
    "directory": "/member-directory/",
    "directory-search": "/member-directory/?q=zeba",
    "directory-no-results": "/member-directory/?q=nobody-by-this-name",
    "profile": "/member-directory/zeba-aziz/",
    "gallery-index": "/photo-gallery/",
    "gallery": "/photo-gallery/placeholder-images/",
    "search": "/search/?q=conference",
    "search-no-results": "/search/?q=xylophone",
}
GALLERY = PAGES["gallery"]

# The live site runs with DEBUG on, where Django shows its own error pages; these
# render the site's 404 and 500 templates as production would, to serve in their place.
ERROR_PAGE_SCRIPT = """
from django.test import Client, override_settings
from django.views.defaults import server_error
from django.test import RequestFactory
with override_settings(DEBUG=False):
    not_found = Client(HTTP_HOST="127.0.0.1").get("/no-such-page/").content.decode()
    failed = server_error(RequestFactory().get("/")).content.decode()
print("@@404@@" + not_found + "@@500@@" + failed)
"""


@pytest.fixture(scope="session")
def error_pages(live_site):
    output = live_site.manage("shell", "--no-imports", "-c", ERROR_PAGE_SCRIPT)
    not_found, failed = output.split("@@404@@", 1)[1].split("@@500@@")
    return {"404": not_found, "500": failed}


def watch_console(page):
    """Collect, from now on, the page's uncaught errors and console errors (failed loads)."""
    errors = []

    def on_console(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


def check_page(page, axe, url):
    """Load `url`; return its problems: axe violations, console errors, sideways scroll."""
    console_errors = watch_console(page)
    response = page.goto(url)
    problems = []
    if response is None or response.status >= 400:
        problems.append(f"{url} answered {response.status if response else 'nothing'}")
    problems.extend(f"console: {error}" for error in console_errors)
    violations = axe(page)
    if violations:
        problems.append(describe_violations(violations))
    if page.viewport_size["width"] == PHONE["width"] and page_overflows_sideways(page):
        problems.append("the page scrolls sideways at 390 px")
    return problems


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_on_desktop_and_phone(name, live_site, desktop, phone, axe):
    url = live_site.url(PAGES[name])
    for label, tab in (("desktop", desktop), ("390 px", phone)):
        problems = check_page(tab, axe, url)
        assert not problems, f"{name} at {label}:\n" + "\n".join(problems)


@pytest.mark.parametrize("status", ["404", "500"])
def test_error_pages_are_accessible(status, live_site, error_pages, desktop, phone, axe):
    url = live_site.url(f"/error-page-{status}/")
    for label, tab in (("desktop", desktop), ("390 px", phone)):

        def serve(route):
            route.fulfill(status=int(status), body=error_pages[status], content_type="text/html")

        tab.route(url, serve)
        tab.goto(url)
        assert tab.locator("h1").count() == 1
        violations = axe(tab)
        assert not violations, f"{status} at {label}:\n{describe_violations(violations)}"
        assert not (label == "390 px" and page_overflows_sideways(tab))


def focused(page):
    """A description of the focused element: its tag, class and text."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? `${e.tagName} ${e.className} ${e.textContent.trim()}` : ''; }"
    )


def tab_to(page, selector, limit=15):
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return target
    raise AssertionError(f"Tab never reached {selector}; focus is on {focused(page)}")


def test_mobile_menu_opens_and_closes_with_the_keyboard(live_site, phone):
    phone.goto(live_site.url("/"))
    menu_links = phone.locator(".primary-nav__list a")
    assert not menu_links.first.is_visible(), "the menu starts closed on a phone"

    toggle = tab_to(phone, ".primary-nav__toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    phone.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu_links.first.is_visible()

    # The first link is the next stop for Tab, and it is reachable.
    phone.keyboard.press("Tab")
    assert menu_links.first.evaluate("el => el === document.activeElement")
    # Escape closes the menu and puts focus back on the button.
    phone.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu_links.first.is_visible()
    assert toggle.evaluate("el => el === document.activeElement")

    phone.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    phone.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page_overflows_sideways(phone)


def test_on_a_desktop_the_menu_is_one_row_reached_by_tab(live_site, desktop):
    desktop.goto(live_site.url("/"))
    links = desktop.locator(".primary-nav__list a")
    assert not desktop.locator(".primary-nav__toggle").is_visible()
    tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
    assert len(tops) == 1, "every section fits on one line at 1280 px"
    first = tab_to(desktop, ".primary-nav__list a")
    assert first.get_attribute("href") == links.first.get_attribute("href")
    with desktop.expect_navigation():
        desktop.keyboard.press("Enter")
    assert desktop.url == live_site.url(links.first.get_attribute("href"))


def test_without_javascript_the_menu_is_a_plain_list(live_site, chromium):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_site.url("/"))
        assert not page.locator(".primary-nav__toggle").is_visible()
        assert page.locator(".primary-nav__list a").first.is_visible()
        # Each photo still leads to its large version.
        page.goto(live_site.url(GALLERY))
        link = page.locator("[data-viewer-item]").first
        assert link.get_attribute("href").startswith("/media/")
    finally:
        context.close()


def test_gallery_viewer_works_with_the_keyboard(live_site, desktop, axe):
    console_errors = watch_console(desktop)
    desktop.goto(live_site.url(GALLERY))
    photos = desktop.locator("[data-viewer-item]")
    total = photos.count()
    assert total >= 2
    viewer = desktop.locator("dialog.viewer")
    count = viewer.locator(".viewer__count")
    image = viewer.locator(".viewer__image")

    first = tab_to(desktop, "[data-viewer-item]", limit=40)
    desktop.keyboard.press("Enter")
    assert viewer.evaluate("el => el.open")
    assert count.text_content() == f"Photo 1 of {total}"
    assert image.get_attribute("src") == photos.nth(0).get_attribute("data-viewer-src")
    assert image.get_attribute("alt")
    # Focus moves into the viewer, onto a labelled button.
    assert viewer.evaluate("el => el.contains(document.activeElement)")
    violations = axe(desktop)
    assert not violations, describe_violations(violations)

    desktop.keyboard.press("ArrowRight")
    assert count.text_content() == f"Photo 2 of {total}"
    assert image.get_attribute("src") == photos.nth(1).get_attribute("data-viewer-src")
    desktop.keyboard.press("ArrowLeft")
    desktop.keyboard.press("ArrowLeft")
    assert count.text_content() == f"Photo {total} of {total}", "Left from the first wraps"

    # Tab stays within the viewer.
    for _ in range(5):
        desktop.keyboard.press("Tab")
        assert viewer.evaluate("el => el.contains(document.activeElement)")

    desktop.keyboard.press("Escape")
    assert not viewer.evaluate("el => el.open")
    assert first.evaluate("el => el === document.activeElement"), "focus returns to the photo"
    assert not console_errors
