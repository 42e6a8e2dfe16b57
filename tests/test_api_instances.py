"""The API's shortcuts give what Django, Wagtail and the models give.

Model instances made from compiled queries' rows (`cms.api_loading.InstanceQuery`),
fields copied and bound for each serializer, the event label fields standing in for
the model's properties, page type names, detail URL shapes and JSON keys written once.
"""

import copy
import datetime as dt
import json
from unittest import mock

from django.db.models.signals import post_init, pre_init
from django.test import SimpleTestCase, TestCase
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation
from rest_framework.fields import CharField, IntegerField
from rest_framework.utils.encoders import JSONEncoder
from wagtail.api.v2.serializers import PageTypeField
from wagtail.images import get_image_model

from cms.api import api_router
from cms.api_base import (
    PROPERTY_FIELDS,
    PageTypeNameField,
    copy_field,
    property_field,
    register_property_field,
)
from cms.api_json import indented_json
from cms.api_loading import InstanceQuery, field_setters, renditions_query
from cms.factories import SiteImageFactory
from cms.serializers import ALL_RENDITION_SPECS, object_detail_path
from events.api import DateLabelField, OrganiserLabelField
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from gallery.serializers import images_with_api_renditions
from home.factories import make_site_root
from tests.helpers import add_renditions


def instance_state(instance):
    """What a model instance holds: its attributes, its state and cached relations."""
    values = {k: v for k, v in vars(instance).items() if k != "_state"}
    cached = {
        name: instance_state(value) if value is not None else None
        for name, value in instance._state.fields_cache.items()
    }
    return values, instance._state.adding, instance._state.db, cached


class InstanceQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        index = EventIndexPageFactory(parent=home)
        cls.image = SiteImageFactory()
        add_renditions(cls.image)
        cls.events = [
            EventPageFactory(parent=index, listing_image=cls.image),
            EventPageFactory(parent=index, listing_image=None),
        ]

    def test_pages_are_made_as_django_makes_them(self):
        def build(*ids):
            return EventPage.objects.filter(pk__in=ids).select_related("listing_image")

        ids = [event.pk for event in self.events]
        query = InstanceQuery(EventPage, build, ("listing_image",), arity=len(ids))
        self.assertIsNotNone(query.make)
        made = sorted(query.run(*ids), key=lambda page: page.pk)
        expected = list(build(*ids).order_by("pk"))
        self.assertEqual([type(page) for page in made], [EventPage, EventPage])
        for page, django_page in zip(made, expected, strict=True):
            self.assertEqual(instance_state(page), instance_state(django_page))
            # The StreamField is a StreamValue, as Django's `__init__` sets it.
            self.assertEqual(type(page.body), type(django_page.body))
            self.assertEqual(page.listing_image, django_page.listing_image)
        with self.assertNumQueries(0):
            self.assertEqual(made[0].listing_image.pk, self.image.pk)

    def test_renditions_are_made_as_django_makes_them(self):
        made = sorted(renditions_query("image", 1).run(self.image.pk), key=lambda r: r.pk)
        renditions = get_image_model().get_rendition_model().objects
        expected = list(
            renditions.filter(image=self.image, filter_spec__in=ALL_RENDITION_SPECS).order_by("pk")
        )
        self.assertEqual(len(made), len(ALL_RENDITION_SPECS))
        for rendition, django_rendition in zip(made, expected, strict=True):
            # Django's `post_init` made the file a field file; here it is on first use.
            self.assertEqual(rendition.file, django_rendition.file)
            self.assertEqual(instance_state(rendition), instance_state(django_rendition))

    def test_album_covers_come_with_their_renditions(self):
        images = images_with_api_renditions({self.image.pk, self.image.pk + 1000})
        self.assertEqual(list(images), [self.image.pk])
        found = images[self.image.pk]
        self.assertEqual(found, self.image)
        self.assertEqual(
            sorted(r.filter_spec for r in found.prefetched_renditions), sorted(ALL_RENDITION_SPECS)
        )
        self.assertTrue(all(r.image is found for r in found.prefetched_renditions))

    def test_receivers_are_still_sent_what_django_sends(self):
        seen = []

        def receiver(sender, instance, **kwargs):
            seen.append((sender, instance.pk))

        post_init.connect(receiver, sender=EventPage)
        try:
            query = InstanceQuery(EventPage, lambda pk: EventPage.objects.filter(pk=pk))
            query.run(self.events[0].pk)
        finally:
            post_init.disconnect(receiver, sender=EventPage)
        self.assertEqual(seen, [(EventPage, self.events[0].pk)])

    def test_what_it_cannot_make_is_made_by_django(self):
        pre_init.connect(noop, sender=EventPage)
        try:
            query = InstanceQuery(EventPage, lambda pk: EventPage.objects.filter(pk=pk))
        finally:
            pre_init.disconnect(noop, sender=EventPage)
        self.assertIsNone(query.make)
        self.assertEqual(query.run(self.events[0].pk), [self.events[0]])
        # Images set attributes of their own in `__init__`.
        self.assertIsNone(field_setters(get_image_model()))
        # A join that is not a plain foreign key.
        self.assertIsNone(InstanceQuery(EventPage, None, ("page_ptr",)).make)


def noop(**kwargs):
    pass


class CopiedFieldTests(SimpleTestCase):
    def test_a_copy_holds_what_copy_copy_holds(self):
        for field in (CharField(max_length=3, required=False), IntegerField(min_value=1)):
            with self.subTest(field=type(field).__name__):
                copied = copy_field(field)
                self.assertIsNot(copied, field)
                self.assertIs(type(copied), type(field))
                self.assertEqual(vars(copied), vars(copy.copy(field)))


class EventLabelFieldTests(TestCase):
    def test_the_fields_show_what_the_properties_show(self):
        events = [
            EventPage(
                date_precision=precision,
                start_date=start,
                end_date=end,
                organiser=organiser,
                organiser_name=name,
            )
            for precision, start, end in [
                ("day", dt.date(2021, 2, 5), dt.date(2021, 2, 7)),
                ("day", dt.date(2021, 2, 28), dt.date(2021, 3, 2)),
                ("time", dt.date(2021, 12, 30), dt.date(2022, 1, 1)),
                ("month", dt.date(2022, 8, 1), None),
                ("month", dt.date(2022, 8, 1), dt.date(2022, 10, 1)),
                ("year", dt.date(2022, 1, 1), dt.date(2023, 1, 1)),
                ("unknown", None, None),
            ]
            for organiser, name in [("smop", ""), ("external", "ASCO")]
        ]
        for language in ("en", "ur"):
            with translation.override(language):
                date_label, organiser_label = DateLabelField(), OrganiserLabelField()
                for event in events:
                    with self.subTest(language=language, event=vars(event)):
                        self.assertEqual(date_label.to_representation(event), event.date_label)
                        self.assertEqual(
                            organiser_label.to_representation(event), event.organiser_label
                        )

    def test_they_stand_in_for_the_events_properties_only(self):
        self.assertIs(property_field(EventPage, "date_label"), DateLabelField)
        self.assertIs(property_field(EventPage, "organiser_label"), OrganiserLabelField)
        self.assertIsNone(property_field(EventPage, "place_label"))

    def test_a_subclass_with_its_own_property_keeps_it(self):
        class Base:
            label = property(lambda self: "base")

        class Same(Base):
            pass

        class Own(Base):
            label = property(lambda self: "own")

        with mock.patch.dict(PROPERTY_FIELDS):
            register_property_field(Base, "label", DateLabelField)
            self.assertIs(property_field(Base, "label"), DateLabelField)
            self.assertIs(property_field(Same, "label"), DateLabelField)
            self.assertIsNone(property_field(Own, "label"))


class PageTypeNameTests(TestCase):
    def test_the_type_is_wagtails_and_noted_as_seen(self):
        home = make_site_root()
        event = EventPageFactory(parent=EventIndexPageFactory(parent=home))
        pages = [event, event.page_ptr, home]

        class View:
            def __init__(self):
                self.seen_types = {}

        class Parent:
            parent = None

            def __init__(self, view):
                self._context = {"view": view}

        def represent(field_class):
            view = View()
            field = field_class(read_only=True)
            field.bind("type", Parent(view))
            names = [field.to_representation(page) for page in pages * 2]
            return names, view.seen_types

        names, seen = represent(PageTypeNameField)
        self.assertEqual((names, seen), represent(PageTypeField))
        self.assertEqual(set(seen), {"events.EventPage", "home.HomePage"})


class DetailPathTests(SimpleTestCase):
    def test_the_detail_path_follows_the_script_prefix(self):
        try:
            for prefix in ("/", "/cms/"):
                set_script_prefix(prefix)
                context = {"router": api_router}
                self.assertEqual(
                    object_detail_path(context, EventPage, 12),
                    api_router.get_object_detail_urlpath(EventPage, 12),
                )
                self.assertTrue(object_detail_path(context, EventPage, 12).startswith(prefix))
        finally:
            clear_script_prefix()
            set_script_prefix("/")


class WrittenKeysTests(SimpleTestCase):
    def test_keys_of_every_kind_are_written_as_json_writes_them(self):
        class Name(str):
            pass

        data = [{"a": 1, True: 2}, {1: 3, "1": 4, "a": 5}, {Name("b"): 6, None: 7, 2.5: 8}]
        self.assertEqual(
            indented_json(data, 4, JSONEncoder().default),
            json.dumps(data, cls=JSONEncoder, indent=4, separators=(",", ": ")),
        )
