"""Blocks for the home page sections and the values page."""

from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import LinkBlock, link_html
from cms.serializers import image_representation, page_link_representation
from people.serializers import person_summary


class PillarBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    text = blocks.TextBlock()
    link = LinkBlock(required=False)

    class Meta:
        icon = "pick"


def request_of(context):
    return context.get("request") if context else None


# The sections with a dozen links and paragraphs between them are written in Python:
# in a template each lookup, filter and tag of each item costs more than the markup.
PILLARS_HTML = """
<section class="section section--pillars" aria-labelledby="section-pillars">
    <h2 id="section-pillars">{}</h2>
    <ul class="card-grid card-grid--three">
        {}
    </ul>
</section>
"""
PILLAR_HTML = """
            <li class="card pillar">
                <div class="card__body">
                    <h3 class="card__title">{}</h3>
                    <p>{}</p>
                    {}
                </div>
            </li>
        """


class PillarsSection(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("What we do"))
    pillars = blocks.ListBlock(PillarBlock(), min_num=1)

    class Meta:
        icon = "table"
        label = _("Pillars")

    def render(self, value, context=None):
        request = request_of(context)
        pillars = format_html_join(
            "",
            PILLAR_HTML,
            (
                (
                    pillar["title"],
                    linebreaksbr(pillar["text"], autoescape=True),
                    link_html(pillar["link"], request),
                )
                for pillar in value["pillars"]
            ),
        )
        return format_html(PILLARS_HTML, value["heading"], pillars)


class PresidentMessageSection(blocks.StructBlock):
    """Shows the excerpt of the President's message page, with a link to it."""

    heading = blocks.CharBlock(default=_("Message from the President"))

    class Meta:
        icon = "user"
        label = _("President's message excerpt")
        template = "home/sections/president_message.html"

    def get_api_representation(self, value, context=None):
        """The heading, and the excerpt and signatory from the President's message page."""
        from home.models import PresidentMessagePage  # noqa: PLC0415 - models use blocks

        page = PresidentMessagePage.objects.live().public().select_related("signatory_role")
        page = page.first()
        link = page_link_representation(page, context)
        return {
            "heading": value["heading"],
            "page": link,
            "excerpt": page.excerpt if link else "",
            "signatory": person_summary(page.signatory, context) if link else None,
            "signatory_role": page.signatory_role.name if link else "",
        }


# How many upcoming events the home page shows unless editors choose otherwise.
UPCOMING_EVENTS_COUNT = 3


class UpcomingEventsSection(blocks.StructBlock):
    """Upcoming events, pulled automatically; an honest empty state when none."""

    heading = blocks.CharBlock(default=_("Upcoming events"))
    count = blocks.IntegerBlock(default=UPCOMING_EVENTS_COUNT, min_value=1, max_value=12)

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        template = "home/sections/upcoming_events.html"

    def get_api_representation(self, value, context=None):
        """The heading, and the next `count` live, public events, as the site shows them."""
        from events.models import EventPage  # noqa: PLC0415 - home models use blocks

        events = (
            EventPage.objects.live()
            .public()
            .upcoming()
            .prefetch_related("listing_image__renditions")[: value["count"]]
        )
        return {
            "heading": value["heading"],
            "count": value["count"],
            "events": [event_card(event, context) for event in events],
        }


def local_iso(moment):
    """A datetime in the site's time zone, as the API's own fields give it."""
    return timezone.localtime(moment).isoformat() if moment else None


def event_card(event, context):
    """What an event card needs: the link, dates, place and listing image."""
    return {
        **page_link_representation(event, context),
        "category": event.category,
        "category_label": str(event.get_category_display()),
        "date_label": str(event.date_label),
        "starts_at": local_iso(event.starts_at),
        "ends_at": local_iso(event.ends_at),
        "place_label": event.place_label,
        "summary": event.card_summary or event.summary,
        "listing_image": image_representation(event.listing_image, context),
    }


FEATURED_LINKS_HTML = """
<section class="section section--links" aria-labelledby="section-links">
    <h2 id="section-links">{}</h2>
    <ul class="link-grid">
        {}
    </ul>
</section>
"""


class FeaturedLinksSection(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("Explore"))
    links = blocks.ListBlock(LinkBlock(), min_num=1)

    class Meta:
        icon = "link"
        label = _("Featured links")

    def render(self, value, context=None):
        request = request_of(context)
        items = (link_html(link, request) for link in value["links"])
        links = format_html_join(
            "",
            "\n            {}\n        ",
            ((format_html("<li>{}</li>", html) if html else "",) for html in items),
        )
        return format_html(FEATURED_LINKS_HTML, value["heading"], links)


def link_page_ids(raw_sections):
    """The ids of the pages the pillars and featured links lead to, from the stored data.

    For `preload_link_pages()`: one query for every section's links, not one a section.
    """
    for section in raw_sections:
        value = section.get("value") or {}
        if section.get("type") == "pillars":
            links = [pillar.get("link") or {} for pillar in list_items(value.get("pillars"))]
        elif section.get("type") == "featured_links":
            links = list_items(value.get("links"))
        else:
            continue
        yield from (link.get("page") for link in links)


def list_items(raw_list):
    """A ListBlock's stored values, in either of Wagtail's formats (items with ids or not)."""
    return [
        item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
        for item in raw_list or []
    ]


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
