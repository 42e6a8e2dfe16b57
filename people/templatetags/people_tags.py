"""Links to members' profiles, for pages that name several people."""

from django import template

register = template.Library()


@register.simple_tag
def profile_url(person):
    """The person's profile path ("" if none); the directory's URL is cached until
    content changes (`public_directory_url()`), so a link costs no query."""
    return person.get_profile_url()
