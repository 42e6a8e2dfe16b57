"""What an event's card (and its line in a compact list) shows, worked out in Python.

A listing shows dozens of events. Working out each card's facts here, once, with the
words every card shares translated once per request, keeps the template to plain
lookups: in a template each `{% translate %}`, choice label and attribute of a page
costs a translation lookup or a failed dictionary lookup, per card. Only data is
built here; the markup stays in templates/includes/event_card.html and
templates/events/includes/event_list.html, escaped by the template as usual.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.dates import MONTHS
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images.models import Filter

from cms.request_memo import memoized

from . import dates

# A card's summary, in words (what `|truncatewords:40` gave).
SUMMARY_WORDS = 40
# The renditions `{% picture %}` asks for on a card (includes/event_card.html and
# includes/card.html): only these are fetched for a listing, not every size an image
# has elsewhere on the site (albums, social cards).
CARD_RENDITION_SPECS = tuple(
    Filter.expand_spec("format-{webp,jpeg} fill-{400x225,640x360,960x540}")
)


def shared_labels():
    """The words every card shows, in the active language, translated once per request."""
    return memoized(f"event_card_labels:{get_language()}", _translate_labels)


def _translate_labels():
    from .models import EventPage  # noqa: PLC0415 - the models import this module

    return {
        "categories": {value: str(label) for value, label in EventPage.Category.choices},
        "formats": {value: str(label) for value, label in EventPage.Format.choices},
        "smop": str(EventPage.Organiser.SMOP.label),
        "months": {number: str(name) for number, name in MONTHS.items()},
        "category": _("Category"),
        "when": _("When"),
        "where": _("Where"),
        "format": _("Format"),
        "organiser": _("Organiser"),
        "online": _("Online"),
    }


def event_line(event, request, labels):
    """An event's link and key facts, as the compact list shows them.

    The same facts as the page's own labels (`date_label`, `place_label`,
    `organiser_label`, the choices' display values), from the shared labels.
    """
    virtual = event.format == event.Format.VIRTUAL
    return {
        "url": event.get_url(request),
        "title": event.card_title,
        "international": event.category == event.Category.INTERNATIONAL,
        "category": labels["categories"].get(event.category, event.category),
        "format": labels["formats"].get(event.format, event.format),
        "when": dates.date_label(
            event.date_precision, event.start_date, event.end_date, labels["months"]
        ),
        "where": event.place_label or (labels["online"] if virtual else ""),
        "organiser": (
            labels["smop"] if event.organiser == event.Organiser.SMOP else event.organiser_name
        ),
        "labels": labels,
    }


def event_card(event, request, labels):
    """An event's card: its line, plus the listing image and a summary."""
    summary = event.listing_summary or event.summary
    return {
        **event_line(event, request, labels),
        "image": event.listing_image,
        "summary": Truncator(summary).words(SUMMARY_WORDS, truncate=" …") if summary else "",
    }


def event_cards(events, request):
    labels = shared_labels()
    return [event_card(event, request, labels) for event in events]


def event_lines(events, request):
    labels = shared_labels()
    return [event_line(event, request, labels) for event in events]


def prefetch_card_renditions(images):
    """The card renditions of `images` (None skipped), in one query for all of them.

    A size missing here (an image uploaded since) is made by `{% picture %}` as usual.
    """
    images = [image for image in images if image is not None]
    if images:
        renditions = (
            images[0].get_rendition_model().objects.filter(filter_spec__in=CARD_RENDITION_SPECS)
        )
        prefetch_related_objects(images, Prefetch("renditions", queryset=renditions))
