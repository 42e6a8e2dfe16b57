"""Small template helpers for labels that templates cannot reach on their own."""

from django import template

register = template.Library()


@register.filter
def type_label(page):
    """The human name of a page's type, e.g. 'event page', for search results."""
    model = getattr(page, "specific_class", None)
    if model is not None:
        return model._meta.verbose_name
    content_type = getattr(page, "content_type", None)
    return content_type.name if content_type else ""
