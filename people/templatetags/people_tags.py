"""Links to members' profiles, for pages that name several people."""

from django import template

from people.models import public_directory

register = template.Library()

# Marks "looked up, and there is no directory" apart from "not looked up yet".
_NO_DIRECTORY = False


@register.simple_tag(takes_context=True)
def profile_url(context, person):
    """The person's profile path ("" if none); the directory is found once per request."""
    request = context.get("request")
    directory = getattr(request, "_public_directory", None)
    if directory is None:
        directory = public_directory() or _NO_DIRECTORY
        if request is not None:
            request._public_directory = directory
    return person.get_profile_url(directory) if directory else ""
