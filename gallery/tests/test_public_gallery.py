"""Albums as visitors see them: responsive, lazily loaded images with captions and credits."""

from bs4 import BeautifulSoup
from bs4.element import TemplateString
from django.test import TestCase

from cms.factories import SiteImageFactory
from events.factories import EventIndexPageFactory, EventPageFactory
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from gallery.models import ALBUM_PHOTO_SPECS, GalleryImage, GalleryPage
from home.factories import make_site_root


class GalleryMarkupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.index = GalleryIndexPageFactory(parent=home)
        cls.album = GalleryPageFactory(parent=cls.index, title="Symposium photos")
        photo = SiteImageFactory(credit="SMOP archive", file__width=1200, file__height=900)
        GalleryImageFactory(page=cls.album, image=photo, caption="Delegates at the opening")
        GalleryImageFactory(page=cls.album, caption="", credit="A. Photographer")

    def soup(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def assert_responsive(self, picture):
        """A WebP source and a fallback img with srcset, sizes, width, height and lazy loading."""
        source = picture.find("source")
        self.assertEqual(source["type"], "image/webp")
        self.assertGreaterEqual(len(source["srcset"].split(",")), 2)
        img = picture.find("img")
        for attribute in ("srcset", "sizes", "width", "height", "alt"):
            self.assertTrue(img.get(attribute), attribute)
        self.assertEqual(img["loading"], "lazy")

    def test_each_photo_is_responsive_and_links_to_its_large_version(self):
        soup = self.soup(self.album)
        links = soup.select("a[data-viewer-item]")
        self.assertEqual(len(links), 2)
        for link in links:
            self.assert_responsive(link.find("picture"))
            self.assertIn("max-1600x1600", link["href"])
            self.assertEqual(link["href"], link["data-viewer-src"])
            self.assertTrue(link["data-viewer-alt"])

    def test_captions_and_credits_are_shown(self):
        captions = [
            c.get_text(" ", strip=True)
            for c in self.soup(self.album).select(".gallery-photo figcaption")
        ]
        self.assertEqual(
            captions,
            ["Delegates at the opening Photo: SMOP archive", "Photo: A. Photographer"],
        )

    def test_the_viewer_is_a_labelled_dialog_with_labelled_buttons(self):
        template = self.soup(self.album).find("template", id="viewer-template")
        dialog = template.find("dialog")
        self.assertEqual(dialog["aria-labelledby"], "viewer-title")
        labels = [button["aria-label"] for button in dialog.find_all("button")]
        self.assertEqual(labels, ["Close the photo viewer", "Previous photo", "Next photo"])
        # Each visible label is part of the accessible name, for speech control.
        # (Text inside <template> is held apart until a script uses it.)
        for button in dialog.find_all("button"):
            text = button.get_text(" ", strip=True, types=(TemplateString,)).strip("←→ ")
            self.assertIn(text, button["aria-label"])

    def test_album_cards_on_the_index_use_responsive_images(self):
        card = self.soup(self.index).find(class_="gallery-card")
        self.assert_responsive(card.find("picture"))


class AlbumEventAndRenditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        events = EventIndexPageFactory(parent=home)
        cls.event = EventPageFactory(parent=events, title="Annual symposium")
        index = GalleryIndexPageFactory(parent=home)
        cls.album = GalleryPageFactory(parent=index, event=cls.event)
        cls.photo_row = GalleryImageFactory(page=cls.album)
        cls.photo = cls.photo_row.image

    def test_the_album_links_to_its_live_event(self):
        soup = BeautifulSoup(self.client.get(self.album.url).content, "html.parser")
        links = soup.find_all("a", href=self.event.url)
        self.assertEqual(
            [link.get_text() for link in links],
            ["Annual symposium", "About the event: Annual symposium"],
        )

    def test_an_unpublished_event_is_not_named(self):
        self.event.unpublish()
        response = self.client.get(self.album.url)
        self.assertNotContains(response, "Annual symposium")
        self.assertIsNone(response.context["event"])

    def test_only_the_sizes_the_album_shows_are_fetched(self):
        self.photo.get_renditions("width-400", "fill-100x100")  # sizes used elsewhere
        self.client.get(self.album.url)  # makes the album's own renditions
        photos = self.client.get(self.album.url).context["photos"]
        fetched = {r.filter_spec for r in photos[0].image.prefetched_renditions}
        self.assertEqual(fetched, set(ALBUM_PHOTO_SPECS))
        self.assertEqual(photos[0].large.filter_spec, "max-1600x1600")

    def test_the_album_reads_its_photos_in_editor_order(self):
        second = GalleryImageFactory(page=self.album, caption="Second")
        GalleryImage.objects.filter(pk=self.photo_row.pk).update(sort_order=1)
        GalleryImage.objects.filter(pk=second.pk).update(sort_order=0)  # moved to the top
        photos = GalleryPage.objects.get(pk=self.album.pk).photos()
        self.assertEqual([p.caption for p in photos], ["Second", self.photo_row.caption])
        self.assertEqual(photos[0].image.pk, second.image.pk)  # the image comes with it

    def test_a_draft_shows_its_own_photos_not_the_published_ones(self):
        """A preview reads the photos held in the revision, not the database."""
        album = GalleryPage.objects.get(pk=self.album.pk)
        photo = album.images.first()
        published = photo.caption
        photo.caption = "Draft caption"
        album.images = [photo]
        album.save_revision()
        draft = album.get_latest_revision_as_object()
        self.assertEqual([p.caption for p in draft.photos()], ["Draft caption"])
        live = GalleryPage.objects.get(pk=self.album.pk)
        self.assertEqual([p.caption for p in live.photos()], [published])

    def test_a_deleted_event_leaves_no_link(self):
        self.album.event_id = self.album.pk + 1000  # no such page
        self.assertIsNone(self.album.live_event())
