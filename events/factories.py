"""Factories for event pages, their speakers, programme and materials."""

import datetime as dt

import factory
import wagtail_factories

from cms.factories import DocumentLinkBlockFactory
from events import blocks as event_blocks
from events.models import EventIndexPage, EventPage, EventSpeaker, ProgrammeSession


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Events"

    class Meta:
        model = EventIndexPage


class RecordingBlockFactory(wagtail_factories.StructBlockFactory):
    title = factory.Sequence(lambda n: f"Recording {n}")
    url = "https://www.youtube.com/watch?v=test"
    duration = ""

    class Meta:
        model = event_blocks.RecordingBlock


class ExternalLinkBlockFactory(wagtail_factories.StructBlockFactory):
    title = factory.Sequence(lambda n: f"Link {n}")
    url = "https://www.esmo.org/"

    class Meta:
        model = event_blocks.ExternalLinkBlock


class EventMaterialsBlockFactory(wagtail_factories.StreamBlockFactory):
    slides = factory.SubFactory(DocumentLinkBlockFactory)
    recording = factory.SubFactory(RecordingBlockFactory)
    link = factory.SubFactory(ExternalLinkBlockFactory)

    class Meta:
        model = event_blocks.EventMaterialsBlock


class EventPageFactory(wagtail_factories.PageFactory):
    """A one-day SMOP symposium in Lahore; pass dates and precision as needed."""

    title = factory.Sequence(lambda n: f"Test event {n}")
    category = EventPage.Category.SYMPOSIUM
    organiser = EventPage.Organiser.SMOP
    summary = factory.LazyAttribute(lambda obj: f"About {obj.title}.")
    date_precision = EventPage.DatePrecision.DAY
    start_date = dt.date(2021, 2, 20)
    city = "Lahore"
    country = "Pakistan"
    materials = wagtail_factories.StreamFieldFactory(EventMaterialsBlockFactory)

    class Meta:
        model = EventPage

    class Params:
        undated = factory.Trait(
            date_precision=EventPage.DatePrecision.UNKNOWN, start_date=None, end_date=None
        )


class EventSpeakerFactory(factory.django.DjangoModelFactory):
    """A guest speaker; pass `page`."""

    name = factory.Sequence(lambda n: f"Guest speaker {n}")
    affiliation = ""
    topic = ""

    class Meta:
        model = EventSpeaker


class ProgrammeSessionFactory(factory.django.DjangoModelFactory):
    """A session in an event's programme; pass `page`."""

    title = factory.Sequence(lambda n: f"Session {n}")

    class Meta:
        model = ProgrammeSession
