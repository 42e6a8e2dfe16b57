"""What an event links to: its albums, the people who spoke, and its listing image."""

import datetime as dt

from bs4 import BeautifulSoup
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.factories import SiteImageFactory
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage, EventSpeaker
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import make_site_root
from people.factories import PersonFactory
from people.models import Person
from tests.helpers import AdminPageTestCase, page_form

from .test_event_forms import event_fields


class EventGalleriesTests(AdminPageTestCase):
    """The link is kept on both sides; visitors see every public album either side names."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        home = make_site_root()
        albums = GalleryIndexPageFactory(parent=home)
        events = EventIndexPageFactory(parent=home)
        cls.event = EventPageFactory(parent=events, title="Breast Cancer Symposium")
        other_event = EventPageFactory(parent=events, title="Best of ASCO21")

        def album(title, date=None, **kwargs):
            page = GalleryPageFactory(parent=albums, title=title, date=date, **kwargs)
            GalleryImageFactory(page=page)
            return page

        cls.chosen = album("Chosen here", dt.date(2021, 2, 1))
        cls.newer = album("Names the event, newer", dt.date(2021, 2, 21), event=cls.event)
        cls.older = album("Names the event, older", dt.date(2021, 2, 20), event=cls.event)
        cls.undated = album("Names the event, undated", event=cls.event)
        cls.draft = album("Unpublished album", event=cls.event, live=False)
        cls.private = album("Members-only album", event=cls.event)
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        cls.unrelated = album("Another event's album", event=other_event)
        cls.event.gallery = cls.chosen
        cls.event.save()

    def titles(self, event=None):
        return [page.title for page in (event or self.event).public_galleries()]

    def test_the_chosen_album_first_then_those_naming_the_event_newest_first(self):
        self.assertEqual(
            self.titles(),
            [
                "Chosen here",
                "Names the event, newer",
                "Names the event, older",
                "Names the event, undated",
            ],
        )

    def test_an_album_chosen_and_naming_the_event_is_listed_once(self):
        self.event.gallery = self.newer
        self.assertEqual(self.titles().count("Names the event, newer"), 1)
        self.assertEqual(self.titles()[0], "Names the event, newer")

    def test_an_unpublished_or_private_chosen_album_is_not_listed(self):
        for album in (self.draft, self.private):
            with self.subTest(album.title):
                self.event.gallery = album
                self.assertNotIn(album.title, self.titles())

    def test_an_event_without_albums_lists_none(self):
        lonely = EventPageFactory(parent=self.event.get_parent(), title="Webinar")
        self.assertEqual(self.titles(lonely), [])
        self.assertEqual(self.titles(EventPage(title="Unsaved")), [])

    def test_the_event_page_shows_each_public_album_once(self):
        html = self.get_page_html(self.event)
        section = BeautifulSoup(html, "html.parser").find(id="gallery-heading").parent
        links = [a.get_text(strip=True) for a in section.select(".card__title a")]
        self.assertEqual(links, self.titles())
        self.assertEqual(len(section.select(".card__image img")), 4)
        for hidden in ("Unpublished album", "Members-only album", "Another event's album"):
            self.assertNotIn(hidden, html)


class SpeakerPersonTests(AdminPageTestCase):
    """A person named as a speaker cannot be deleted out from under a published programme."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.index = EventIndexPageFactory(parent=make_site_root())
        cls.person = PersonFactory(first_name="Amina", last_name="Qureshi")

    def setUp(self):
        super().setUp()
        # Through the admin's form, as an editor would, so the reference index is kept.
        data = page_form(
            event_fields(),
            speakers=[{"person": self.person.pk, "name": "", "affiliation": "", "topic": ""}],
            sessions=[],
        )
        self.assertCanCreate(self.index, EventPage, data)
        self.client.force_login(self.admin_user)
        self.event = EventPage.objects.get(slug="protocol-development-workshop")

    def delete_url(self):
        return reverse("wagtailsnippets_people_person:delete", args=[self.person.pk])

    def test_the_database_refuses_to_delete_a_speaker(self):
        with self.assertRaises(ProtectedError):
            Person.objects.get(pk=self.person.pk).delete()

    def test_the_admin_explains_and_offers_no_delete_button(self):
        response = self.client.get(self.delete_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "One or more references to this person prevent it")
        self.assertNotContains(response, "Yes, delete")

    def test_the_admin_refuses_the_deletion_without_an_error_page(self):
        # Wagtail turns the refusal into a redirect with a message, not a server error.
        response = self.client.post(self.delete_url(), follow=True)
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.assertContains(response, "Sorry, you do not have permission")
        self.assertTrue(Person.objects.filter(pk=self.person.pk).exists())
        self.assertIn("Amina", self.get_page_html(self.event))

    def test_a_person_who_no_longer_speaks_can_be_deleted(self):
        EventSpeaker.objects.filter(page=self.event).delete()
        self.event.save()  # refreshes the reference index, as publishing does
        response = self.client.post(self.delete_url())
        self.assertRedirects(response, reverse("wagtailsnippets_people_person:list"))
        self.assertFalse(Person.objects.filter(pk=self.person.pk).exists())


class EventCardImageTests(AdminPageTestCase):
    """Upcoming events are cards on the index (past ones a compact list, without images)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.index = EventIndexPageFactory(parent=make_site_root())
        image = SiteImageFactory(alt_text="Delegates in the hall")
        upcoming = dt.date(timezone.localdate().year + 1, 3, 1)
        EventPageFactory(
            parent=cls.index, title="With a picture", listing_image=image, start_date=upcoming
        )
        EventPageFactory(parent=cls.index, title="Without a picture", start_date=upcoming)

    def cards(self):
        soup = BeautifulSoup(self.get_page_html(self.index), "html.parser")
        return {
            card.select_one(".card__title").get_text(strip=True): card
            for card in soup.select(".event-card")
        }

    def test_a_card_shows_the_events_listing_image(self):
        img = self.cards()["With a picture"].select_one(".card__image img")
        self.assertEqual(img["alt"], "Delegates in the hall")
        self.assertEqual(img["loading"], "lazy")
        self.assertTrue(img["width"].isdigit() and img["height"].isdigit())

    def test_a_card_without_a_listing_image_has_no_image(self):
        self.assertIsNone(self.cards()["Without a picture"].select_one("img"))
