"""`{% picture %}` as Wagtail's, cheaper: same markup, renditions found as cms.renditions does.

Wagtail's tag builds and parses a `Filter` for every size and format on every call,
hashes the image's focal point per spec, and builds each URL through the storage; a
listing with a card per item spends a noticeable part of its time there. This tag keeps
the expanded specs on the compiled node (templates are compiled once per process), takes
renditions from the image's prefetched ones when they are all there (Wagtail's own code
finds or creates them otherwise) and writes Wagtail's `<picture>` markup byte for byte
(see cms.renditions).
"""

from django import template
from django.utils.functional import cached_property
from wagtail.images.models import Filter, Picture
from wagtail.images.templatetags.wagtailimages_tags import PictureNode, image

from cms.renditions import picture_html, renditions_or_not_found

register = template.Library()


class ParsedPictureNode(PictureNode):
    @cached_property
    def specs(self):
        return tuple(Filter.expand_spec(self.filter_specs))

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        renditions = renditions_or_not_found(image, self.specs)
        if self.output_var_name:
            context[self.output_var_name] = Picture(renditions)
            return ""
        attrs = {name: value.resolve(context) for name, value in self.attrs.items()}
        return picture_html(renditions, attrs)


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
