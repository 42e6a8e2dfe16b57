"""What search engines and social sites read: head metadata, JSON-LD, sitemap, robots.txt."""

import datetime as dt
import json

from bs4 import BeautifulSoup
from defusedxml import ElementTree as ET
from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from cms.factories import SiteImageFactory
from cms.models import SiteSettings, SocialLink
from events.factories import EventIndexPageFactory, EventPageFactory, EventSpeakerFactory
from events.models import EventPage
from home.factories import StandardPageFactory, make_site_root
from people.factories import PersonFactory
from people.models import MemberDirectoryPage

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE = 'Evil </script><script>alert("x")</script> & <!-- title'


def meta(soup, key):
    """The content of <meta property=key> or <meta name=key>, or None."""
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup):
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


class SeoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hero = SiteImageFactory(title="Hero", alt_text="Delegates at a SMOP meeting")
        cls.home = make_site_root(
            hero_image=cls.hero,
            search_description="The society of Pakistan's medical oncologists.",
        )
        cls.settings = SiteSettings.objects.create(
            site=Site.objects.get(is_default_site=True),
            organisation_name="Society of Medical Oncology Pakistan",
            short_name="SMOP",
            email="info@smop.example",
            phone="+92 42 1234 5678",
            address="Street 1\nLahore",
        )
        for platform, url in (
            ("facebook", "https://fb.example/smop"),
            ("x", "https://x.com/smop_pk"),
        ):
            SocialLink.objects.create(settings=cls.settings, platform=platform, url=url)
        cls.index = EventIndexPageFactory(parent=cls.home, slug="events")

    def soup(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status)
        return BeautifulSoup(response.content, "html.parser")

    def event(self, **kwargs):
        return EventPageFactory(parent=self.index, **kwargs)


class HeadMetadataTests(SeoTestCase):
    def test_a_page_has_title_description_canonical_and_social_tags(self):
        image = SiteImageFactory(alt_text="The speakers on stage")
        page = StandardPageFactory(
            parent=self.home,
            title="What is SMOP",
            slug="what-is-smop",
            seo_title="What SMOP does",
            search_description="Who we are and what we do.",
            listing_image=image,
        )
        soup = self.soup(page.url)
        self.assertEqual(
            soup.title.string, "What SMOP does | Society of Medical Oncology Pakistan"
        )
        self.assertEqual(meta(soup, "description"), "Who we are and what we do.")
        canonical = "http://localhost/what-is-smop/"
        self.assertEqual(soup.find("link", rel="canonical")["href"], canonical)
        self.assertEqual(meta(soup, "og:url"), canonical)
        self.assertEqual(meta(soup, "og:title"), "What SMOP does")
        self.assertEqual(meta(soup, "og:description"), "Who we are and what we do.")
        self.assertEqual(meta(soup, "og:site_name"), "Society of Medical Oncology Pakistan")
        self.assertEqual(meta(soup, "twitter:title"), "What SMOP does")
        self.assertEqual(meta(soup, "twitter:site"), "@smop_pk")

        og_image = meta(soup, "og:image")
        self.assertTrue(og_image.startswith("http://localhost/media/images/"), og_image)
        self.assertIn(".fill-1200x630", og_image)
        self.assertEqual(meta(soup, "twitter:image"), og_image)
        self.assertEqual(meta(soup, "og:image:alt"), "The speakers on stage")
        self.assertEqual(meta(soup, "twitter:card"), "summary_large_image")
        self.assertIsNone(meta(soup, "robots"))

    def test_the_description_falls_back_to_the_listing_summary_and_the_image_to_home(self):
        page = StandardPageFactory(
            parent=self.home, title="Values", listing_summary="<b>Four</b>   values we hold."
        )
        soup = self.soup(page.url)
        self.assertEqual(meta(soup, "description"), "Four values we hold.")
        self.assertEqual(soup.title.string, "Values | Society of Medical Oncology Pakistan")
        self.assertEqual(meta(soup, "og:image:alt"), "Delegates at a SMOP meeting")
        self.assertTrue(meta(soup, "og:image").startswith("http://localhost/media/"))

    def test_the_home_page_is_shared_under_the_society_name(self):
        soup = self.soup(self.home.url)
        self.assertEqual(soup.title.string, "Home | Society of Medical Oncology Pakistan")
        self.assertEqual(meta(soup, "og:title"), "Society of Medical Oncology Pakistan")
        self.assertEqual(soup.find("link", rel="canonical")["href"], "http://localhost/")

    def test_a_member_profile_has_its_own_title_and_canonical(self):
        directory = MemberDirectoryPage(title="Member directory", slug="member-directory")
        self.home.add_child(instance=directory)
        person = PersonFactory(
            first_name="Amna", last_name="Test", designation="Medical Oncologist", city="Multan"
        )
        soup = self.soup(f"/member-directory/{person.slug}/")
        self.assertEqual(
            soup.title.string, f"{person.full_name} | Society of Medical Oncology Pakistan"
        )
        canonical = f"http://localhost/member-directory/{person.slug}/"
        self.assertEqual(soup.find("link", rel="canonical")["href"], canonical)
        self.assertEqual(meta(soup, "og:title"), person.full_name)
        self.assertEqual(meta(soup, "og:url"), canonical)
        self.assertIn("Medical Oncologist", meta(soup, "description"))
        # The directory's own Event/Organization data is not claimed for a person.
        self.assertEqual(json_ld(soup), [])

    def test_a_filtered_listing_points_to_the_listing(self):
        directory = MemberDirectoryPage(title="Member directory", slug="member-directory")
        self.home.add_child(instance=directory)
        soup = self.soup("/member-directory/?city=Lahore&page=2")
        self.assertEqual(
            soup.find("link", rel="canonical")["href"], "http://localhost/member-directory/"
        )

    def test_the_search_page_is_canonical_and_kept_out_of_indexes(self):
        soup = self.soup(reverse("search") + "?q=lymphoma")
        self.assertEqual(soup.find("link", rel="canonical")["href"], "http://localhost/search/")
        self.assertEqual(meta(soup, "robots"), "noindex, follow")
        self.assertTrue(soup.title.string.endswith("| Society of Medical Oncology Pakistan"))

    def test_a_missing_page_has_no_canonical(self):
        soup = self.soup("/no-such-page/", status=404)
        self.assertIsNone(soup.find("link", rel="canonical"))


class OrganizationJsonLdTests(SeoTestCase):
    def test_the_home_page_describes_the_society(self):
        [data] = json_ld(self.soup(self.home.url))
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "Organization")
        self.assertEqual(data["name"], "Society of Medical Oncology Pakistan")
        self.assertEqual(data["alternateName"], "SMOP")
        self.assertEqual(data["url"], "http://localhost/")
        self.assertEqual(data["email"], "info@smop.example")
        self.assertEqual(data["telephone"], "+92 42 1234 5678")
        self.assertEqual(data["address"]["streetAddress"], "Street 1, Lahore")
        self.assertEqual(data["sameAs"], ["https://fb.example/smop", "https://x.com/smop_pk"])
        self.assertTrue(data["image"].startswith("http://localhost/media/images/"))

    def test_other_pages_do_not_repeat_it(self):
        page = StandardPageFactory(parent=self.home)
        self.assertEqual(json_ld(self.soup(page.url)), [])


class EventJsonLdTests(SeoTestCase):
    def event_data(self, event):
        [data] = json_ld(self.soup(event.url))
        return data

    def test_a_timed_event_has_offsets_place_and_organiser(self):
        event = self.event(
            title="Breast Cancer Symposium",
            date_precision=EventPage.DatePrecision.TIME,
            start_date=dt.date(2026, 2, 20),
            start_time=dt.time(9),
            end_time=dt.time(17),
            venue="Pearl Continental",
            city="Lahore",
            country="Pakistan",
        )
        EventSpeakerFactory(page=event, name="Guest Speaker")
        data = self.event_data(event)
        self.assertEqual(data["@type"], "Event")
        self.assertEqual(data["name"], "Breast Cancer Symposium")
        self.assertEqual(data["url"], f"http://localhost/events/{event.slug}/")
        self.assertEqual(data["startDate"], "2026-02-20T09:00:00+05:00")
        self.assertEqual(data["endDate"], "2026-02-20T17:00:00+05:00")
        self.assertEqual(data["eventStatus"], "https://schema.org/EventScheduled")
        self.assertEqual(
            data["eventAttendanceMode"], "https://schema.org/OfflineEventAttendanceMode"
        )
        self.assertEqual(
            data["location"],
            {
                "@type": "Place",
                "name": "Pearl Continental",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": "Lahore",
                    "addressCountry": "Pakistan",
                },
            },
        )
        self.assertEqual(data["organizer"]["name"], "Society of Medical Oncology Pakistan")
        self.assertEqual(data["performer"], [{"@type": "Person", "name": "Guest Speaker"}])
        self.assertEqual(data["description"], event.summary)
        self.assertTrue(data["image"][0].startswith("http://localhost/media/"))

    def test_an_event_abroad_has_its_own_offset(self):
        event = self.event(
            date_precision=EventPage.DatePrecision.TIME,
            start_date=dt.date(2026, 6, 1),
            start_time=dt.time(8),
            timezone="America/Chicago",
        )
        self.assertEqual(self.event_data(event)["startDate"], "2026-06-01T08:00:00-05:00")

    def test_dates_are_only_as_precise_as_known(self):
        cases = [
            (
                {"start_date": dt.date(2026, 2, 5), "end_date": dt.date(2026, 2, 7)},
                ("2026-02-05", "2026-02-07"),
            ),
            (
                {
                    "date_precision": EventPage.DatePrecision.MONTH,
                    "start_date": dt.date(2021, 8, 1),
                },
                ("2021-08", "2021-08"),
            ),
            (
                {
                    "date_precision": EventPage.DatePrecision.YEAR,
                    "start_date": dt.date(2022, 1, 1),
                },
                ("2022", "2022"),
            ),
        ]
        for values, (start, end) in cases:
            data = self.event_data(self.event(**values))
            self.assertEqual((data["startDate"], data["endDate"]), (start, end), values)
        undated = self.event_data(self.event(undated=True))
        self.assertNotIn("startDate", undated)

    def test_virtual_and_hybrid_events(self):
        virtual = self.event(
            format=EventPage.Format.VIRTUAL,
            venue="",
            city="",
            country="",
            website_url="https://meeting.example/",
        )
        data = self.event_data(virtual)
        self.assertEqual(
            data["eventAttendanceMode"], "https://schema.org/OnlineEventAttendanceMode"
        )
        self.assertEqual(
            data["location"], {"@type": "VirtualLocation", "url": "https://meeting.example/"}
        )
        hybrid = self.event(
            format=EventPage.Format.HYBRID,
            category=EventPage.Category.INTERNATIONAL,
            organiser=EventPage.Organiser.EXTERNAL,
            organiser_name="ASCO",
            city="Chicago",
            country="United States",
        )
        data = self.event_data(hybrid)
        self.assertEqual(
            data["eventAttendanceMode"], "https://schema.org/MixedEventAttendanceMode"
        )
        self.assertEqual(
            [place["@type"] for place in data["location"]], ["Place", "VirtualLocation"]
        )
        self.assertEqual(data["organizer"], {"@type": "Organization", "name": "ASCO"})

    def test_a_hostile_title_cannot_break_out_of_the_script(self):
        event = self.event(title=HOSTILE, summary=HOSTILE)
        response = self.client.get(event.url)
        html = response.content.decode()
        self.assertNotIn('</script><script>alert("x")', html)
        self.assertNotIn("<!-- title", html)
        data = self.event_data(event)
        self.assertEqual(data["name"], HOSTILE)
        # Descriptions are plain text: the markup is dropped, the words kept.
        self.assertEqual(data["description"], 'Evil alert("x") & <!-- title')
        soup = BeautifulSoup(response.content, "html.parser")
        self.assertEqual(meta(soup, "og:title"), HOSTILE)


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


class SitemapTests(SeoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        home = cls.home
        StandardPageFactory(parent=home, slug="public-page")
        StandardPageFactory(parent=home, slug="draft-page", live=False)
        draft_section = StandardPageFactory(parent=home, slug="draft-section", live=False)
        StandardPageFactory(parent=draft_section, slug="live-child-of-draft")
        members = StandardPageFactory(parent=home, slug="members-only")
        PageViewRestriction.objects.create(
            page=members, restriction_type=PageViewRestriction.LOGIN
        )
        StandardPageFactory(parent=members, slug="members-child")
        protected = StandardPageFactory(parent=home, slug="protected")
        PageViewRestriction.objects.create(
            page=protected, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        EventPageFactory(parent=cls.index, slug="an-event")
        directory = MemberDirectoryPage(title="Member directory", slug="member-directory")
        home.add_child(instance=directory)
        cls.listed = PersonFactory()
        cls.unlisted = PersonFactory(unlisted=True)
        cls.draft_person = PersonFactory(draft=True)

    def test_it_lists_live_public_pages_with_absolute_urls(self):
        locations = sitemap_locations(self.client)
        for path in ("", "public-page/", "events/", "events/an-event/", "member-directory/"):
            self.assertIn(f"http://localhost/{path}", locations)

    def test_it_leaves_out_drafts_and_view_restricted_pages_and_their_children(self):
        locations = " ".join(sitemap_locations(self.client))
        for slug in (
            "draft-page",
            "draft-section",
            "live-child-of-draft",
            "members-only",
            "members-child",
            "protected",
        ):
            self.assertNotIn(f"/{slug}/", locations)

    def test_it_lists_listed_members_profiles_only(self):
        locations = sitemap_locations(self.client)
        self.assertIn(f"http://localhost/member-directory/{self.listed.slug}/", locations)
        for person in (self.unlisted, self.draft_person):
            self.assertNotIn(f"http://localhost/member-directory/{person.slug}/", locations)

    def test_event_calendar_routes_are_not_pages(self):
        self.assertFalse(any("calendar/" in loc for loc in sitemap_locations(self.client)))


class RobotsTxtTests(SeoTestCase):
    def test_it_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertIn("User-agent: *", lines)
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn("Sitemap: http://localhost/sitemap.xml", lines)
