"""How images, documents and page links look in the public API.

One representation for each, used by model fields (`APIField(..., serializer=...)`)
and by StreamField blocks (`get_api_representation`), so a frontend meets the same
shape wherever an image, a document or a link appears.

Serializer fields here may declare `prefetch_lookups(name)`: the lookups that let a
listing serialize any number of items in a fixed number of queries (see cms.api).
"""

from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from rest_framework.fields import Field
from wagtail.api.utils import get_full_url
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, PageViewRestriction

# Widths for `srcset`: a phone, a tablet or half a desktop, a full desktop column.
RENDITION_WIDTHS = (400, 800, 1200)
# The rendition named by `url`, for a frontend that wants a single image.
DEFAULT_WIDTH = 800


def rendition_specs(width):
    """The filter specs for one width: the original format, and WebP."""
    return f"width-{width}", f"width-{width}|format-webp"


ALL_RENDITION_SPECS = tuple(spec for width in RENDITION_WIDTHS for spec in rendition_specs(width))


def absolute_url(context, url):
    """A media or page URL made absolute, so a frontend on another host can use it."""
    if not url:
        return url
    request = (context or {}).get("request")
    return get_full_url(request, url)


def image_representation(image, context=None, alt=None, credit=None):
    """Rendition URLs at a few widths (original format and WebP), sizes, alt text, credit.

    `width` and `height` are the original's, for the aspect ratio; each rendition
    carries its own. `url` is the 800-pixel rendition (or smaller original).
    """
    if image is None:
        return None
    try:
        renditions = image.get_renditions(*ALL_RENDITION_SPECS)
    except SourceImageIOError:
        # The file is missing from storage: say so rather than fail the whole page.
        return {"id": image.pk, "error": "image file missing"}
    sizes = []
    for width in RENDITION_WIDTHS:
        original, webp = (renditions[spec] for spec in rendition_specs(width))
        sizes.append(
            {
                "width": original.width,
                "height": original.height,
                "url": absolute_url(context, original.url),
                "webp_url": absolute_url(context, webp.url),
            }
        )
    default = sizes[RENDITION_WIDTHS.index(DEFAULT_WIDTH)]
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt or image.default_alt_text,
        "credit": credit if credit is not None else image.credit,
        "width": image.width,
        "height": image.height,
        "url": default["url"],
        "renditions": sizes,
    }


def image_lookups(name):
    """Prefetch an image relation and its renditions (one query each, any number of items)."""
    return [name, f"{name}__renditions"]


class ImageField(Field):
    """An image foreign key as rendition data (see `image_representation`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, image):
        return image_representation(image, self.context)

    @staticmethod
    def prefetch_lookups(name):
        return image_lookups(name)


def document_representation(document, context=None, title=""):
    """A document's title, absolute download URL, size in bytes and type."""
    if document is None:
        return None
    extension = document.file_extension.lower()
    return {
        "id": document.pk,
        "title": title or document.title,
        "url": absolute_url(context, document.url),
        "filename": document.filename,
        "size": document.get_file_size(),
        "extension": extension,
        "content_type": document.content_type,
    }


class DocumentField(Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, document):
        return document_representation(document, self.context)

    @staticmethod
    def prefetch_lookups(name):
        return [name]


class PublicPages:
    """Whether an anonymous visitor may see a page: live, and not view-restricted.

    Built once per request (one query for the restrictions), then answers from
    memory, so checking every linked page of a listing costs no queries per item.
    """

    def __init__(self):
        self._restricted_paths = None

    @property
    def restricted_paths(self):
        if self._restricted_paths is None:
            self._restricted_paths = tuple(
                PageViewRestriction.objects.values_list("page__path", flat=True)
            )
        return self._restricted_paths

    def __call__(self, page):
        if page is None or not page.live:
            return False
        return not page.path.startswith(self.restricted_paths) if self.restricted_paths else True


def public_pages(context):
    """The request's PublicPages, made on first use and kept in the serializer context."""
    if context is None:
        return PublicPages()
    if "public_pages" not in context:
        context["public_pages"] = PublicPages()
    return context["public_pages"]


def page_link_representation(page, context=None):
    """A linked page, only if visitors may see it: id, type, title, html_url, detail_url."""
    if page is None or not public_pages(context)(page):
        return None
    specific_class = page.specific_class or type(page)
    return {
        "id": page.pk,
        "type": f"{specific_class._meta.app_label}.{specific_class.__name__}",
        "title": page.title,
        "html_url": absolute_url(context, page.url),
        "detail_url": absolute_url(context, page_detail_path(page, context)),
    }


def page_detail_path(page, context):
    """The page's detail in the API being answered: /api/v2/ has a router, /api/v3/ not."""
    router = (context or {}).get("router")
    if router is not None:
        return router.get_object_detail_urlpath(Page, page.pk)
    try:
        return reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
    except NoReverseMatch:
        return None


class PageLinkField(Field):
    """A page foreign key: the linked page's summary, or null unless it is live and public."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, page):
        return page_link_representation(page, self.context)

    @staticmethod
    def prefetch_lookups(name):
        return [name]


class ChoiceLabelField(Field):
    """The human label of a choice field (`category` -> "SMOP conference")."""

    def __init__(self, field_name, **kwargs):
        self.choice_field = field_name
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        value = getattr(instance, self.choice_field)
        if not value:
            return ""
        return str(capfirst(getattr(instance, f"get_{self.choice_field}_display")()))


class SiteImageRenditionsField(Field):
    """An image's own renditions, for the images endpoint."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, image):
        return (image_representation(image, self.context) or {}).get("renditions", [])

    @staticmethod
    def prefetch_lookups(name):
        return ["renditions"]


class AbsoluteUrlField(Field):
    """A URL attribute (a property such as `link`) made absolute."""

    def __init__(self, attribute, **kwargs):
        self.attribute = attribute
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return absolute_url(self.context, getattr(instance, self.attribute) or "")
