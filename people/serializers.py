"""What the public API says about people: their public representation only.

Private fields (registration number, private email, phone and notes) are never read
here. People who are not live are never shown; people who are live but not listed in
the directory appear by name (and institution) only where a page names them, exactly
as the site shows them, with no profile.
"""

from django.utils import timezone
from rest_framework.fields import Field

from cms.request_memo import SITE_CACHE_SECONDS, generation_cached
from cms.serializers import absolute_url, image_lookups, image_representation


def current_terms(person, on=None):
    """The person's running officer terms, from prefetched terms (no query per person)."""
    on = on or timezone.localdate()
    return [
        term
        for term in person.officer_terms.all()
        if (term.start_date is None or term.start_date <= on)
        and (term.end_date is None or term.end_date >= on)
    ]


def role_representation(role):
    return {"name": role.name, "slug": role.slug}


def term_representation(term):
    return {
        "role": role_representation(term.role),
        "start_date": term.start_date.isoformat() if term.start_date else None,
        "end_date": term.end_date.isoformat() if term.end_date else None,
    }


def person_summary(person, context=None):
    """A person named on a page: the public card, or the name alone if unlisted.

    Always the same keys, so a frontend handles both kinds alike; `id`,
    `profile_url` and `detail_url` are null for someone not listed in the directory.
    """
    if person is None or not person.live:
        return None
    listed = person.listed_in_directory
    summary = {
        "id": person.pk if listed else None,
        "full_name": person.full_name,
        "honorific": person.honorific,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "credentials": person.credentials if listed else "",
        "designation": person.designation if listed else "",
        "institution": person.institution,
        "city": person.city if listed else "",
        "photo": image_representation(person.photo, context) if listed else None,
        "profile_url": None,
        "detail_url": None,
    }
    if listed:
        summary["profile_url"] = absolute_url(context, profile_path(person, context))
        summary["detail_url"] = detail_url(person, context)
    return summary


def profile_path(person, context):
    """The profile's path on the site; the directory's URL is read once per request."""
    context = context if context is not None else {}
    if "directory_url" not in context:
        context["directory_url"] = directory_url()
    if not context["directory_url"]:
        return None
    return f"{context['directory_url']}{person.slug}/"


def directory_url():
    """The live, public directory page's URL, or None; kept until content changes."""
    from people.models import public_directory  # noqa: PLC0415 - models use these

    def find():
        directory = public_directory()
        return directory.url if directory else None

    return generation_cached("smop:directory-url", find, SITE_CACHE_SECONDS)


def detail_url(person, context):
    router = (context or {}).get("router")
    if router is None:
        return None
    path = router.get_object_detail_urlpath(type(person), person.pk)
    return absolute_url(context, path) if path else None


def person_lookups(prefix):
    """Prefetches for a person relation: the person, their photo and its renditions."""
    return [prefix, *image_lookups(f"{prefix}__photo")]


class _ReadOnlyField(Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class PersonField(_ReadOnlyField):
    """A person foreign key as `person_summary`."""

    def to_representation(self, person):
        return person_summary(person, self.context)

    @staticmethod
    def prefetch_lookups(name):
        return person_lookups(name)


class SpeakersField(_ReadOnlyField):
    """An event's speakers as visitors see them: guests, and people whose record is live."""

    def to_representation(self, speakers):
        return [
            {
                "name": speaker.display_name,
                "affiliation": speaker.affiliation,
                "topic": speaker.topic,
                "person": person_summary(speaker.person, self.context),
            }
            for speaker in speakers.all()
            if speaker.person is None or speaker.person.live
        ]

    @staticmethod
    def prefetch_lookups(name):
        return [name, *person_lookups(f"{name}__person")]


class InvestigatorsField(_ReadOnlyField):
    """An initiative's investigators whose person record is live."""

    def to_representation(self, investigators):
        return [
            {"role": item.role, "person": person_summary(item.person, self.context)}
            for item in investigators.all()
            if item.person.live
        ]

    @staticmethod
    def prefetch_lookups(name):
        return [name, *person_lookups(f"{name}__person")]


class SignatoryRoleField(_ReadOnlyField):
    """The role that signs a message, with the live person holding it today."""

    def to_representation(self, role):
        return {
            **role_representation(role),
            "description": role.description,
            "holder": person_summary(role.current_holder(), self.context),
        }

    @staticmethod
    def prefetch_lookups(name):
        return [name]


class SpecialtiesField(_ReadOnlyField):
    def to_representation(self, specialties):
        return [{"name": s.name, "slug": s.slug} for s in specialties.all()]

    @staticmethod
    def prefetch_lookups(name):
        return [name]


class CurrentRolesField(_ReadOnlyField):
    """The officer roles a person holds today."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, person):
        return [role_representation(term.role) for term in current_terms(person)]

    @staticmethod
    def prefetch_lookups(name):
        return ["officer_terms__role"]


class OfficerTermsField(_ReadOnlyField):
    """Every officer term, past and present, in editor order."""

    def to_representation(self, terms):
        return [term_representation(term) for term in terms.all()]

    @staticmethod
    def prefetch_lookups(name):
        return [f"{name}__role"]


class ProfileUrlField(_ReadOnlyField):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, person):
        return absolute_url(self.context, profile_path(person, self.context))


class PublicContactField(_ReadOnlyField):
    """Public email and phone, only when the member opted in; otherwise {}."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, person):
        return person.public_contact
