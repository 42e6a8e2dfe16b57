"""StreamField blocks shared by every app.

Image blocks return rendition data from `get_api_representation`, so the API gives a
frontend ready-made URLs, sizes and alt text instead of bare image ids.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


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
        return {
            "image": image_api_representation(image, value.get("alt_text")),
            "caption": value.get("caption", ""),
            "credit": value.get("credit") or (image.credit if image else ""),
        }


def image_api_representation(image, alt_text=None):
    """Rendition URLs, sizes and alt text for one image, or None."""
    if image is None:
        return None
    rendition = image.get_rendition("max-1200x1200")
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt_text or image.default_alt_text,
        "url": rendition.url,
        "width": rendition.width,
        "height": rendition.height,
    }


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class LinkValue(blocks.StructValue):
    """What templates and the API use: a link to an unpublished page has no href."""

    @property
    def href(self):
        page = self.get("page")
        if page:
            return page.url if page.live else ""
        return self.get("url") or ""

    @property
    def text(self):
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("url", ""))


class LinkBlock(blocks.StructBlock):
    """A link to a page on this site or to another website: exactly one of the two."""

    label = blocks.CharBlock()
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label=_("External URL"))

    class Meta:
        icon = "link"
        template = "blocks/link_block.html"
        value_class = LinkValue
        # `LinkBlock(required=False)` makes the whole link optional (e.g. on a pillar).
        required = True

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
        page = value.get("page")
        title = page.title if page and page.live else value.get("label", "")
        return {"label": value.get("label", ""), "url": value.href, "title": title}


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text=_("Defaults to the document title."))

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


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
