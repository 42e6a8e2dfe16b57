"""Hostile uploads: refused with a clear message through every entry point, nothing kept.

Every case goes through the real views a Communications editor uses (the admin's add
form, the multiple uploader, the chooser's upload tab) or the v3 API with a token, and
then checks that no image, document or pending upload record exists and that no file
was written under MEDIA_ROOT.
"""

import io
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import UploadedFile

from cms.factories import DocumentFactory

Image = get_image_model()
Document = get_document_model()

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width=100_000, height=100_000):
    """A few hundred bytes of PNG that declares width x height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def office_package(part="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


def issue_token(username):
    out = io.StringIO()
    call_command("api_tokens", "create", "--user", username, "--name", "uploads", stdout=out)
    return out.getvalue().split()[-1]


class UploadTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_user("comms", "comms@example.org", "pw")
        cls.editor.groups.add(Group.objects.get(name="Communications"))

    def setUp(self):
        self.client.force_login(self.editor)
        self.files_before = media_files()

    def assert_nothing_kept(self):
        self.assertFalse(Image.objects.exists(), "an image record was kept")
        self.assertFalse(Document.objects.exists(), "a document record was kept")
        self.assertFalse(UploadedFile.objects.exists(), "a pending upload was kept")
        self.assertEqual(media_files() - self.files_before, set(), "a file was written")

    # The entry points -----------------------------------------------------------

    def add_image(self, name, content):
        return self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Upload",
                "alt_text": "Delegates",
                "file": SimpleUploadedFile(name, content),
            },
        )

    def multiple_add_image(self, name, content):
        return self.client.post(
            reverse("wagtailimages:add_multiple"),
            {"files[]": SimpleUploadedFile(name, content)},
        )

    def chooser_upload_image(self, name, content):
        return self.client.post(
            reverse("wagtailimages_chooser:create"),
            {
                "image-chooser-upload-title": "Upload",
                "image-chooser-upload-alt_text": "Delegates",
                "image-chooser-upload-file": SimpleUploadedFile(name, content),
            },
        )

    def api_upload(self, endpoint, name, content):
        token = issue_token(self.editor.username)
        return self.client.post(
            f"/api/v3/{endpoint}/",
            {
                "title": "Upload",
                "alt_text": "Delegates",
                "file": SimpleUploadedFile(name, content),
            },
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    def add_document(self, name, content):
        return self.client.post(
            reverse("wagtaildocs:add"),
            {"title": "Upload", "file": SimpleUploadedFile(name, content)},
        )

    def multiple_add_document(self, name, content):
        return self.client.post(
            reverse("wagtaildocs:add_multiple"),
            {"files[]": SimpleUploadedFile(name, content)},
        )

    def chooser_upload_document(self, name, content):
        return self.client.post(
            reverse("wagtaildocs_chooser:create"),
            {
                "document-chooser-upload-title": "Upload",
                "document-chooser-upload-file": SimpleUploadedFile(name, content),
            },
        )

    # Reading refusals -----------------------------------------------------------

    def form_errors(self, response):
        """The file field's messages, whichever view answered."""
        if response.get("Content-Type", "").startswith("application/json"):
            data = response.json()
            if "error_message" in data:  # the multiple uploader
                return data["error_message"]
            if "htmlFragment" in data:  # a chooser's upload tab
                return " ".join(
                    re.findall(
                        r'class="error-message">\s*(.*?)\s*</p>', data["htmlFragment"], re.S
                    )
                )
            return json.dumps(data)
        self.assertEqual(response.status_code, 200, "the upload was not refused")
        messages = response.context["form"].errors["file"]
        self.assertEqual(len(messages), 1, "one clear reason, not several")
        return str(messages[0])

    def assert_refused(self, upload, name, content, message):
        response = upload(name, content)
        self.assertLess(response.status_code, 500)
        self.assertIn(message, self.form_errors(response))
        self.assert_nothing_kept()


class ImageUploadTests(UploadTestCase):
    def entry_points(self):
        return [self.add_image, self.multiple_add_image, self.chooser_upload_image]

    def test_a_real_image_is_accepted_everywhere(self):
        self.assertEqual(self.add_image("photo.png", image_bytes()).status_code, 302)
        self.assertEqual(
            self.chooser_upload_image("photo.webp", image_bytes("WEBP")).status_code, 200
        )
        self.assertEqual(Image.objects.count(), 2)
        # The multiple uploader has no alt text yet, so it holds the file as a pending
        # upload until the editor fills the form in.
        self.assertEqual(
            self.multiple_add_image("photo.jpg", image_bytes("JPEG")).json()["success"], True
        )
        self.assertEqual(UploadedFile.objects.count(), 1)

    def test_decompression_bomb_is_refused(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(upload, "bomb.png", png_bomb(), "too many pixels")

    @override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=1000)
    def test_image_over_the_pixel_limit_is_refused(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(
                    upload, "big.png", image_bytes(size=(50, 50)), "too many pixels"
                )

    @override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1024)
    def test_image_over_the_size_limit_is_refused(self):
        noisy = PILImage.effect_noise((100, 100), 100).convert("RGB")
        buffer = io.BytesIO()
        noisy.save(buffer, "PNG")
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(upload, "big.png", buffer.getvalue(), "This file is too big")

    def test_truncated_image_is_refused(self):
        whole = image_bytes("PNG", size=(300, 200))
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(
                    upload, "cut.png", whole[: len(whole) // 2], "damaged or incomplete"
                )

    def test_pdf_named_jpg_is_refused(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(
                    upload, "scan.jpg", PDF, "This file is a PDF document, not an image"
                )

    def test_web_page_named_png_is_refused(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(
                    upload, "photo.png", HTML, "a web page, SVG or XML file, not an image"
                )

    def test_svg_is_refused_by_name_and_in_disguise(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(upload, "logo.svg", SVG, "Not a supported image format")
                self.assert_refused(
                    upload, "logo.png", SVG, "a web page, SVG or XML file, not an image"
                )

    def test_image_whose_content_does_not_match_its_extension_is_refused(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(
                    upload, "photo.png", image_bytes("JPEG"), "does not match the file format"
                )

    def test_api_upload_is_checked_the_same_way(self):
        response = self.api_upload("images", "bomb.png", png_bomb())
        self.assertEqual(response.status_code, 422, response.content)
        self.assertIn("too many pixels", response.content.decode())
        response = self.api_upload("images", "scan.jpg", PDF)
        self.assertEqual(response.status_code, 422, response.content)
        self.assertIn("not an image", response.content.decode())
        self.assert_nothing_kept()

    def test_replacing_the_file_of_an_image_is_checked(self):
        self.add_image("photo.png", image_bytes())
        image = Image.objects.get()
        original = image.file.name
        response = self.client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {
                "title": "Upload",
                "alt_text": "Delegates",
                "file": SimpleUploadedFile("x.png", HTML),
            },
        )
        self.assertIn("not an image", self.form_errors(response))
        image.refresh_from_db()
        self.assertEqual(image.file.name, original)


class DocumentUploadTests(UploadTestCase):
    def entry_points(self):
        return [self.add_document, self.multiple_add_document, self.chooser_upload_document]

    def test_real_documents_are_accepted(self):
        accepted = {
            "report.pdf": PDF,
            "minutes.docx": office_package("word/document.xml"),
            "budget.xlsx": office_package("xl/workbook.xml"),
            "notes.txt": "Notes in English and اردو.\n".encode(),
            "members.csv": b"name,city\nDr A,Lahore\n",
            "letter.rtf": b"{\\rtf1\\ansi Hello}",
        }
        for name, content in accepted.items():
            with self.subTest(name):
                response = self.add_document(name, content)
                self.assertEqual(response.status_code, 302, name)
        self.assertEqual(Document.objects.count(), len(accepted))
        self.assertEqual(self.multiple_add_document("more.pdf", PDF).json()["success"], True)

    def test_web_page_is_refused_whatever_its_name(self):
        for upload in self.entry_points():
            for name in ("page.pdf", "page.txt", "page.csv", "page.html"):
                with self.subTest(upload.__name__, name=name):
                    message = "Allowed types" if name.endswith(".html") else "web page, SVG or XML"
                    self.assert_refused(upload, name, HTML, message)

    def test_svg_and_xml_are_refused_as_text(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(upload, "logo.txt", SVG, "web page, SVG or XML")
                self.assert_refused(
                    upload, "logo.txt", b"\xef\xbb\xbf  <svg onload=alert(1)>", "web page"
                )

    def test_disallowed_type_is_refused(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(upload, "run.exe", b"MZ\x90\x00", "Allowed types")
                self.assert_refused(upload, "logo.svg", SVG, "Allowed types")

    def test_content_that_does_not_match_the_extension_is_refused(self):
        cases = {
            "report.pdf": (image_bytes(), "not a real .pdf file"),
            "minutes.docx": (PDF, "not a real .docx file. It looks like a PDF document"),
            "budget.xlsx": (office_package("word/document.xml"), "not a real .xlsx file"),
            "letter.rtf": (b"plain words", "not a real .rtf file"),
            "notes.txt": (b"MZ\x00\x00binary", "not a real .txt file. It looks like a program"),
        }
        for upload in self.entry_points():
            for name, (content, message) in cases.items():
                with self.subTest(upload.__name__, name=name):
                    self.assert_refused(upload, name, content, message)

    @override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=100)
    def test_document_over_the_size_limit_is_refused(self):
        for upload in self.entry_points():
            with self.subTest(upload.__name__):
                self.assert_refused(upload, "report.pdf", PDF + b" " * 200, "This file is too big")

    def test_api_upload_is_checked_the_same_way(self):
        response = self.api_upload("documents", "page.pdf", HTML)
        self.assertEqual(response.status_code, 422, response.content)
        self.assertIn("web page, SVG or XML", response.content.decode())
        self.assert_nothing_kept()


class DocumentServingTests(TestCase):
    """A document can never run script on the site's origin when opened."""

    def serve(self, document):
        response = self.client.get(document.url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_documents_are_served_through_the_site_with_protective_headers(self):
        document = DocumentFactory(file__filename="notes.txt", file__data=b"plain words")
        response = self.serve(document)
        self.assertTrue(document.url.startswith("/documents/"), document.url)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("default-src 'none'", response["Content-Security-Policy"])
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))

    def test_only_pdf_opens_in_the_browser(self):
        pdf = DocumentFactory(file__filename="report.pdf", file__data=PDF)
        self.assertTrue(self.serve(pdf)["Content-Disposition"].startswith("inline"))
        csv = DocumentFactory(file__filename="members.csv", file__data=b"a,b\n")
        self.assertTrue(self.serve(csv)["Content-Disposition"].startswith("attachment"))

    def test_a_stored_html_file_is_downloaded_not_rendered(self):
        # Files stored before these checks, or by other means, are still made safe.
        document = DocumentFactory(file__filename="old.html", file__data=HTML)
        response = self.serve(document)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("default-src 'none'", response["Content-Security-Policy"])
