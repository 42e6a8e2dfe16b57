"""The text of a member's directory card, written in Python.

A page of the directory shows 20 cards; written by the template, node by node, they
were a sixth of the page's time. The markup is what member_directory_page.html wrote
(its photo part stays there, with `{% picture %}`), every value escaped as a template
variable is (`conditional_escape`). Only public fields of the card
(people.models.CARD_FIELDS) are used.
"""

import html

from django.utils.safestring import mark_safe


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
