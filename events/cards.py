"""What an event's card (and its line in a compact list) shows, worked out in Python.

A listing shows dozens of events. Working out each card's facts here, once, with the
words every card shares translated once per request, keeps the template to plain
lookups: in a template each `{% translate %}`, choice label and attribute of a page
costs a translation lookup or a failed dictionary lookup, per card. Only data is
built here; the markup stays in templates/includes/event_card.html and
templates/events/includes/event_list.html, escaped by the template as usual.
"""

import functools
from urllib.parse import quote

from django.utils.dates import MONTHS
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from cms.prepared import PreparedQuery
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


def event_line(event, request, labels, url_of=None):
    """An event's link and key facts, as the compact list shows them.

    The same facts as the page's own labels (`date_label`, `place_label`,
    `organiser_label`, the choices' display values), from the shared labels.
    `url_of(event)` gives its URL (by default `event.get_url(request)`).
    """
    virtual = event.format == event.Format.VIRTUAL
    return {
        "url": url_of(event) if url_of else event.get_url(request),
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


def event_card(event, request, labels, url_of=None):
    """An event's card: its line, plus the listing image and a summary."""
    summary = event.listing_summary or event.summary
    return {
        **event_line(event, request, labels, url_of),
        "image": event.listing_image,
        "summary": Truncator(summary).words(SUMMARY_WORDS, truncate=" …") if summary else "",
    }


def event_cards(events, request, url_of=None):
    labels = shared_labels()
    return [event_card(event, request, labels, url_of) for event in events]


def event_lines(events, request, url_of=None):
    labels = shared_labels()
    return [event_line(event, request, labels, url_of) for event in events]


# The characters Django's `reverse()` leaves unquoted in a URL's path.
URL_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"


def child_url_builder(parent, request):
    """A function of a child page of `parent` giving its URL, as `get_url(request)` does.

    A listing names dozens of its own children: working out each one's site, root
    path and route costs more than the rest of its line. A child's URL is its
    parent's, then the rest of its URL path (its slug), quoted as `reverse()` quotes
    it. Any other page, or a parent without a plain URL ending in "/", is left to
    Wagtail.
    """
    parent_url = parent.get_url(request)
    prefix = parent.url_path
    if not parent_url or not parent_url.endswith("/"):
        return lambda page: page.get_url(request)

    def url_of(page):
        if not page.url_path.startswith(prefix) or page.url_path == prefix:
            return page.get_url(request)
        return parent_url + quote(page.url_path[len(prefix) :], safe=URL_PATH_SAFE)

    return url_of


def card_images(image_ids):
    """The images `image_ids`, by id, each with its card renditions: two queries."""
    if not image_ids:
        return {}
    image_ids = tuple(image_ids)
    images = {image.pk: image for image in _card_images_query(len(image_ids)).run(*image_ids)}
    attach_card_renditions(images.values())
    return images


def attach_card_renditions(images):
    """The card renditions of `images` (None skipped), in one query for all of them.

    Kept as each image's `prefetched_renditions`, where `{% picture %}` (and Wagtail)
    look first; a size missing there (an image uploaded since) is made as usual. The
    query is compiled once per number of images (see events.prepared).
    """
    by_id = {}
    for image in images:
        if image is not None:
            # Cards showing the same image share its list of renditions.
            image.prefetched_renditions = by_id.setdefault(image.pk, (image, []))[1]
    if not by_id:
        return
    image_ids = tuple(by_id)
    for rendition in _card_renditions_query(len(image_ids)).run(*image_ids):
        image, renditions = by_id[rendition.image_id]
        rendition.image = image
        renditions.append(rendition)


@functools.lru_cache(maxsize=32)
def _card_images_query(count):
    """`count` images by id: a query of a fixed shape for each number of images."""
    images = get_image_model().objects
    return PreparedQuery(lambda *ids: images.filter(pk__in=ids), arity=count)


@functools.lru_cache(maxsize=32)
def _card_renditions_query(count):
    """The card renditions of `count` images, by their ids."""
    renditions = get_image_model().get_rendition_model().objects

    def build(*image_ids):
        return renditions.filter(image__in=image_ids, filter_spec__in=CARD_RENDITION_SPECS)

    return PreparedQuery(build, arity=count)
