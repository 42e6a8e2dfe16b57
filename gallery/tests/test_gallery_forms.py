"""Galleries created through the admin's forms, and what visitors see of them."""

import datetime as dt

from wagtail.test.utils.form_data import rich_text

from cms.factories import SiteImageFactory
from events.factories import EventIndexPageFactory, EventPageFactory
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from gallery.models import GalleryIndexPage, GalleryPage
from home.factories import make_site_root
from tests.helpers import AdminPageTestCase, formset_messages, page_form


class GalleryFormTests(AdminPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_site_root()
        cls.index = GalleryIndexPageFactory(parent=cls.home, title="Photo gallery")
        cls.event = EventPageFactory(
            parent=EventIndexPageFactory(parent=cls.home), title="Breast Cancer Symposium"
        )
        cls.photos = [
            SiteImageFactory(alt_text="Delegates at the symposium", credit="SMOP staff"),
            SiteImageFactory(alt_text="The opening lecture"),
        ]

    def test_gallery_index_page_created_and_viewed(self):
        data = page_form(
            {
                "title": "Photographs",
                "intro": rich_text("<p>Photographs of our meetings.</p>"),
                "per_page": "12",
            }
        )
        self.assertCanCreate(self.home, GalleryIndexPage, data)

        index = GalleryIndexPage.objects.get(slug="photographs")
        album = GalleryPageFactory(parent=index, title="Symposium album")
        GalleryImageFactory(page=album, image=self.photos[0])
        html = self.get_page_html(index)
        self.assertIn("Photographs of our meetings.", html)
        self.assertIn("Symposium album", html)

    def test_gallery_page_with_ordered_images_created_and_viewed(self):
        data = page_form(
            {
                "title": "Breast Cancer Symposium 2021",
                "date": "2021-02-20",
                "event": self.event.pk,
                "intro": "Photographs from the day.",
            },
            images=[
                {"image": self.photos[1].pk, "caption": "The opening lecture", "credit": ""},
                {"image": self.photos[0].pk, "caption": "In the hall", "credit": ""},
            ],
        )
        self.assertCanCreate(self.index, GalleryPage, data)

        album = GalleryPage.objects.get(slug="breast-cancer-symposium-2021")
        self.assertEqual(album.date, dt.date(2021, 2, 20))
        self.assertEqual(album.event.specific, self.event)
        self.assertEqual([item.image for item in album.images.all()], self.photos[::-1])
        self.assertEqual(album.cover_image, self.photos[1])
        html = self.get_page_html(album)
        for text in (
            "Photographs from the day.",
            "The opening lecture",
            "In the hall",
            "Delegates at the symposium",
            "SMOP staff",
            "Breast Cancer Symposium",
        ):
            self.assertIn(text, html)
        self.assertLess(html.index("The opening lecture"), html.index("In the hall"))

    def test_the_index_survives_bad_page_numbers(self):
        for page in ("abc", "-1", "99999"):
            with self.subTest(page=page):
                response = self.client.get(self.index.url, {"page": page})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Photo gallery")

    def test_a_gallery_needs_at_least_one_photo(self):
        data = page_form({"title": "Empty album", "date": "", "event": "", "intro": ""}, images=[])
        form = self.rejected_form(self.post_add_form(self.index, GalleryPage, data))
        self.assertEqual(formset_messages(form, "images"), ["Please submit at least 1 form."])
        self.assertFalse(GalleryPage.objects.exists())
