"""Every API response of the seeded site is ready to display, in /api/v2/ and /api/v3/.

The seeded site, with rich text links of every kind added (to a page, a document, an
embedded image) and blocks of every kind in a body, is read through every endpoint:
each listing (all fields) and each detail, in both rich text formats. No response
carries database markup (`linktype=`, `<embed`, `wagtail://`); every image comes with
renditions, WebP and alt text; every page link with URL and title; every document
with URL, size and type.
"""

from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Site
from wagtail.rich_text import RichText

from cms.factories import DocumentFactory
from cms.models import SiteImage
from home.models import PresidentMessagePage, StandardPage
from people.models import Person

DATABASE_MARKUP = ("linktype=", "<embed", "wagtail://")


def rich_text_with_links(page, document, image):
    return (
        f'<p>Read <a linktype="page" id="{page.pk}">the home page</a> and '
        f'<a linktype="document" id="{document.pk}">the guideline</a>.</p>'
        f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="A hall"/>'
    )


def walk(value, path=""):
    """Every dict in a JSON document, with where it is."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")


def is_image(item):
    renditions = item.get("renditions")
    return isinstance(renditions, list) and "alt" in item


class DisplayReadyResponsesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", verbosity=0)
        cls.host = Site.objects.get(is_default_site=True).hostname
        home = Site.objects.get(is_default_site=True).root_page
        image = SiteImage.objects.exclude(alt_text="").first()
        cls.document = DocumentFactory(title="Guideline")
        links = rich_text_with_links(home, cls.document, image)
        about = StandardPage.objects.live().first()
        about.body.append(("paragraph", RichText(links)))
        about.body.append(("image", {"image": image, "caption": "A hall", "credit": ""}))
        about.body.append(("document", {"document": cls.document, "title": ""}))
        about.body.append(("link", {"label": "Home", "page": home, "url": ""}))
        about.save_revision().publish()
        cls.about = about
        message = PresidentMessagePage.objects.live().first()
        message.message += f'<p><a linktype="page" id="{about.pk}">About</a></p>'
        message.save_revision().publish()
        person = Person.objects.public().first()
        person.biography = f'<p>See <a linktype="page" id="{about.pk}">about</a>.</p>'
        person.save()

    def get(self, url):
        parts = urlsplit(url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        response = self.client.get(path, HTTP_HOST=self.host)
        self.assertEqual(response.status_code, 200, f"{url}: {response.content[:300]}")
        return response

    def every_url(self):
        urls = ["/api/v2/navigation/", "/api/v2/search/?q=oncology&limit=100"]
        for endpoint in ("pages", "events", "galleries", "people", "resources"):
            listing = f"/api/v2/{endpoint}/?limit=100"
            urls.append(f"{listing}&fields=*")
            for item in self.get(listing).json()["items"]:
                detail = item["meta"]["detail_url"]
                urls += [detail, f"{detail}?rich_text_format=markdown"]
        for endpoint in ("images", "documents"):
            urls.append(f"/api/v2/{endpoint}/?limit=100")
            urls += [item["meta"]["detail_url"] for item in self.get(urls[-1]).json()["items"]]
        urls.append("/api/v3/pages/?limit=100")
        for item in self.get(urls[-1]).json()["items"]:
            detail = item["meta"]["detail_url"]
            urls += [detail, f"{detail}?rich_text_format=markdown"]
        return urls

    def test_no_response_carries_database_markup(self):
        for url in self.every_url():
            with self.subTest(url=url):
                body = self.get(url).content.decode()
                for markup in DATABASE_MARKUP:
                    self.assertNotIn(markup, body)

    def test_rich_text_links_are_resolved(self):
        for version in ("v2", "v3"):
            with self.subTest(version=version):
                body = self.get(f"/api/{version}/pages/{self.about.pk}/").json()["body"]
                html = [block["value"] for block in body if block["type"] == "paragraph"][-1]
                self.assertIn('<a href="/">the home page</a>', html)
                self.assertIn(f'href="{self.document.url}"', html)
                self.assertIn('alt="A hall"', html)

    def test_images_links_and_documents_have_what_a_frontend_needs(self):
        found = {"image": 0, "link": 0, "document": 0}
        for url in self.every_url():
            for where, item in walk(self.get(url).json()):
                with self.subTest(url=url, where=where):
                    if is_image(item):
                        found["image"] += 1
                        self.assertTrue(item["alt"])
                        self.assertTrue(item["url"])
                        self.assertEqual(len(item["renditions"]), 3)
                        for rendition in item["renditions"]:
                            self.assertTrue(rendition["url"])
                            self.assertTrue(rendition["webp_url"].endswith(".webp"))
                    elif item.get("type") == "link" and "value" in item:
                        found["link"] += 1
                        self.assertTrue(item["value"]["url"])
                        self.assertTrue(item["value"]["title"])
                    elif item.get("type") == "document" and "value" in item:
                        found["document"] += 1
                        self.assertTrue(item["value"]["url"])
                        self.assertGreater(item["value"]["size"], 0)
                        self.assertEqual(item["value"]["content_type"], "application/pdf")
        # Each kind was met in both APIs (listings and details), not vacuously passed.
        self.assertGreater(found["image"], 10)
        self.assertGreaterEqual(found["link"], 4)
        self.assertGreaterEqual(found["document"], 4)

    def test_linked_pages_point_to_the_detail_in_the_same_api(self):
        home = Site.objects.get(is_default_site=True).root_page
        for version in ("v2", "v3"):
            with self.subTest(version=version):
                body = self.get(f"/api/{version}/pages/{self.about.pk}/").json()["body"]
                link = [block["value"] for block in body if block["type"] == "link"][-1]
                self.assertEqual(
                    link["page"]["detail_url"],
                    f"http://{self.host}/api/{version}/pages/{home.pk}/",
                )
