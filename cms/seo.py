"""What search engines and social sites read: page metadata, JSON-LD, robots.txt, sitemap.

Everything here works from what editors already fill in (the Promote tab's SEO title,
search description and listing image, and the site settings), so there is nothing
extra to maintain. Only public content is ever described.
"""

import json
import re
import unicodedata
from urllib.parse import urlencode, urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.request_memo import generation_cached

DESCRIPTION_LENGTH = 200
# Open Graph's recommended 1.91:1 card; JPEG because not every reader takes WebP.
SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg"
PORTRAIT_IMAGE_SPEC = "fill-600x600|format-jpeg"
SHARE_IMAGE_CACHE_SECONDS = 3600
# Page fields that describe a page, best first, when no search description is set.
DESCRIPTION_FIELDS = (
    "search_description",
    "listing_summary",
    "summary",
    "excerpt",
    "hero_intro",
    "intro",
)
IMAGE_FIELDS = ("listing_image", "hero_image")


# Addresses


def site_for(request):
    return Site.find_for_request(request) if request is not None else None


def root_url(request):
    """The site's own address (no trailing slash), as Wagtail builds page URLs."""
    site = site_for(request)
    if site is not None:
        return site.root_url
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def absolute_url(url, request):
    """`url` with the site's scheme and host when it is a path; absolute URLs are kept."""
    if not url or urlsplit(url).scheme:
        return url
    return root_url(request) + url


def canonical_url(request, page=None):
    """The one address of what is shown: the page, or the page's route, or this view.

    Filters and other query parameters are dropped: a filtered listing points to
    the listing. An unfiltered listing's page number is kept, since each page of
    it is its own content.
    """
    if request is None:
        return None
    path = request.path
    if page is not None:
        # A page being previewed before its first save has no address yet.
        parts = page.get_url_parts(request) if page.pk else None
        if parts is None:
            return None
        _site_id, page_root, page_path = parts
        # A route of a routable page (a member's profile) lives under the page's path.
        if not path.startswith(page_path):
            path = page_path
        url = page_root + path
    else:
        url = root_url(request) + path
    number = request.GET.get("page", "")
    if list(request.GET) == ["page"] and number.isdigit() and int(number) > 1:
        url += "?" + urlencode({"page": int(number)})
    return url


# Words


def plain_text(value, length=DESCRIPTION_LENGTH):
    """Text without markup or runs of whitespace, cut at a word to `length` characters."""
    text = re.sub(r"\s+", " ", strip_tags(str(value or ""))).strip()
    if len(text) <= length:
        # What Truncator gives for a text that fits, without its walk over every character.
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(length)


def page_description(page):
    for name in DESCRIPTION_FIELDS:
        text = plain_text(getattr(page, name, ""))
        if text:
            return text
    return ""


def person_description(person):
    """A line from a member's public fields only (designation, institution, city)."""
    parts = (person.designation, person.institution, person.city)
    return plain_text(", ".join(part for part in parts if part))


# Images


def page_image(page):
    for name in IMAGE_FIELDS:
        image = getattr(page, name, None)
        if image is not None:
            return image
    return None


def share_image(request, page=None, person=None):
    """The image shown when the page is shared: its own, else the home page's.

    Returns {"url", "width", "height", "alt"} with an absolute URL, or None.
    """
    if person is not None and person.photo_id:
        return cached_rendition(person.photo_id, PORTRAIT_IMAGE_SPEC, request)
    image_id = page_image_id(page) if page is not None else None
    if image_id is None:
        return site_share_image(request)
    return cached_rendition(image_id, SHARE_IMAGE_SPEC, request)


def page_image_id(page):
    """The id of `page_image(page)`, without loading the image."""
    for name in IMAGE_FIELDS:
        image_id = getattr(page, f"{name}_id", None)
        if image_id is not None:
            return image_id
    return None


def cached_rendition(image_id, spec, request):
    """`_rendition` of an image by id, cached until content changes.

    A changed or deleted image changes the content generation, so a new file or alt
    text shows at once; the address is part of the key, since the URL is absolute.
    """

    def find():
        image = get_image_model().objects.filter(pk=image_id).first()
        # {} marks "no image" (deleted since), so that it is remembered too.
        return _rendition(image, spec, request) if image is not None else {}

    key = f"smop:share-image:image:{image_id}:{spec}:{root_url(request)}"
    return generation_cached(key, find, SHARE_IMAGE_CACHE_SECONDS) or None


def site_share_image(request):
    """The home page's share image, for every page without one of its own.

    Cached until public content changes (the content generation is in the key), per
    site and per address the site is reached at, since the URL is absolute.
    """
    site = site_for(request)
    if site is None:
        return None

    def find():
        image = page_image(site.root_page.specific)
        # {} marks "no image", so that it is remembered too.
        return _rendition(image, SHARE_IMAGE_SPEC, request) if image is not None else {}

    key = f"smop:share-image:{site.pk}:{absolute_url('/', request)}"
    return generation_cached(key, find, SHARE_IMAGE_CACHE_SECONDS) or None


def _rendition(image, spec, request):
    rendition = image.get_rendition(spec)
    return {
        "url": absolute_url(rendition.url, request),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text,
    }


# Social accounts


def twitter_handle(site_settings):
    """'@name' from the site's X (Twitter) link, for twitter:site; '' if none."""
    if site_settings is None:
        return ""
    for link in site_settings.social_links.all():
        if link.platform == "x":
            name = urlsplit(link.url).path.strip("/").split("/")[0]
            return f"@{name}" if name else ""
    return ""


# JSON-LD

# The characters that could end a <script> element or start a comment in it,
# written as JSON escapes (what Django's json_script does).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data):
    """`data` as a <script type="application/ld+json"> that no value can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def compact(data):
    """The dict without empty values, so JSON-LD never claims an empty name or list."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def organization_data(site_settings, request, image=None):
    """schema.org Organization from the site settings."""
    address = None
    if site_settings.address:
        lines = [line.strip() for line in site_settings.address.splitlines() if line.strip()]
        address = {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(lines),
            "addressCountry": "PK",
        }
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": site_settings.organisation_name,
            "alternateName": site_settings.short_name,
            "url": root_url(request) + "/",
            "image": image["url"] if image else None,
            "email": site_settings.email,
            "telephone": site_settings.phone,
            "address": address,
            "sameAs": [link.url for link in site_settings.social_links.all()],
        }
    )


# robots.txt


def robots_txt(request):
    """Tells crawlers where the sitemap is and to keep out of the admin."""
    sitemap_url = absolute_url(reverse("sitemap"), request)
    text = render_to_string("robots.txt", {"sitemap_url": sitemap_url}, request=request)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


# sitemap.xml


class PublicSitemap(Sitemap):
    """Wagtail's sitemap (live, public pages) without the sections not yet published.

    Wagtail serves a live page under an unpublished parent, but such a section is
    not ready to be found: its pages are left out until the parent is published.
    """

    def items(self):
        pages = super().items()
        # Only unpublished pages with children matter: the rest are already left out.
        unpublished_sections = Page.objects.descendant_of(
            self.get_wagtail_site().root_page
        ).filter(live=False, numchild__gt=0)
        for path in unpublished_sections.values_list("path", flat=True):
            pages = pages.exclude(path__startswith=path)
        return pages
