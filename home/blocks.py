"""Blocks for the home page sections and the values page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import LinkBlock


class PillarBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    text = blocks.TextBlock()
    link = LinkBlock(required=False)

    class Meta:
        icon = "pick"


class PillarsSection(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("What we do"))
    pillars = blocks.ListBlock(PillarBlock(), min_num=1)

    class Meta:
        icon = "table"
        label = _("Pillars")
        template = "home/sections/pillars.html"


class PresidentMessageSection(blocks.StructBlock):
    """Shows the excerpt of the President's message page, with a link to it."""

    heading = blocks.CharBlock(default=_("Message from the President"))

    class Meta:
        icon = "user"
        label = _("President's message excerpt")
        template = "home/sections/president_message.html"


class UpcomingEventsSection(blocks.StructBlock):
    """Upcoming events, pulled automatically; an honest empty state when none."""

    heading = blocks.CharBlock(default=_("Upcoming events"))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=12)

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        template = "home/sections/upcoming_events.html"


class FeaturedLinksSection(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("Explore"))
    links = blocks.ListBlock(LinkBlock(), min_num=1)

    class Meta:
        icon = "link"
        label = _("Featured links")
        template = "home/sections/featured_links.html"


class HomeSectionsBlock(blocks.StreamBlock):
    """Each section once at most; editors order them by dragging, hide by deleting."""

    pillars = PillarsSection()
    president_message = PresidentMessageSection()
    upcoming_events = UpcomingEventsSection()
    featured_links = FeaturedLinksSection()

    class Meta:
        block_counts = {
            "pillars": {"max_num": 1},
            "president_message": {"max_num": 1},
            "upcoming_events": {"max_num": 1},
            "featured_links": {"max_num": 1},
        }


class ValueBlock(blocks.StructBlock):
    ICONS = [
        ("", _("No icon")),
        ("shield", _("Shield")),
        ("heart", _("Heart")),
        ("scales", _("Scales")),
        ("star", _("Star")),
    ]
    name = blocks.CharBlock()
    statement = blocks.TextBlock()
    icon = blocks.ChoiceBlock(choices=ICONS, required=False)

    class Meta:
        icon = "tick-inverse"
