"""How images, documents and page links look in the public API.

One representation for each, used by model fields (`APIField(..., serializer=...)`)
and by StreamField blocks (`get_api_representation`), so a frontend meets the same
shape wherever an image, a document or a link appears.

Serializer fields here may declare `prefetch_lookups(name)`: the lookups that let a
listing serialize any number of items in a fixed number of queries (see cms.api).
"""

import re
from functools import lru_cache

from django.conf import settings
from django.db.models import Prefetch
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.text import capfirst
from rest_framework.fields import Field
from wagtail.api.utils import get_base_url
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from cms.renditions import rendition_url, renditions_for, url_builder
from cms.request_memo import page_view_restrictions

# Widths for `srcset`: a phone, a tablet or half a desktop, a full desktop column.
RENDITION_WIDTHS = (400, 800, 1200)
# The rendition named by `url`, for a frontend that wants a single image.
DEFAULT_WIDTH = 800


def rendition_specs(width):
    """The filter specs for one width: the original format, and WebP."""
    return f"width-{width}", f"width-{width}|format-webp"


# The page columns a link to a page reads: its type, title, slug and first publication,
# what its URL is found from and what `PublicPages` checks. A listing or a list of
# links reading only these (and their own fields) reads a narrow row, not every column.
PAGE_LINK_COLUMNS = (
    "id",
    "content_type",
    "path",
    "depth",
    "url_path",
    "slug",
    "title",
    "first_published_at",
    "live",
    "locale",
)

ALL_RENDITION_SPECS = tuple(spec for width in RENDITION_WIDTHS for spec in rendition_specs(width))


def absolute_url(context, url):
    """A media or page URL made absolute, so a frontend on another host can use it.

    Wagtail's `get_full_url`, with the base URL found once per serializer context.
    """
    if not url or url.startswith(("http://", "https://")):
        return url
    return base_url(context) + url


def base_url(context):
    """The scheme and host that absolute URLs start with ('' when there is none)."""
    if context is None:
        return get_base_url(None) or ""
    if "base_url" not in context:
        context["base_url"] = get_base_url(context.get("request")) or ""
    return context["base_url"]


def image_representation(image, context=None, alt=None, credit=None):
    """Rendition URLs at a few widths (original format and WebP), sizes, alt text, credit.

    `width` and `height` are the original's, for the aspect ratio; each rendition
    carries its own. `url` is the 800-pixel rendition (or smaller original).
    """
    if image is None:
        return None
    try:
        renditions = renditions_for(image, ALL_RENDITION_SPECS)
    except SourceImageIOError:
        # The file is missing from storage: say so rather than fail the whole page.
        return {"id": image.pk, "error": "image file missing"}
    build_url = url_builder(renditions[ALL_RENDITION_SPECS[0]].file.storage)
    sizes = []
    for width in RENDITION_WIDTHS:
        original, webp = (renditions[spec] for spec in rendition_specs(width))
        sizes.append(
            {
                "width": original.width,
                "height": original.height,
                "url": absolute_url(context, rendition_url(original, build_url)),
                "webp_url": absolute_url(context, rendition_url(webp, build_url)),
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
    return [name, api_renditions(f"{name}__renditions")]


def api_renditions(lookup):
    """Prefetch the renditions the API shows, not an image's every crop and card size."""
    return Prefetch(lookup, queryset=api_renditions_queryset())


# Marks the queryset `api_renditions` prefetches, which cms.api_loading reads itself.
API_RENDITIONS_MARK = "_smop_api_renditions"


def api_renditions_queryset():
    """The renditions the API shows (see `ALL_RENDITION_SPECS`), marked as such."""
    renditions = get_image_model().get_rendition_model().objects
    queryset = renditions.filter(filter_spec__in=ALL_RENDITION_SPECS)
    setattr(queryset, API_RENDITIONS_MARK, True)
    return queryset


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

    The restrictions are read once per request (kept until content changes, see
    cms.request_memo), then answers come from memory, so checking every linked page
    of a listing costs no queries per item.
    """

    def __init__(self):
        self._restricted_paths = None

    @property
    def restricted_paths(self):
        if self._restricted_paths is None:
            self._restricted_paths = tuple(
                restriction.page.path for restriction in page_view_restrictions()
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
        return object_detail_path(context, Page, page.pk)
    try:
        return reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
    except NoReverseMatch:
        return None


# An id no object has, reversed to learn a detail URL's shape.
PLACEHOLDER_ID = 987654321


def object_detail_path(context, model, pk):
    """`router.get_object_detail_urlpath(model, pk)`, without reversing the URL each time.

    Reversing costs as much as the rest of a link; every detail URL of an endpoint
    differs only in the id, so the path around a placeholder id is reversed once per
    process (for the same URL settings) and kept in the context.
    """
    shapes = context.setdefault("detail_path_shapes", {})
    if model not in shapes:
        shapes[model] = detail_path_shape(context["router"], model, *url_settings())
    shape = shapes[model]
    if isinstance(shape, tuple):
        return f"{shape[0]}{pk}{shape[1]}"
    if shape is None:
        return None
    return context["router"].get_object_detail_urlpath(model, pk)


def url_settings():
    """What reversing a URL depends on besides the pattern: the script prefix, the
    request's URL configuration and the language (translated patterns)."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, translation.get_language()


@lru_cache(maxsize=256)
def detail_path_shape(router, model, *settings):
    """(before, after) the id in `model`'s detail URL, reversed once per process for
    the same URL settings (see `url_settings`); else the path or None, as reversed."""
    path = router.get_object_detail_urlpath(model, PLACEHOLDER_ID)
    parts = path.split(str(PLACEHOLDER_ID)) if path else []
    return tuple(parts) if len(parts) == 2 else path


# A page path no page has, reversed to learn a page URL's shape.
PLACEHOLDER_PAGE_PATH = "api-placeholder-987654321/"
# Page paths that reversing Wagtail's route leaves as they are (no quoting).
PLAIN_PAGE_PATH = re.compile(r"(?:[A-Za-z0-9_-]+/)*\Z")


def page_full_url(page, context):
    """`page.full_url`, with Wagtail's page route reversed once per process.

    Reversing costs more than the rest of a page's URL. Pages with URL parts of
    their own, translated sites and paths that reversing would quote take Wagtail's
    own way.
    """
    shape = page_path_shape(context)
    if shape is None or type(page).get_url_parts is not Page.get_url_parts:
        return page.full_url
    sites = page._get_relevant_site_root_paths()
    if not sites:
        return None  # not routable
    root_path, root_url = sites[0].root_path, sites[0].root_url
    relative = page.url_path[len(root_path) :]
    if not PLAIN_PAGE_PATH.match(relative):
        return page.full_url
    return f"{root_url}{shape[0]}{relative}{shape[1]}"


def page_path_shape(context):
    """(before, after) the page path in Wagtail's route, or None to reverse each time."""
    if context is None:
        return None
    if "page_path_shape" not in context:
        context["page_path_shape"] = None
        if WAGTAIL_APPEND_SLASH and not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            context["page_path_shape"] = reversed_page_path_shape(*url_settings())
    return context["page_path_shape"]


@lru_cache(maxsize=64)
def reversed_page_path_shape(*settings):
    """(before, after) the page path in Wagtail's route, or None; reversed once per
    process for the same URL settings (see `url_settings`)."""
    try:
        path = reverse("wagtail_serve", args=(PLACEHOLDER_PAGE_PATH,))
    except NoReverseMatch:
        path = ""
    parts = path.split(PLACEHOLDER_PAGE_PATH)
    return tuple(parts) if len(parts) == 2 else None


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


class InstanceField(Field):
    """A read-only field shown from the whole object, not from one attribute of it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance


class ChoiceLabelField(InstanceField):
    """The human label of a choice field (`category` -> "SMOP conference")."""

    def __init__(self, field_name, **kwargs):
        self.choice_field = field_name
        super().__init__(**kwargs)

    def to_representation(self, instance):
        value = getattr(instance, self.choice_field)
        if not value:
            return ""
        labels = choice_labels(type(instance), self.choice_field, translation.get_language())
        label = labels.get(value)
        # As `get_FOO_display()`: a value that is not a choice shows as itself.
        return label if label is not None else str(capfirst(str(value)))


@lru_cache(maxsize=64)
def choice_labels(model, field_name, language):
    """A choice field's labels by value, capitalised, in one language (a pure function)."""
    with translation.override(language):
        return {
            value: str(capfirst(label))
            for value, label in model._meta.get_field(field_name).flatchoices
        }


class SiteImageRenditionsField(InstanceField):
    """An image's own renditions, for the images endpoint."""

    def to_representation(self, image):
        return (image_representation(image, self.context) or {}).get("renditions", [])

    @staticmethod
    def prefetch_lookups(name):
        return [api_renditions("renditions")]


class AbsoluteUrlField(InstanceField):
    """A URL attribute (a property such as `link`) made absolute."""

    def __init__(self, attribute, **kwargs):
        self.attribute = attribute
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return absolute_url(self.context, getattr(instance, self.attribute) or "")
