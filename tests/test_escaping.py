"""Hostile text in every public field, then every rendering of it.

The seeded site gets script and markup planted in every plain text field of every
page (titles included), of every listed member, of site settings and of images,
all published; then every public surface is read: each page's HTML (body, meta
tags, JSON-LD), profiles, search results, the RSS feed, the calendars, both APIs,
and the pages as an editor sees them (with Wagtail's userbar). Text must come out
as text: escaped in HTML and XML, encoded in JSON, and folded in `.ics` so a line
break cannot start a new calendar property. Rich text is checked on the way in:
the admin's editor and the v3 API keep only the allowed markup.

`tests/test_seo.py` already checks a hostile event title inside JSON-LD and the
`.ics` library's escaping of `;`, `,` and `\\n`; this module covers every other
field and surface.
"""

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import models
from django.test import TestCase
from icalendar import Calendar
from wagtail.api.rich_text import APIRichText
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import rich_text

from cms.models import SiteSettings
from events.factories import EventPageFactory
from events.models import EventIndexPage, EventPage
from home.models import ResourceListPage
from people.models import MemberDirectoryPage, Person

HOSTILE = (
    "Evil </script><script>alert(1)</script>"
    '"><img src=x onerror=alert(1)>'
    "{{ 7777|add:1111 }}{% now 'Y' %}"
)
# What must never appear in HTML: live tags or an evaluated template expression.
LIVE_MARKUP = ("<script>alert(1)", "<img src=x onerror", "8888")
# A line break in a calendar field must not start a new property.
ICS_INJECTION = "Board meeting\r\nATTENDEE:mailto:attacker@example.org\r\nX-EVIL:1"

UPCOMING = {
    "date_precision": EventPage.DatePrecision.TIME,
    "start_date": dt.date(2090, 4, 10),
    "start_time": dt.time(9),
    "end_time": dt.time(17, 30),
}

# Text fields that are not free text: addresses, identifiers, machine values.
NOT_FREE_TEXT = {"path", "slug", "url_path", "draft_title", "timezone", "locale", "_revealed"}


def free_text_fields(model):
    """Every plain text field an editor types into, on `model` itself or inherited."""
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, RichTextField | models.URLField | models.EmailField):
            continue
        if field.choices or field.name in NOT_FREE_TEXT or not field.editable:
            continue
        yield field


def hostile_for(field):
    return HOSTILE[: field.max_length] if field.max_length else HOSTILE


def plant(instance):
    """Put hostile text in every free text field, without the form's validators."""
    values = {field.attname: hostile_for(field) for field in free_text_fields(type(instance))}
    type(instance)._default_manager.filter(pk=instance.pk).update(**values)
    return values


def strings(data):
    """Every string value in a JSON document."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


class EscapingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", stdout=io.StringIO())
        # The seeded events are past; the feed and the calendar list upcoming ones.
        index = EventIndexPage.objects.get()
        EventPageFactory(parent=index, **UPCOMING)
        cls.pages = [page.specific for page in Page.objects.live().filter(depth__gt=1)]
        for page in cls.pages:
            plant(page)
        cls.people = list(Person.objects.public())
        for person in cls.people:
            plant(person)
        site = Site.objects.get(is_default_site=True)
        plant(SiteSettings.for_site(site))
        for image in {page.listing_image for page in cls.pages if page.listing_image}:
            plant(image)
        cls.event = EventPageFactory(
            parent=index,
            slug="board-meeting",
            title=ICS_INJECTION,
            venue=ICS_INJECTION,
            **UPCOMING,
        )
        cls.editor = get_user_model().objects.create_user("comms", "c@example.org", "pw")
        cls.editor.groups.add(Group.objects.get(name="Communications"))

    def get(self, url, **extra):
        response = self.client.get(url, **extra)
        self.assertEqual(response.status_code, 200, url)
        return response

    def assert_no_live_markup(self, url, text):
        for marker in LIVE_MARKUP:
            self.assertNotIn(marker, text, f"{url} renders {marker!r}")

    def page_urls(self):
        urls = [page.url for page in self.pages]
        directory = MemberDirectoryPage.objects.get()
        urls += [person.get_profile_url(directory) for person in self.people]
        return [url for url in urls if url]

    def test_every_page_and_profile_escapes_planted_text(self):
        for url in self.page_urls():
            with self.subTest(url):
                html = self.get(url).content.decode()
                self.assert_no_live_markup(url, html)
                soup = BeautifulSoup(html, "html.parser")
                # Escaped, not dropped: the words reach the reader as typed.
                self.assertIn("{{ 7777|add:1111 }}", soup.get_text())
                for data in soup.find_all("script", type="application/ld+json"):
                    json.loads(data.string)  # still one valid JSON document

    def test_meta_tags_hold_the_text_as_typed(self):
        page = next(page for page in self.pages if isinstance(page, ResourceListPage))
        soup = BeautifulSoup(self.get(page.url).content, "html.parser")
        title = soup.find("meta", attrs={"property": "og:title"})["content"]
        self.assertTrue(title.startswith(HOSTILE[:40]), title)
        self.assertIn(HOSTILE[:40], soup.title.string)

    def test_the_editors_view_with_the_userbar_escapes_planted_text(self):
        self.client.force_login(self.editor)
        for page in self.pages[:5]:
            with self.subTest(page.url):
                html = self.get(page.url).content.decode()
                self.assertIn("wagtail-userbar", html)
                self.assert_no_live_markup(page.url, html)

    def test_search_results_escape_planted_text(self):
        for query in ("Evil", HOSTILE):
            response = self.get("/search/", data={"q": query})
            self.assert_no_live_markup("/search/", response.content.decode())

    def test_directory_listing_escapes_planted_text(self):
        directory = MemberDirectoryPage.objects.get()
        response = self.get(directory.url, data={"q": "Evil"})
        self.assert_no_live_markup(directory.url, response.content.decode())

    def test_the_rss_feed_is_well_formed_and_holds_the_text(self):
        index = EventIndexPage.objects.get()
        response = self.get(f"{index.url}feed/")
        root = ET.fromstring(response.content)  # noqa: S314 - our own feed, must be well-formed
        titles = [item.findtext("title") for item in root.iter("item")]
        self.assertTrue(any(title.startswith("Evil </script>") for title in titles), titles)
        self.assertNotIn(b"<script>", response.content)

    def test_a_line_break_cannot_add_calendar_properties(self):
        for url in (f"{self.event.url}calendar/", f"{EventIndexPage.objects.get().url}calendar/"):
            with self.subTest(url):
                calendar = Calendar.from_ical(self.get(url).content)
                events = calendar.walk("VEVENT")
                self.assertTrue(events)
                for entry in events:
                    self.assertNotIn("ATTENDEE", entry)
                    self.assertNotIn("X-EVIL", entry)
                summaries = [str(entry["SUMMARY"]) for entry in events]
                self.assertIn(ICS_INJECTION.replace("\r\n", "\n"), summaries)

    def test_apis_return_the_text_as_json_strings(self):
        urls = ["/api/v2/pages/?limit=100&fields=*", "/api/v2/people/?limit=100"]
        urls += [f"/api/v2/pages/{page.pk}/" for page in self.pages]
        urls += [f"/api/v3/pages/{page.pk}/" for page in self.pages]
        for url in urls:
            with self.subTest(url):
                response = self.get(url)
                self.assertIn("json", response["Content-Type"])
                self.assertIn(HOSTILE, set(strings(response.json())))


class RichTextSanitisingTests(TestCase):
    """Rich text keeps only allowed markup, whichever way it comes in."""

    HOSTILE_HTML = (
        '<p>Read <a href="javascript:alert(1)">this</a> and '
        '<a href="https://example.org/" onclick="alert(1)">that</a>'
        '<script>alert(1)</script><img src="x" onerror="alert(1)"/>'
        '<iframe src="https://evil.example/"></iframe><b style="x">bold</b></p>'
    )

    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", stdout=io.StringIO())
        cls.admin = get_user_model().objects.create_superuser("root", "r@example.org", "pw")

    def assert_sanitised(self, stored):
        for forbidden in ("javascript:", "onclick", "<script", "onerror", "<iframe", "style="):
            self.assertNotIn(forbidden, stored)
        self.assertIn('href="https://example.org/"', stored)
        self.assertIn("<b>bold</b>", stored)

    def test_the_admin_editor_keeps_only_allowed_markup(self):
        # The page editor's own form field turns what the editor submitted into the
        # stored HTML, keeping only the field's features.
        form_class = ResourceListPage.get_edit_handler().get_form_class()
        widget = form_class.base_fields["intro"].widget
        stored = widget.value_from_datadict({"intro": rich_text(self.HOSTILE_HTML)}, {}, "intro")
        self.assert_sanitised(stored)

    def test_the_v3_api_keeps_only_allowed_markup(self):
        # Every v3 write converts rich text with the field's own features.
        field = ResourceListPage._meta.get_field("intro")
        for value in (self.HOSTILE_HTML, {"format": "db_html", "content": self.HOSTILE_HTML}):
            stored, removals = APIRichText.convert_input(value, features=field.features)
            self.assert_sanitised(stored)
            self.assertTrue(removals)
