"""Factories for the society's own pages, and the site tree every page test starts from."""

import factory
import wagtail_factories
from wagtail.models import Page, Site

from cms.factories import BaseStreamBlockFactory, LinkBlockFactory
from home import blocks as home_blocks
from home.models import (
    HomePage,
    InitiativeInvestigator,
    InitiativePage,
    ParticipatingCentre,
    PresidentMessagePage,
    Publication,
    Resource,
    ResourceListPage,
    StandardPage,
    ValuesPage,
)
from people.factories import OfficerRoleFactory, PersonFactory


class PillarBlockFactory(wagtail_factories.StructBlockFactory):
    title = factory.Sequence(lambda n: f"Pillar {n}")
    text = "What this pillar means for patients and doctors."
    link = factory.SubFactory(LinkBlockFactory)

    class Meta:
        model = home_blocks.PillarBlock


class PillarsSectionFactory(wagtail_factories.StructBlockFactory):
    heading = "What we do"
    pillars = wagtail_factories.ListBlockFactory(PillarBlockFactory)

    class Meta:
        model = home_blocks.PillarsSection


class PresidentMessageSectionFactory(wagtail_factories.StructBlockFactory):
    heading = "Message from the President"

    class Meta:
        model = home_blocks.PresidentMessageSection


class UpcomingEventsSectionFactory(wagtail_factories.StructBlockFactory):
    heading = "Upcoming events"
    count = 3

    class Meta:
        model = home_blocks.UpcomingEventsSection


class FeaturedLinksSectionFactory(wagtail_factories.StructBlockFactory):
    heading = "Explore"
    links = wagtail_factories.ListBlockFactory(LinkBlockFactory)

    class Meta:
        model = home_blocks.FeaturedLinksSection


class HomeSectionsBlockFactory(wagtail_factories.StreamBlockFactory):
    pillars = factory.SubFactory(PillarsSectionFactory)
    president_message = factory.SubFactory(PresidentMessageSectionFactory)
    upcoming_events = factory.SubFactory(UpcomingEventsSectionFactory)
    featured_links = factory.SubFactory(FeaturedLinksSectionFactory)

    class Meta:
        model = home_blocks.HomeSectionsBlock


class ValueBlockFactory(wagtail_factories.StructBlockFactory):
    name = factory.Sequence(lambda n: f"Value {n}")
    statement = "What we hold ourselves to."
    icon = ""

    class Meta:
        model = home_blocks.ValueBlock


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "smop-home"
    hero_heading = "Society of Medical Oncology Pakistan"
    hero_intro = "Better patient care through the education of doctors in oncology."
    sections = wagtail_factories.StreamFieldFactory(HomeSectionsBlockFactory)

    class Meta:
        model = HomePage


def make_site_root(**kwargs):
    """A HomePage under the tree root, made the default site's root page.

    Wagtail's migrations leave a default site on a placeholder page; tests serve
    pages through that site, so its root becomes our home page.
    """
    home = HomePageFactory(parent=Page.get_first_root_node(), **kwargs)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page = "localhost", 80, home
    site.site_name = "SMOP"
    site.save()
    return home


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    intro = ""
    body = wagtail_factories.StreamFieldFactory(BaseStreamBlockFactory)

    class Meta:
        model = StandardPage


class PresidentMessagePageFactory(wagtail_factories.PageFactory):
    title = "Message from the President"
    excerpt = "A short extract of the message."
    message = "<p>The full message from the President.</p>"
    signatory_role = factory.SubFactory(OfficerRoleFactory)

    class Meta:
        model = PresidentMessagePage


class ValuesPageFactory(wagtail_factories.PageFactory):
    title = "Our values"
    intro = ""
    values = wagtail_factories.StreamFieldFactory({"value": factory.SubFactory(ValueBlockFactory)})

    class Meta:
        model = ValuesPage


class InitiativePageFactory(wagtail_factories.PageFactory):
    title = "DLBCL research initiative"
    summary = "A research initiative on diffuse large B-cell lymphoma."
    status = InitiativePage.Status.ACTIVE

    class Meta:
        model = InitiativePage


class InitiativeInvestigatorFactory(factory.django.DjangoModelFactory):
    """An investigator on an initiative; pass `page`."""

    person = factory.SubFactory(PersonFactory)
    role = "Investigator"

    class Meta:
        model = InitiativeInvestigator


class ParticipatingCentreFactory(factory.django.DjangoModelFactory):
    """A centre taking part in an initiative; pass `page`."""

    name = factory.Sequence(lambda n: f"Test centre {n}")
    city = "Karachi"

    class Meta:
        model = ParticipatingCentre


class PublicationFactory(factory.django.DjangoModelFactory):
    """A publication of an initiative; pass `page`."""

    title = factory.Sequence(lambda n: f"Test publication {n}")
    journal = "Test Journal"
    year = 2021

    class Meta:
        model = Publication


class ResourceListPageFactory(wagtail_factories.PageFactory):
    title = "Physician resources"
    audience = ResourceListPage.Audience.PHYSICIANS

    class Meta:
        model = ResourceListPage


class ResourceFactory(factory.django.DjangoModelFactory):
    """A linked resource on a resource list page; pass `page`."""

    title = factory.Sequence(lambda n: f"Test resource {n}")
    url = "https://www.who.int/"

    class Meta:
        model = Resource
