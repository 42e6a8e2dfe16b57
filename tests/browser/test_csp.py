"""The Content-Security-Policy in a real browser: nothing the site needs is blocked.

A policy that is too strict shows only in a browser (a script that does not run, an
unstyled widget), so these tests drive the public site, the API docs and the Wagtail
admin (dashboard, explorer, page editor with StreamField, rich text, the image chooser,
the preview panel, the checks panel, the userbar) and listen in every frame for CSP
violations: the `securitypolicyviolation` event and Chromium's console report.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from .test_public_site import GALLERY, PAGES

EVENT_PAGE_ID = (
    "from events.models import EventPage; "
    "print(EventPage.objects.live().filter(slug='acord21-protocol-development-workshop')"
    ".get().pk)"
)
# Runs in every frame before the page's own scripts; reports to CSPWatch below.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__reportCspViolation(JSON.stringify({
        directive: event.violatedDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
        document: event.documentURI,
    }));
}, true);
"""
BLOCKED_PROBE = "https://blocked.invalid/probe.png"


class CSPWatch:
    """Every CSP violation and uncaught error in a browser context, in every frame."""

    def __init__(self, page):
        self.page = page
        self.violations = []
        self.console_reports = []
        self.errors = []
        page.context.expose_function("__reportCspViolation", self._violation)
        page.context.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _violation(self, report):
        self.violations.append(report)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console_reports.append(message.text)

    def problems(self):
        return {
            "violations": [json.loads(v) for v in self.violations],
            "console": self.console_reports,
            "page errors": self.errors,
        }

    def assert_clean(self, where):
        problems = self.problems()
        assert not any(problems.values()), f"{where}: {json.dumps(problems, indent=2)}"

    def visit(self, path, live_site):
        response = self.page.goto(live_site.url(path))
        assert response.ok, f"{path}: {response.status}"
        self.page.wait_for_load_state("networkidle")
        return response

    def prove_it_listens(self):
        """A deliberate violation is seen, so a quiet watch means a clean page."""
        self.page.evaluate(
            "src => { const img = new Image(); img.src = src; document.body.append(img); }",
            BLOCKED_PROBE,
        )
        self.page.wait_for_timeout(500)
        blocked = [json.loads(v)["blocked"] for v in self.violations]
        assert blocked == [BLOCKED_PROBE], blocked
        assert len(self.console_reports) == 1, self.console_reports
        self.violations.clear()
        self.console_reports.clear()


@pytest.fixture
def watch(desktop):
    return CSPWatch(desktop)


def log_in(page, live_site, username, password):
    page.goto(live_site.url("/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(live_site.url("/admin/"))


def test_the_public_site_runs_under_its_strict_policy(live_site, watch):
    # Pages only: feeds and the sitemap are XML for readers and crawlers, and Chromium's
    # own XML viewer injects an inline style that any strict policy reports.
    for path in PAGES.values():
        response = watch.visit(path, live_site)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy + ";", path
        assert "'unsafe-inline'" not in policy, path
        watch.assert_clean(path)
    # The photo viewer: a dialog built from a <template> by site.js.
    watch.visit(GALLERY, live_site)
    watch.page.locator("[data-viewer-item]").first.click()
    expect(watch.page.locator("dialog.viewer")).to_be_visible()
    expect(watch.page.locator("dialog.viewer .viewer__image")).to_have_js_property(
        "complete", True
    )
    watch.assert_clean("the photo viewer")
    watch.prove_it_listens()


def test_the_api_docs_load_and_run_from_our_own_files(live_site, watch):
    requests = []
    watch.page.on("request", lambda request: requests.append(request.url))
    watch.visit("/api/v3/docs/", live_site)
    expect(watch.page.locator(".swagger-ui .opblock").first).to_be_visible()
    watch.assert_clean("/api/v3/docs/")
    assert requests
    assert all(url.startswith(live_site.base_url) for url in requests), requests
    watch.prove_it_listens()


def test_the_wagtail_admin_works_under_its_policy(live_site, watch):
    page = watch.page
    event_id = live_site.manage("shell", "-c", EVENT_PAGE_ID).strip().splitlines()[-1]
    log_in(page, live_site, "admin", "smop-admin-demo")
    watch.assert_clean("sign-in")
    admin_pages = [
        "/admin/",
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/people/person/",
        "/admin/workflows/list/",
        "/admin/reports/site-history/",
    ]
    for path in admin_pages:
        watch.visit(path, live_site)
        watch.assert_clean(path)

    # The page editor: StreamField, rich text, the image chooser, preview and checks.
    watch.visit(f"/admin/pages/{event_id}/edit/", live_site)
    body = page.locator("[data-contentpath='body']")
    body.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name="Paragraph").click()
    editor = body.locator(".Draftail-Editor [contenteditable=true]").last
    editor.click()
    page.keyboard.type("Checked under the content security policy, ")
    page.keyboard.press("Control+b")
    page.keyboard.type("in bold")
    expect(editor.locator("strong, [style*='bold']").first).to_be_visible()
    watch.assert_clean("StreamField and rich text")

    body.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name="Image").click()
    body.locator("[data-chooser-action-choose]").last.click()
    modal = page.locator(".modal-content")
    expect(modal.get_by_role("heading", name=re.compile("Choose an image"))).to_be_visible()
    modal.locator("a[data-chooser-modal-choice]").first.click()
    expect(modal).to_be_hidden()
    expect(body.locator("[data-chooser-title]").last).not_to_be_empty()
    watch.assert_clean("the image chooser")

    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_be_visible(timeout=15_000)
    page.locator("[data-side-panel-toggle='checks']").click()
    page.wait_for_timeout(1000)
    watch.assert_clean("the preview and checks panels")

    # A public page with the userbar, as signed-in staff see it.
    watch.visit(PAGES["smop-event"], live_site)
    page.locator("wagtail-userbar button").first.click()
    page.wait_for_timeout(500)
    watch.assert_clean("the userbar")
    watch.prove_it_listens()
