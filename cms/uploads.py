"""Checks on every uploaded image and document, wherever it comes from.

Wagtail builds every image and document form from one base form, named by
`WAGTAILIMAGES_IMAGE_FORM_BASE` and `WAGTAILDOCS_DOCUMENT_FORM_BASE`: the admin's
add and edit views, the multiple uploader, the upload tab of the choosers and the
v3 API's writes all use it. So the checks live here, on those two forms, and a file
that fails them is refused before anything is saved.

Images: Wagtail already checks the size, the extension against
`WAGTAILIMAGES_EXTENSIONS`, that the format inside matches the extension, and the
pixel count (a decompression bomb declaring huge dimensions is refused before it is
decoded). We add a clear message for files that are not images at all (a PDF or a
web page renamed `.jpg`), and decode every frame, so that a truncated or corrupt
image is refused now (rather than with a server error, or later when a rendition is
made).

Documents: Wagtail checks the size and the extension only. We also read the start
of the file and require it to be what its extension says (a PDF starts with
`%PDF-`, Office files are ZIP packages of the right kind...), and refuse anything
that a browser could take for a web page, SVG or XML, whatever its name.
"""

import io
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageSequence
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# How much of a document is read to tell what it is.
SNIFF_BYTES = 8192
# Tags a browser's content sniffing takes as the start of a web page (WHATWG MIME
# sniffing), plus SVG and XML, which can carry script too.
MARKUP_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<style",
    b"<title",
    b"<table",
    b"<font",
    b"<div",
    b"<h1",
    b"<br",
    b"<a",
    b"<b",
    b"<p",
    b"<!--",
    b"<svg",
    b"<?xml",
    b"<meta",
    b"<img",
)
BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

# The package part that marks each Office format (inside the ZIP container).
OFFICE_OPEN_XML_PARTS = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}
OPEN_DOCUMENT_TYPES = {"odt": b"application/vnd.oasis.opendocument.text"}


# Images ---------------------------------------------------------------------------


class SafeImageField(WagtailImageField):
    """Wagtail's image field, with plain reasons for refusals and a full decode."""

    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except ValidationError as error:
            if error.code in ("invalid_image", "invalid_image_known_format"):
                raise unreadable_image_error(data, error) from error
            raise
        except Exception as error:
            # Wagtail counts the frames of a damaged file outside its own error
            # handling, and Pillow's error would otherwise be a server error.
            raise damaged_image_error() from error
        if upload is not None:
            check_image_decodes(upload)
        return upload


def damaged_image_error():
    return ValidationError(
        _(
            "This image is damaged or incomplete (the file may have been cut short "
            "while copying). Save it again from the original and upload it."
        ),
        code="image_damaged",
    )


def unreadable_image_error(data, error):
    """Say plainly why a file Wagtail could not take as an image was refused."""
    kind = describe_content(read_head(data))
    if kind:
        message = _(
            "This file is %(kind)s, not an image. Upload a JPEG, PNG, WebP, GIF or AVIF image."
        ) % {"kind": kind}
        return ValidationError(message, code="invalid_image")
    if error.code == "invalid_image_known_format":
        return error
    return ValidationError(
        _(
            "This file is not an image the site can read, or it is damaged. "
            "Upload a JPEG, PNG, WebP, GIF or AVIF image."
        ),
        code="invalid_image",
    )


def check_image_decodes(upload):
    """Decode every frame, so a truncated or corrupt image is refused at upload.

    Wagtail has already checked the pixel count against the limit, so decoding is
    bounded.
    """
    try:
        with PILImage.open(as_file(upload)) as image:
            for frame in ImageSequence.Iterator(image):
                frame.load()
    except Exception as error:  # Pillow raises many kinds for bad data
        raise damaged_image_error() from error
    finally:
        rewind(upload)


class SafeImageForm(BaseImageForm):
    """The base of every image form: see the module docstring."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and type(field) is WagtailImageField:
            self.fields["file"] = SafeImageField(
                label=field.label, required=field.required, widget=field.widget
            )


# Documents ------------------------------------------------------------------------


def allowed_document_extensions():
    return [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]


def check_document(upload):
    """Refuse a document whose extension or content is not an allowed document."""
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    allowed = allowed_document_extensions()
    if extension not in allowed:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed types: %(allowed)s.")
            % {"allowed": ", ".join(allowed)},
            code="invalid_extension",
        )
    head = read_head(upload)
    if looks_like_markup(head):
        raise ValidationError(
            _(
                "This file contains a web page, SVG or XML markup, which browsers could "
                "run as a page on this site. Save it as PDF and upload that instead."
            ),
            code="markup_content",
        )
    checker = CONTENT_CHECKS.get(extension)
    if checker is not None and not checker(upload, head, extension):
        kind = describe_content(head)
        found = (_(" It looks like %(kind)s.") % {"kind": kind}) if kind else ""
        raise ValidationError(
            _("This file is not a real .%(extension)s file.%(found)s")
            % {"extension": extension, "found": found},
            code="content_mismatch",
        )


def is_pdf(upload, head, extension):
    # Readers accept the header anywhere in the first kilobyte.
    return b"%PDF-" in head[:1024]


def is_rtf(upload, head, extension):
    return strip_preamble(head).startswith(b"{\\rtf")


def is_text(upload, head, extension):
    # Plain text and CSV: no NUL bytes (those mark binary formats).
    return b"\x00" not in head


def is_office_open_xml(upload, head, extension):
    return zip_has(upload, head, lambda archive: has_part(archive, extension))


def is_open_document(upload, head, extension):
    return zip_has(
        upload, head, lambda archive: open_document_type(archive) == OPEN_DOCUMENT_TYPES[extension]
    )


CONTENT_CHECKS = {
    "pdf": is_pdf,
    "rtf": is_rtf,
    "txt": is_text,
    "csv": is_text,
    **dict.fromkeys(OFFICE_OPEN_XML_PARTS, is_office_open_xml),
    **dict.fromkeys(OPEN_DOCUMENT_TYPES, is_open_document),
}


def zip_has(upload, head, test):
    """Whether the upload is a ZIP package passing `test` (reads only its index)."""
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(as_file(upload)) as archive:
            return test(archive)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        rewind(upload)


def has_part(archive, extension):
    names = archive.namelist()
    prefix = OFFICE_OPEN_XML_PARTS[extension]
    return "[Content_Types].xml" in names and any(name.startswith(prefix) for name in names)


def open_document_type(archive):
    # The first member, stored uncompressed, names the document type.
    with archive.open("mimetype") as member:
        return member.read(100).strip()


class SafeDocumentForm(BaseDocumentForm):
    """The base of every document form: see the module docstring."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            check_document(upload)
        return upload

    def _post_clean(self):
        super()._post_clean()
        # A refused upload leaves a new document without a file, and the model's own
        # extension check then adds a second, confusing message; keep the first only.
        if self.has_error("file"):
            del self._errors["file"][1:]


# Shared helpers -------------------------------------------------------------------


def as_file(data):
    """A readable file at its start, from what Django's upload fields receive."""
    if isinstance(data, dict):
        return io.BytesIO(data["content"])
    data.seek(0)
    return data


def rewind(data):
    if hasattr(data, "seek"):
        data.seek(0)


def read_head(data):
    try:
        return as_file(data).read(SNIFF_BYTES)
    finally:
        rewind(data)


def strip_preamble(head):
    for mark in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            head = head[len(mark) :]
            break
    return head.lstrip()


def looks_like_markup(head):
    """Whether a browser sniffing these bytes could take them for HTML, SVG or XML."""
    start = strip_preamble(head)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 text: compare it as the browser would decode it.
        start = strip_preamble(head.decode("utf-16", "ignore").encode("utf-8", "ignore"))
    start = start[:512].lower()
    return any(
        start.startswith(tag)
        and start[len(tag) : len(tag) + 1] in (b" ", b">", b"\t", b"\n", b"\r", b"/", b"")
        for tag in MARKUP_STARTS
    ) or start.startswith((b"<!doctype", b"<?xml", b"<svg"))


def describe_content(head):
    """A plain name for well-known content, for error messages, or None."""
    start = strip_preamble(head)
    if looks_like_markup(head):
        return _("a web page, SVG or XML file")
    if start.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return _("a PDF document")
    if head.startswith(b"PK\x03\x04"):
        return _("a ZIP archive or Office document")
    if head.startswith((b"MZ", b"\x7fELF")):
        return _("a program")
    if start.startswith(b"{\\rtf"):
        return _("an RTF document")
    return None
