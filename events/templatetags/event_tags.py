"""Template tags for event cards."""

from django import template

from events.cards import event_card as build_event_card
from events.cards import shared_labels

register = template.Library()


@register.simple_tag(takes_context=True)
def event_card(context, event):
    """What the card of `event` (an EventPage with its listing image) shows."""
    return build_event_card(event, context.get("request"), shared_labels())
