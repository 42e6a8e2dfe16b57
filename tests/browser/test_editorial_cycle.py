"""The editorial cycle in a real browser, on the `make run` site with its demo users.

A Communications editor logs in, creates an event and submits it for review; a
Reviewer approves it from the dashboard; then an anonymous visitor sees it.
"""

import re

from playwright.sync_api import expect

TITLE = "Editorial cycle check: tumour board"
SLUG = "editorial-cycle-check-tumour-board"
EVENT_INDEX_ID = (
    "from events.models import EventIndexPage; print(EventIndexPage.objects.first().pk)"
)


def log_in(page, live_site, username, password):
    page.goto(live_site.url("/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(live_site.url("/admin/"))


def new_tab(chromium):
    return chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()


def test_editor_submits_reviewer_approves_visitor_sees(live_site, chromium):
    index_id = live_site.manage("shell", "-c", EVENT_INDEX_ID).strip().splitlines()[-1]

    # The Communications editor drafts the event and submits it.
    editor = new_tab(chromium)
    log_in(editor, live_site, "editor", "smop-editor-demo")
    editor.goto(live_site.url(f"/admin/pages/add/events/eventpage/{index_id}/"))
    editor.fill("#id_title", TITLE)
    editor.select_option("#id_category", "meeting")
    editor.fill("#id_summary", "A monthly multidisciplinary tumour board.")
    editor.get_by_role("tab", name=re.compile("When and where", re.I)).click()
    editor.fill("#id_start_date", "2031-03-15")
    editor.keyboard.press("Escape")
    editor.fill("#id_city", "Lahore")
    editor.get_by_role("tab", name=re.compile("Promote", re.I)).click()
    editor.fill("#id_slug", SLUG)
    expect(editor.locator("button[name=action-publish]")).to_have_count(0)
    editor.locator("footer .w-dropdown__toggle").click()
    editor.locator("button[name=action-submit]").click()
    expect(editor.locator(".messages")).to_contain_text("submitted")
    editor.context.close()

    # Not public while in review.
    visitor = new_tab(chromium)
    response = visitor.goto(live_site.url(f"/events/{SLUG}/"))
    assert response.status == 404

    # The Reviewer finds it on the dashboard and approves it.
    reviewer = new_tab(chromium)
    log_in(reviewer, live_site, "reviewer", "smop-reviewer-demo")
    awaiting = reviewer.locator("#awaiting-review-content, #awaiting-review-section").first
    expect(awaiting).to_contain_text(TITLE)
    row = reviewer.locator("tr", has_text=TITLE)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve with comment").click()
    modal = reviewer.locator(".modal-content")
    expect(modal).to_be_visible()
    modal.locator("textarea").fill("Approved for the events calendar.")
    modal.locator("button[type=submit]").click()
    # Back on the dashboard, nothing waits for review any more.
    expect(reviewer.locator("tr", has_text=TITLE)).to_have_count(0)
    reviewer.context.close()

    # A visitor sees the event.
    response = visitor.goto(live_site.url(f"/events/{SLUG}/"))
    assert response.status == 200
    expect(visitor.locator("h1")).to_contain_text(TITLE)
    visitor.context.close()
