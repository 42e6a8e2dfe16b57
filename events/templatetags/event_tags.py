"""Template tags for event cards."""

from django import template

from events import cards, listing

register = template.Library()


@register.simple_tag
def event_card_html(card, level="h3"):
    """An event's card (`event_card`) as markup: see events.cards.card_html."""
    return cards.card_html(card, level)


@register.simple_tag
def event_card_grid(event_cards, level="h3"):
    """Event cards (`event_cards`) in a grid: see events.cards.card_grid_html."""
    return cards.card_grid_html(event_cards, level)


@register.simple_tag
def event_list(lines, level="h4", with_category=False):
    """Events (`event_lines`) as a compact list: see events.cards.event_list_html."""
    return cards.event_list_html(lines, level, with_category)


@register.simple_tag
def section_pagination(page, label):
    """Previous/next links of an upcoming section: see events.listing.section_pagination_html."""
    return listing.section_pagination_html(page, label)
