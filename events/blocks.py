"""Blocks for an event's slides, recordings and other material."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import DocumentLinkBlock


class RecordingBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    url = blocks.URLBlock(
        label=_("URL"), help_text=_("Where the recording is published, e.g. a YouTube link.")
    )
    duration = blocks.CharBlock(required=False, help_text=_("e.g. '1 h 20 min'."))

    class Meta:
        icon = "media"
        template = "events/blocks/recording_block.html"


class ExternalLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    url = blocks.URLBlock(label=_("URL"))

    class Meta:
        icon = "link-external"
        template = "events/blocks/external_link_block.html"


class EventMaterialsBlock(blocks.StreamBlock):
    slides = DocumentLinkBlock(label=_("Slides or handout"))
    recording = RecordingBlock()
    link = ExternalLinkBlock()
