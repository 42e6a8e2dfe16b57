"""Factories for people, specialties and officer roles.

People are live and listed in the directory by default (the common case in tests);
use the `draft` and `unlisted` traits for the others.
"""

import factory
import wagtail_factories
from django.utils.text import slugify

from people.models import MemberDirectoryPage, OfficerRole, OfficerTerm, Person, Specialty


class SpecialtyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Specialty {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))

    class Meta:
        model = Specialty
        django_get_or_create = ("slug",)


class PersonFactory(factory.django.DjangoModelFactory):
    honorific = Person.Honorific.DR
    first_name = factory.Sequence(lambda n: f"Firstname{n}")
    last_name = factory.Sequence(lambda n: f"Lastname{n}")
    designation = "Consultant Oncologist"
    institution = "Test Cancer Hospital"
    city = "Lahore"
    province = Person.Province.PUNJAB
    live = True
    listed_in_directory = True

    class Meta:
        model = Person
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(live=False)
        unlisted = factory.Trait(listed_in_directory=False)

    @factory.post_generation
    def specialties(self, create, extracted, **kwargs):
        if create and extracted:
            self.specialties.set(extracted)
            self.save()


class OfficerRoleFactory(factory.django.DjangoModelFactory):
    name = "President"
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))

    class Meta:
        model = OfficerRole
        django_get_or_create = ("slug",)


class OfficerTermFactory(factory.django.DjangoModelFactory):
    """A running term with no recorded start or end, unless dates are given."""

    person = factory.SubFactory(PersonFactory)
    role = factory.SubFactory(OfficerRoleFactory)
    start_date = None
    end_date = None

    class Meta:
        model = OfficerTerm


class MemberDirectoryPageFactory(wagtail_factories.PageFactory):
    title = "Member directory"
    per_page = 20

    class Meta:
        model = MemberDirectoryPage
