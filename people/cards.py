"""A member's directory card, written in Python.

A page of the directory shows 20 cards; written by the template, node by node, they
were a sixth of the page's time. The markup is what member_directory_page.html wrote,
whitespace included, the photo as its `{% picture %}` wrote it (cms.renditions), every
value escaped as a template variable is (`conditional_escape`). Only public fields of
the card (people.models.CARD_FIELDS) are used.
"""

import html

from django.utils.safestring import mark_safe
from wagtail.images.models import Filter

from cms.renditions import picture_html, renditions_or_not_found

# A card's photo, as `{% picture person.photo format-{webp,jpeg} fill-{160x160,320x320}
# sizes="5rem" loading="lazy" %}` wrote it. A page of results fetches these renditions
# only (people.models.add_card_photos), not every size the photos have elsewhere.
CARD_PHOTO_SPECS = tuple(Filter.expand_spec("format-{webp,jpeg} fill-{160x160,320x320}"))
CARD_PHOTO_ATTRS = (("sizes", "5rem"), ("loading", "lazy"))


def esc(value):
    """`conditional_escape(value)` as a plain string, without Django's lazy-aware
    wrapper around every call: markup stays as it is, anything else is escaped as
    Django's `escape()` does (`html.escape`)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def card_body_html(person, profile_url, specialty_names, specialties_label):
    """`<div class="card__body">`: name linked to the profile, credentials, designation,
    specialties (with a label for screen readers) and place, each only when known."""
    parts = [
        '<div class="card__body">',
        f'<h3 class="card__title"><a href="{esc(profile_url)}">{esc(person.full_name)}</a></h3>',
    ]
    if person.credentials:
        parts.append(f'<p class="person-card__credentials">{esc(person.credentials)}</p>')
    if person.designation:
        parts.append(f"<p>{esc(person.designation)}</p>")
    if specialty_names:
        items = "".join(f"<li>{esc(name)}</li>" for name in specialty_names)
        parts.append(f'<p class="visually-hidden">{esc(specialties_label)}</p>')
        parts.append(f'<ul class="tag-list">{items}</ul>')
    place = ", ".join(value for value in (person.institution, person.city) if value)
    if place:
        parts.append(f'<p class="person-card__place">{esc(place)}</p>')
    parts.append("</div>")
    # One element a line, as the template wrote them (text extraction keeps words apart).
    # Safe: every value above went through conditional_escape.
    return mark_safe("\n".join(parts))


def cards_html(people):
    """The list items of a page of cards, each person with `card_body` (card_body_html),
    as the directory template's loop wrote them, one after another."""
    return mark_safe("".join(card_html(person) for person in people))


def card_html(person):
    """One `<li>`: the photo, or the initials of a person without one, then the body."""
    return (
        '\n                    <li><article class="card person-card">'
        '\n                        <div class="person-card__photo">'
        f"\n                            \n                                {photo_html(person)}"
        "\n                            \n                        </div>"
        f"\n                        {person.card_body}"
        "\n                    </article></li>\n                "
    )


def photo_html(person):
    """The `<picture>` of the person's photo, or their initials (`|first` of each name)."""
    photo = person.photo
    if photo:
        renditions = renditions_or_not_found(photo, CARD_PHOTO_SPECS)
        return picture_html(renditions, dict(CARD_PHOTO_ATTRS))
    initials = esc(person.first_name[:1]) + esc(person.last_name[:1])
    return f'<span class="person-card__initials" aria-hidden="true">{initials}</span>'
