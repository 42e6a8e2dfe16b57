"""Factories for the shared core: images, documents and the shared StreamField blocks."""

import factory
import wagtail_factories
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from cms import blocks as cms_blocks
from cms.models import SiteImage


def root_collection():
    # wagtail-factories would add a new root collection per image; Wagtail expects one.
    return Collection.get_first_root_node()


class SiteImageFactory(wagtail_factories.ImageFactory):
    collection = factory.LazyFunction(root_collection)
    title = factory.Sequence(lambda n: f"Test image {n}")
    alt_text = factory.LazyAttribute(lambda obj: f"Alt text for {obj.title}")
    file = factory.django.ImageField(width=64, height=48, color="steelblue")

    class Meta:
        model = SiteImage


class DocumentFactory(wagtail_factories.DocumentFactory):
    collection = factory.LazyFunction(root_collection)
    title = factory.Sequence(lambda n: f"Test document {n}")
    file = factory.django.FileField(filename="document.pdf", data=b"%PDF-1.4 test document")

    class Meta:
        model = get_document_model()


class RichTextBlockFactory(wagtail_factories.blocks.BlockFactory):
    """A paragraph; pass `value` as HTML."""

    value = "<p>A paragraph of text.</p>"

    class Meta:
        model = blocks.RichTextBlock

    @classmethod
    def _construct_block(cls, block_class, *args, **kwargs):
        return RichText(kwargs["value"])


class SiteImageChooserBlockFactory(wagtail_factories.ImageChooserBlockFactory):
    image = factory.SubFactory(SiteImageFactory)


class DocumentChooserBlockFactory(wagtail_factories.DocumentChooserBlockFactory):
    document = factory.SubFactory(DocumentFactory)


class CaptionedImageBlockFactory(wagtail_factories.StructBlockFactory):
    image = factory.SubFactory(SiteImageChooserBlockFactory)
    alt_text = ""
    caption = factory.Sequence(lambda n: f"Caption {n}")
    credit = ""

    class Meta:
        model = cms_blocks.CaptionedImageBlock


class QuoteBlockFactory(wagtail_factories.StructBlockFactory):
    text = "Better care through education."
    attribution = ""

    class Meta:
        model = cms_blocks.QuoteBlock


class LinkBlockFactory(wagtail_factories.StructBlockFactory):
    """An external link by default; pass `page=...` and `url=""` for an internal one."""

    label = factory.Sequence(lambda n: f"Link {n}")
    page = None
    url = "https://www.who.int/"

    class Meta:
        model = cms_blocks.LinkBlock


class DocumentLinkBlockFactory(wagtail_factories.StructBlockFactory):
    document = factory.SubFactory(DocumentChooserBlockFactory)
    title = ""

    class Meta:
        model = cms_blocks.DocumentLinkBlock


class BaseStreamBlockFactory(wagtail_factories.StreamBlockFactory):
    """Use as `body__0__heading__value="..."`, `body__1__paragraph__value="<p>...</p>"`."""

    heading = factory.SubFactory(wagtail_factories.CharBlockFactory)
    paragraph = factory.SubFactory(RichTextBlockFactory)
    image = factory.SubFactory(CaptionedImageBlockFactory)
    quote = factory.SubFactory(QuoteBlockFactory)
    document = factory.SubFactory(DocumentLinkBlockFactory)
    link = factory.SubFactory(LinkBlockFactory)

    class Meta:
        model = cms_blocks.BaseStreamBlock
