"""The whole seeded site, rebuilt from /api/v2/ alone.

A frontend that knows nothing but the API's address starts at the navigation, walks
the page tree by `child_of`, reads every page's detail, then follows each page to
what it lists: events, people, galleries and resources. Everything it finds must
match the site (the database, as the templates show it), and every image it is
given must exist.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.test import TestCase
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from cms.models import SiteSettings
from events.models import EventPage
from gallery.models import GalleryPage
from home.models import HomePage, InitiativePage, PresidentMessagePage, ResourceListPage
from people.models import Person


class SeededSiteWalkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", verbosity=0)
        cls.site = Site.objects.get(is_default_site=True)
        cls.host = cls.site.hostname

    def api(self, url):
        """GET an API URL (absolute, as the API gives them, or a path)."""
        parts = urlsplit(url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        response = self.client.get(path, HTTP_HOST=self.host)
        self.assertEqual(response.status_code, 200, f"{url}: {response.content[:300]}")
        return response.json()

    def walk_pages(self):
        """Every page reachable from the navigation's home page, by detail, in tree order."""
        home = self.api("/api/v2/navigation/")["home"]
        pages, queue = {}, [home["detail_url"]]
        while queue:
            detail = self.api(queue.pop(0))
            pages[detail["id"]] = detail
            children = self.api(f"/api/v2/pages/?child_of={detail['id']}&limit=100")
            queue += [child["meta"]["detail_url"] for child in children["items"]]
        return pages

    def test_navigation_matches_the_site(self):
        navigation = self.api("/api/v2/navigation/")
        settings_ = SiteSettings.for_site(self.site)
        root = self.site.root_page
        menu = root.get_children().live().public().in_menu()
        self.assertEqual([item["title"] for item in navigation["menu"]], [p.title for p in menu])
        self.assertEqual(navigation["home"]["id"], root.pk)
        self.assertEqual(navigation["organisation"]["name"], settings_.organisation_name)
        self.assertEqual(navigation["footer"]["text"], settings_.footer_text)
        for item in navigation["menu"]:
            self.assertEqual(self.api(item["detail_url"])["title"], item["title"])

    def test_every_public_page_is_reached_and_matches(self):
        pages = self.walk_pages()
        public = Page.objects.live().public().descendant_of(self.site.root_page, inclusive=True)
        self.assertEqual(set(pages), set(public.values_list("pk", flat=True)))
        for page in public.specific():
            with self.subTest(page=page.title):
                data = pages[page.pk]
                self.assertEqual(data["title"], page.title)
                self.assertEqual(data["meta"]["type"], page.specific_class._meta.label)
                self.assertEqual(urlsplit(data["meta"]["html_url"]).path, page.url)
                self.assert_found_by_path(page)
                self.assert_page_content(page, data)

    def assert_found_by_path(self, page):
        response = self.client.get(
            f"/api/v2/pages/find/?html_path={page.url}", HTTP_HOST=self.host
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(urlsplit(response["Location"]).path, f"/api/v2/pages/{page.pk}/")

    def assert_page_content(self, page, data):
        checks = {
            HomePage: self.check_home,
            PresidentMessagePage: self.check_president,
            InitiativePage: self.check_initiative,
            ResourceListPage: self.check_resource_list,
            EventPage: self.check_event,
            GalleryPage: self.check_gallery,
        }
        check = checks.get(type(page))
        if check:
            check(page, data)
        self.assert_text_fields(page, data)
        self.assert_no_database_markup(data)
        self.assert_images_exist(data)

    def assert_text_fields(self, page, data):
        """Every text field as stored; rich text as the display HTML templates show."""
        for name, value in data.items():
            try:
                field = page._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            stored = getattr(page, name)
            if isinstance(field, RichTextField):
                self.assertEqual(value, expand_db_html(stored), name)
            elif isinstance(field, (models.CharField, models.TextField)):
                self.assertEqual(value, stored, name)

    def check_home(self, page, data):
        self.assertEqual(
            [section["type"] for section in data["sections"]],
            [block.block_type for block in page.sections],
        )
        self.assertEqual(data["hero_image"]["id"], page.hero_image_id)

    def check_president(self, page, data):
        holder = page.signatory
        self.assertEqual(data["signatory_role"]["holder"]["full_name"], holder.full_name)

    def check_initiative(self, page, data):
        self.assertEqual(
            [p["title"] for p in data["publications"]], [p.title for p in page.publications.all()]
        )
        self.assertEqual(
            [i["person"]["full_name"] for i in data["investigators"]],
            [i.person.full_name for i in page.public_investigators()],
        )
        self.assertEqual(
            [c["name"] for c in data["centres"]], [c.name for c in page.centres.all()]
        )

    def check_resource_list(self, page, data):
        expected = [r.title for r in page.resources.all()]
        self.assertEqual([r["title"] for r in data["resources"]], expected)
        listed = self.api(f"/api/v2/resources/?audience={page.audience}&limit=100")["items"]
        self.assertEqual([r["title"] for r in listed], expected)

    def check_event(self, page, data):
        self.assertEqual(data["date_label"], str(page.date_label))
        self.assertEqual(data["category"], page.category)
        self.assertEqual(
            [s["name"] for s in data["speakers"]], [s.display_name for s in page.public_speakers()]
        )
        self.assertEqual(
            [s["title"] for s in data["sessions"]], [s.title for s in page.sessions.all()]
        )
        galleries = [g.pk for g in page.public_galleries()]
        self.assertEqual([g["id"] for g in data["galleries"]], galleries)
        by_event = self.api(f"/api/v2/galleries/?event={page.pk}")["items"]
        self.assertEqual(sorted(g["id"] for g in by_event), sorted(galleries))

    def check_gallery(self, page, data):
        self.assertEqual(
            [(i["image"]["id"], i["caption"]) for i in data["images"]],
            [(i.image_id, i.caption) for i in page.images.all()],
        )

    def assert_no_database_markup(self, data):
        self.assertNotIn("linktype=", json.dumps(data))
        self.assertNotIn("embedtype=", json.dumps(data))

    def assert_images_exist(self, data):
        for url in image_urls(data):
            path = urlsplit(url).path
            self.assertTrue(path.startswith(settings.MEDIA_URL), url)
            self.assertTrue(default_storage.exists(path[len(settings.MEDIA_URL) :]), url)

    def test_events_listing_matches_upcoming_and_past(self):
        events = EventPage.objects.live().public()
        listed = self.api("/api/v2/events/?limit=100")
        self.assertEqual(listed["meta"]["total_count"], events.count())
        for flag, expected in (("upcoming", events.upcoming()), ("past", events.past())):
            with self.subTest(flag=flag):
                items = self.api(f"/api/v2/events/?{flag}=true&limit=100")["items"]
                self.assertEqual([e["id"] for e in items], [e.pk for e in expected])

    def test_people_match_the_directory(self):
        listed = self.api("/api/v2/people/?limit=100")["items"]
        public = Person.objects.public().order_by("last_name", "first_name", "pk")
        self.assertEqual([p["full_name"] for p in listed], [p.full_name for p in public])
        for item in listed:
            person = Person.objects.get(pk=item["id"])
            detail = self.api(item["meta"]["detail_url"])
            self.assertEqual(detail["designation"], person.designation)
            self.assertEqual(
                [s["slug"] for s in detail["specialties"]],
                [s.slug for s in person.specialties.all()],
            )
            self.assertEqual(urlsplit(detail["profile_url"]).path, person.get_profile_url())
            for name in Person.PRIVATE_FIELDS:
                self.assertNotIn(name, detail)


def image_urls(data):
    """Every image and rendition URL in an API response."""
    if isinstance(data, dict):
        if "renditions" in data and "alt" in data:
            yield data["url"]
            for rendition in data["renditions"]:
                yield rendition["url"]
                yield rendition["webp_url"]
        for value in data.values():
            yield from image_urls(value)
    elif isinstance(data, list):
        for item in data:
            yield from image_urls(item)
