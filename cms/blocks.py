"""StreamField blocks shared by every app.

Blocks give the API ready-made data from `get_api_representation`: images as
rendition URLs, sizes and alt text, page links with their URL and title, documents
with their URL, size and type (see cms.serializers), never bare ids.
"""

import copy

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from cms.request_memo import SITE_CACHE_SECONDS, generation_cached, in_request, memoized
from cms.serializers import (
    absolute_url,
    document_representation,
    image_representation,
    page_link_representation,
)


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        help_text=_(
            "Describe the image for people who cannot see it. Leave blank to "
            "use the image's own alt text."
        ),
    )
    caption = blocks.CharBlock(required=False)
    credit = blocks.CharBlock(required=False, help_text=_("Photographer or source."))

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"

    def get_api_representation(self, value, context=None):
        image = value["image"]
        credit = value.get("credit") or (image.credit if image else "")
        return {
            "image": image_representation(image, context, value.get("alt_text"), credit),
            "caption": value.get("caption", ""),
            "credit": credit,
        }


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


# The request memo's key for the pages `preload_link_pages()` loaded.
LINK_PAGES = "link_pages"
# What a link shows of its page (LinkValue: `href_for()` and `text`): any other field is
# loaded on first use, as Django does for deferred fields.
LINK_PAGE_FIELDS = ("title", "url_path", "live")


def preload_link_pages(page_ids):
    """Load the pages of many links in one query, for the LinkBlocks used in this request.

    Each list of links loads its pages in one query of its own; a page showing several
    lists (the home page's pillars and featured links) calls this first to load them all
    together. Outside a request it does nothing.
    """
    if not in_request():
        return
    preloaded = memoized(LINK_PAGES, dict)
    ids = {page_id for page_id in page_ids if page_id and page_id not in preloaded}
    if ids:
        preloaded.update(Page.objects.only(*LINK_PAGE_FIELDS).in_bulk(ids))


def preload_site_link_pages(page_ids):
    """`preload_link_pages()` for links that are site structure (the home page's).

    What a link shows of its page (title, URL path, live) is kept until content changes,
    for each set of pages: a publish or unpublish changes the content generation.
    """
    if not in_request():
        return
    ids = sorted({page_id for page_id in page_ids if page_id})
    if not ids:
        return

    def load():
        return Page.objects.only(*LINK_PAGE_FIELDS).in_bulk(ids)

    key = "smop:link-pages:" + ",".join(map(str, ids))
    memoized(LINK_PAGES, dict).update(generation_cached(key, load, SITE_CACHE_SECONDS))


class LinkPageChooserBlock(blocks.PageChooserBlock):
    """Wagtail's page chooser, taking the pages `preload_link_pages()` loaded.

    Stored, migrated and edited as Wagtail's own PageChooserBlock: only loading differs.
    """

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.PageChooserBlock", args, kwargs

    def bulk_to_python(self, values):
        preloaded = memoized(LINK_PAGES, dict)
        if not all(value in preloaded for value in values if value is not None):
            return super().bulk_to_python(values)
        # A copy for each link, as Wagtail gives each use of a page its own instance.
        return [copy.copy(preloaded[value]) if value is not None else None for value in values]


class LinkValue(blocks.StructValue):
    """What templates and the API use: a link to an unpublished page has no href."""

    @property
    def href(self):
        return self.href_for(None)

    def href_for(self, request):
        """`href`, the page's URL found through `request` (its site root paths, read once)."""
        page = self.get("page")
        if page:
            return page.get_url(request) if page.live else ""
        return self.get("url") or ""

    @property
    def text(self):
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("url", ""))


EXTERNAL_CLASS = mark_safe(' class="external"')


def link_html(value, request=None):
    """A LinkBlock as a paragraph with its link; '' for an unpublished page.

    Written in Python rather than with a template: the home page alone has a dozen.
    """
    href = value.href_for(request)
    if not href:
        return ""
    external = "" if value.get("page") else EXTERNAL_CLASS
    return format_html(
        '<p class="rich-link"><a href="{}"{}>{}</a></p>', href, external, value.text
    )


class LinkBlock(blocks.StructBlock):
    """A link to a page on this site or to another website: exactly one of the two."""

    label = blocks.CharBlock()
    page = LinkPageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label=_("External URL"))

    class Meta:
        icon = "link"
        value_class = LinkValue
        # `LinkBlock(required=False)` makes the whole link optional (e.g. on a pillar).
        required = True

    def render_basic(self, value, context=None):
        return link_html(value, context.get("request") if context else None)

    def clean(self, value):
        if not self.meta.required and not any(
            value.get(name) for name in ("label", "page", "url")
        ):
            return value
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter a URL, not both."))}
            )
        return value

    def get_api_representation(self, value, context=None):
        """Label, URL and title; `page` only for a live, public page on this site.

        A link to a page visitors cannot see has no URL and shows its label alone.
        """
        if not any(value.get(name) for name in ("label", "page", "url")):
            return None  # an optional link left empty
        page = page_link_representation(value.get("page"), context)
        url = page["html_url"] if page else absolute_url(context, value.get("url") or "")
        return {
            "label": value.get("label", ""),
            "title": page["title"] if page else value.get("label", ""),
            "url": url or "",
            "external": page is None and bool(value.get("url")),
            "page": page,
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text=_("Defaults to the document title."))

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"

    def get_api_representation(self, value, context=None):
        """The document's title, absolute URL, size in bytes and type."""
        return document_representation(value.get("document"), context, value.get("title"))


class BaseStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(icon="pilcrow")
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        help_text=_("A video or other media from YouTube, Vimeo and similar sites."),
        template="blocks/embed_block.html",
    )
    document = DocumentLinkBlock()
    link = LinkBlock()
