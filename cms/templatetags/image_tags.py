"""`{% picture %}` as Wagtail's, with its filter specification parsed once per template.

Wagtail's tag builds and parses a `Filter` for every size and format on every call; a
listing with a card per item spends a noticeable part of its time there. This tag keeps
the parsed filters on the compiled node (templates are compiled once per process) and
otherwise renders through Wagtail's own code, so the markup is the same. Filters hold
only their parsed specification, nothing about an image or a request.
"""

from django import template
from django.utils.functional import cached_property
from wagtail.images.templatetags.wagtailimages_tags import PictureNode, image

register = template.Library()


class ParsedPictureNode(PictureNode):
    @cached_property
    def parsed_filters(self):
        filters = super().get_filters()
        for image_filter in filters:
            image_filter.operations  # noqa: B018 - parse now, before the filters are shared
        return filters

    def get_filters(self):
        return self.parsed_filters


@register.tag
def picture(parser, token):
    """`{% picture image format-{webp,jpeg} fill-{400x300,800x600} sizes="..." %}`."""
    node = image(parser, token)
    return ParsedPictureNode(
        node.image_expr,
        node.filter_specs,
        output_var_name=node.output_var_name,
        attrs=node.attrs,
    )
