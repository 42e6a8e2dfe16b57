"""What an event's card (and its line in a compact list) shows, worked out in Python.

A listing shows dozens of events. Working out each card's facts here, once, with the
words every card shares translated once per language, keeps the template to plain
lookups: in a template each `{% translate %}`, choice label and attribute of a page
costs a translation lookup or a failed dictionary lookup, per card. The markup is
written here too (`card_grid_html`, `event_list_html`): node by node in a template,
a dozen cards and the compact lists cost more than the rest of the events page. It is
byte for byte what the templates wrote (events/tests/test_card_markup.py compares
them), every value escaped as a template variable is.
"""

import functools
import html
from urllib.parse import quote

from django.utils.dates import MONTHS
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from cms.prepared import PreparedQuery
from cms.renditions import (
    RenditionRow,
    picture_html,
    renditions_or_not_found,
    rows_can_stand_for,
)

from . import dates

# A card's summary, in words (what `|truncatewords:40` gave).
SUMMARY_WORDS = 40
# The renditions of a card's picture (`card_html`, and includes/card.html's
# `{% picture %}`): only these are fetched for a listing, not every size an image
# has elsewhere on the site (albums, social cards).
CARD_RENDITION_SPECS = tuple(
    Filter.expand_spec("format-{webp,jpeg} fill-{400x225,640x360,960x540}")
)
# What a card's `<picture>` reads of a rendition (see cms.renditions.RenditionRow).
RENDITION_ROW_FIELDS = ("image_id", "filter_spec", "file", "width", "height", "focal_point_key")
# The choices a card tells apart (EventPage.Category.INTERNATIONAL, Format.VIRTUAL,
# Organiser.SMOP): the models import this module.
INTERNATIONAL, VIRTUAL, SMOP = "international", "virtual", "smop"
# The attributes of a card's picture (`picture_html` adds its `srcset`).
CARD_PICTURE_SIZES = "(min-width: 72rem) 22rem, (min-width: 40rem) 45vw, 100vw"


def shared_labels():
    """The words every card shows, in the active language.

    Translated once per language in a process: they are the site's own words, not
    content, and a listing of dozens of cards shows each of them on every card.
    """
    return _translated_labels(get_language())


@functools.lru_cache(maxsize=16)
def _translated_labels(language):
    from .models import EventPage  # noqa: PLC0415 - the models import this module

    with override(language):
        labels = {
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
    # Each fact's opening markup (`_fact`), its label escaped once.
    labels["facts"] = {
        name: f"<div><dt>{esc(labels[name])}</dt><dd>"
        for name in ("category", "when", "where", "format", "organiser")
    }
    return labels


def event_line(event, request, labels, url_of=None):
    """An event's link and key facts, as the compact list shows them.

    The same facts as the page's own labels (`card_title`, `date_label`,
    `place_label`, `organiser_label`, the choices' display values), from the shared
    labels and the event's columns only: `event` is a page or a row of its columns
    (events.listing.EventRow). `url_of(event)` gives its URL (by default
    `event.get_url(request)`).
    """
    place = ", ".join(part for part in (event.venue, event.city, event.country) if part)
    return {
        "url": url_of(event) if url_of else event.get_url(request),
        "title": event.listing_title or event.title,
        "international": event.category == INTERNATIONAL,
        "category": labels["categories"].get(event.category, event.category),
        "format": labels["formats"].get(event.format, event.format),
        "when": dates.date_label(
            event.date_precision, event.start_date, event.end_date, labels["months"]
        ),
        "where": place or (labels["online"] if event.format == VIRTUAL else ""),
        "organiser": labels["smop"] if event.organiser == SMOP else event.organiser_name,
        "labels": labels,
    }


def event_card(event, request, labels, url_of=None):
    """An event's card: its line, plus the listing image and a summary."""
    card = event_line(event, request, labels, url_of)
    summary = event.listing_summary or event.summary
    card["image"] = event.listing_image
    card["summary"] = Truncator(summary).words(SUMMARY_WORDS, truncate=" …") if summary else ""
    return card


def event_cards(events, request, url_of=None):
    labels = shared_labels()
    return [event_card(event, request, labels, url_of) for event in events]


def event_lines(events, request, url_of=None):
    labels = shared_labels()
    return [event_line(event, request, labels, url_of) for event in events]


# The characters Django's `reverse()` leaves unquoted in a URL's path.
URL_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"


def child_url_builder(parent, request, parent_url=None):
    """A function of a child page of `parent` giving its URL, as `get_url(request)` does.

    `parent_url`: the parent's `get_url(request)`, if already known.

    A listing names dozens of its own children: working out each one's site, root
    path and route costs more than the rest of its line. A child's URL is its
    parent's, then the rest of its URL path (its slug), quoted as `reverse()` quotes
    it. Any other page, or a parent without a plain URL ending in "/", is left to
    Wagtail.
    """
    if parent_url is None:
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

    Kept as each image's `rendition_rows` (cms.renditions.RenditionRow: a card's
    `<picture>` needs their columns only), where `{% picture %}` and `card_html` look
    first; a size missing there (an image uploaded since) is found or made by Wagtail
    as usual. The query is compiled once per number of images (see cms.prepared).
    """
    by_id = {}
    for image in images:
        if image is not None:
            # Cards showing the same image share its list of renditions.
            image.rendition_rows = by_id.setdefault(image.pk, (image, []))[1]
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
    model = get_image_model().get_rendition_model()

    def build(*image_ids):
        found = model.objects.filter(image__in=image_ids, filter_spec__in=CARD_RENDITION_SPECS)
        return found.only(*RENDITION_ROW_FIELDS)

    rows = RenditionRow if rows_can_stand_for(model) else None
    return PreparedQuery(build, arity=count, rows=rows)


def esc(value):
    """`conditional_escape(value)` as a plain string: markup stays as it is, anything
    else is escaped as Django's `escape()` does (`html.escape`)."""
    if type(value) is str:  # most values: no markup to look for
        return html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _fact(opening, value):
    """A fact (`<div><dt>label</dt><dd>value</dd></div>`) from its opening markup, one
    of the shared labels' "facts" (the label escaped once)."""
    return f"{opening}{esc(value)}</dd></div>"


def _card_picture(image):
    """The card's `<picture>`, as `{% picture %}` wrote it with the card's sizes."""
    renditions = renditions_or_not_found(image, CARD_RENDITION_SPECS)
    return picture_html(renditions, {"sizes": CARD_PICTURE_SIZES, "loading": "lazy"})


def card_html(card, level="h3"):
    """An event as a card (`event_card`), with its listing image when it has one.

    International conferences carry a visible label: SMOP lists them, others run them.
    The blank lines and indents are those the template wrote, so the page is unchanged.
    """
    heading = esc(level or "h3")
    facts = card["labels"]["facts"]
    international = card["international"]
    mark = " event-card--international" if international else ""
    badge_mark = " badge--international" if international else ""
    image = card["image"]
    picture = (
        f'\n    \n        <div class="card__image">{_card_picture(image)}</div>\n    \n'
        if image
        else "\n    \n"
    )
    fmt = card["format"] and f'<span class="badge badge--plain">{esc(card["format"])}</span>'
    where = card["where"] and _fact(facts["where"], card["where"])
    summary = card["summary"] and f'<p class="card__summary">{esc(card["summary"])}</p>'
    # Safe: every value went through `esc` (conditional_escape), the picture through
    # Wagtail's own escaping (cms.renditions).
    return mark_safe(
        f'\n\n\n\n<article class="card event-card{mark}">{picture}'
        '    <div class="card__body">\n'
        '        <p class="badges">\n'
        f'            <span class="badge{badge_mark}">{esc(card["category"])}</span>\n'
        f"            {fmt or ''}\n"
        "        </p>\n"
        f'        <{heading} class="card__title"><a href="{esc(card["url"])}">'
        f"{esc(card['title'])}</a></{heading}>\n"
        '        <dl class="facts">\n'
        f"            {_fact(facts['when'], card['when'])}\n"
        f"            {where or ''}\n"
        f"            {_fact(facts['organiser'], card['organiser'])}\n"
        "        </dl>\n"
        f"        {summary or ''}\n"
        "    </div>\n"
        "</article>\n\n"
    )


def card_grid_html(cards, level="h3"):
    """Event cards in a grid: `<ul class="card-grid">`, a card per item."""
    items = "".join(f"\n        <li>{card_html(card, level)}</li>\n    " for card in cards)
    return mark_safe(f'\n<ul class="card-grid">\n    {items}\n</ul>\n')  # Safe: card_html


def _line_html(line, heading, with_category):
    facts = line["labels"]["facts"]
    international = " event-list__item--international" if line["international"] else ""
    category = _fact(facts["category"], line["category"]) if with_category else ""
    where = line["where"] and _fact(facts["where"], line["where"])
    fmt = line["format"] and _fact(facts["format"], line["format"])
    return (
        f'\n        \n        <li class="event-list__item{international}">\n'
        f'            <{heading} class="event-list__title"><a href="{esc(line["url"])}">'
        f"{esc(line['title'])}</a></{heading}>\n"
        '            <dl class="facts facts--inline">\n'
        f"                {category}\n"
        f"                {_fact(facts['when'], line['when'])}\n"
        f"                {where or ''}\n"
        f"                {fmt or ''}\n"
        f"                {_fact(facts['organiser'], line['organiser'])}\n"
        "            </dl>\n"
        "        </li>\n        \n    "
    )


def event_list_html(lines, level="h4", with_category=False):
    """Events as a compact list (`event_lines`): each one's title (a link to its page),
    when, where, in what format and who organises it, and with `with_category` its
    category; no image or summary, so that a phone shows a page of them in a screen or
    two. International conferences carry the same mark as their cards."""
    heading = esc(level or "h4")
    items = "".join(_line_html(line, heading, with_category) for line in lines)
    # Safe: every value went through `esc` (conditional_escape).
    return mark_safe(f'\n<ul class="event-list">\n    {items}\n</ul>\n')
