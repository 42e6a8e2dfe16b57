"""Queries compiled once (cms.prepared) and the event page's rows read through them."""

import datetime as dt

from django.db import connection
from django.db.models import Count
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.factories import SiteImageFactory
from cms.prepared import PreparedQuery, Row
from cms.renditions import ImageRow, RenditionRow
from events import cards
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import SESSIONS, SPEAKERS, EventPage, EventSpeaker, ProgrammeSession
from home.factories import make_site_root
from people.factories import PersonFactory


class PreparedQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        index = EventIndexPageFactory(parent=make_site_root())
        cls.event = EventPageFactory(parent=index)
        cls.other = EventPageFactory(parent=index)
        cls.person = PersonFactory(first_name="Amina", last_name="Qureshi")
        EventSpeaker.objects.create(page=cls.event, person=cls.person, sort_order=2)
        EventSpeaker.objects.create(page=cls.event, name="A guest", sort_order=1)
        EventSpeaker.objects.create(page=cls.other, name="Someone else", sort_order=1)

    def test_gives_what_the_queryset_gives_for_each_value(self):
        for event in (self.event, self.other):
            expected = list(
                EventSpeaker.objects.filter(page=event.pk)
                .select_related("person")
                .only("name", "person", "person__first_name")
            )
            speakers = SPEAKERS.run(event.pk)
            self.assertEqual(speakers, expected)
            self.assertEqual(
                [s.display_name for s in speakers], [s.display_name for s in expected]
            )

    def test_the_related_person_comes_in_the_same_query(self):
        with self.assertNumQueries(1):
            speakers = SPEAKERS.run(self.event.pk)
            names = [s.person.full_name for s in speakers if s.person]
        self.assertEqual(names, ["Dr. Amina Qureshi"])

    def test_compiled_once_then_run_with_new_values(self):
        built = []

        def build(page_id):
            built.append(page_id)
            return ProgrammeSession.objects.filter(page=page_id)

        query = PreparedQuery(build)
        ProgrammeSession.objects.create(page=self.other, title="Opening", sort_order=1)
        self.assertEqual(query.run(self.event.pk), [])
        self.assertEqual([s.title for s in query.run(self.other.pk)], ["Opening"])
        self.assertEqual(len(built), 1)  # built (and compiled) with its marker only

    def test_annotations_are_set_on_the_instances(self):
        query = PreparedQuery(
            lambda page_id: EventSpeaker.objects.filter(page=page_id).annotate(
                same_page=Count("page__speakers")
            )
        )
        self.assertEqual([s.same_page for s in query.run(self.event.pk)], [2, 2])

    def test_refuses_what_it_cannot_rebuild(self):
        for build in (
            lambda page_id: EventSpeaker.objects.filter(page=page_id).values("name"),
            lambda page_id: EventSpeaker.objects.filter(page=page_id).prefetch_related("page"),
            lambda page_id: EventSpeaker.objects.all(),  # the value is not a parameter
        ):
            with self.subTest(build=build), self.assertRaises(ValueError):
                PreparedQuery(build).run(self.event.pk)


class RowsTests(TestCase):
    """A query run for rows gives each row's columns, related objects and annotations."""

    @classmethod
    def setUpTestData(cls):
        index = EventIndexPageFactory(parent=make_site_root())
        cls.image = SiteImageFactory()
        cls.with_image = EventPageFactory(parent=index, title="Pictured", listing_image=cls.image)
        cls.without = EventPageFactory(parent=index, title="Plain")
        EventSpeaker.objects.create(page=cls.with_image, name="A guest", sort_order=1)

    @staticmethod
    def build(page_id):
        return (
            EventPage.objects.filter(pk__gte=page_id)
            .only("title", "url_path", "listing_image")
            .select_related("listing_image")
            .annotate(speaker_count=Count("speakers"))
            .order_by("pk")
        )

    def test_rows_hold_what_the_instances_hold(self):
        rows = PreparedQuery(self.build, rows=Row).run(self.with_image.pk)
        instances = PreparedQuery(self.build).run(self.with_image.pk)
        self.assertEqual(len(rows), 2)
        for row, instance in zip(rows, instances, strict=True):
            with self.subTest(title=instance.title):
                self.assertIs(type(row), Row)
                self.assertEqual(row.page_ptr_id, instance.pk)
                for name in ("title", "url_path", "listing_image_id", "speaker_count"):
                    self.assertEqual(getattr(row, name), getattr(instance, name))
                self.assertEqual(row.listing_image, instance.listing_image)
                self.assertFalse(hasattr(row, "summary"))  # not selected: not there
        self.assertIsInstance(rows[0].listing_image, type(self.image))
        self.assertEqual(rows[0].listing_image.title, self.image.title)
        self.assertIsNone(rows[1].listing_image)
        self.assertEqual([row.speaker_count for row in rows], [1, 0])

    def test_rows_are_one_query_and_compare_by_their_columns(self):
        query = PreparedQuery(self.build, rows=Row)
        with self.assertNumQueries(1):
            first = query.run(self.with_image.pk)
        self.assertEqual(first, query.run(self.with_image.pk))
        self.assertNotEqual(first[0], first[1])

    def test_a_row_class_of_its_own(self):
        class Titled(Row):
            @property
            def shout(self):
                return self.title.upper()

        rows = PreparedQuery(self.build, rows=Titled).run(self.without.pk)
        self.assertEqual([row.shout for row in rows], ["PLAIN"])

    def test_the_same_query_still_gives_instances_without_rows(self):
        (event,) = PreparedQuery(self.build).run(self.without.pk)
        self.assertIsInstance(event, EventPage)

    def test_rows_follow_plain_foreign_keys_only(self):
        def reverse(page_id):
            return Page.objects.filter(pk=page_id).select_related("eventpage")

        with self.assertRaises(ValueError):
            PreparedQuery(reverse, rows=Row).run(self.without.pk)

    def test_related_objects_as_rows_of_their_columns(self):
        query = PreparedQuery(self.build, rows=Row, related_rows={"listing_image": ImageRow})
        with self.assertNumQueries(1):
            rows = query.run(self.with_image.pk)
        image_row = rows[0].listing_image
        self.assertIs(type(image_row), ImageRow)
        self.assertIsNone(rows[1].listing_image)  # no image: None, as an instance's
        for field in type(self.image)._meta.concrete_fields:
            with self.subTest(field=field.attname):
                expected = getattr(self.image, field.attname)
                if field.attname == "file":
                    expected = expected.name
                self.assertEqual(getattr(image_row, field.attname), expected)
        self.assertEqual(image_row.pk, self.image.pk)
        self.assertEqual(image_row.default_alt_text, self.image.default_alt_text)
        self.assertIs(image_row.get_rendition_model(), type(self.image).get_rendition_model())
        # The instance of its columns, for whatever needs the image itself.
        with self.assertNumQueries(0):
            image = image_row.as_image()
        self.assertEqual(image, self.image)
        self.assertEqual(image.file.name, self.image.file.name)
        self.assertFalse(image._state.adding)
        self.assertIs(image_row.as_image(), image)

    def test_related_rows_name_relations_of_a_query_for_rows(self):
        with self.assertRaises(ValueError):
            PreparedQuery(self.build, rows=Row, related_rows={"owner": ImageRow}).run(1)
        with self.assertRaises(ValueError):
            PreparedQuery(self.build, related_rows={"listing_image": ImageRow})


class MomentsDaysAndPagesTests(TestCase):
    """A moment ("now"), a day and a page (LIMIT, OFFSET) as values of a prepared query."""

    @classmethod
    def setUpTestData(cls):
        index = EventIndexPageFactory(parent=make_site_root())
        cls.events = [
            EventPageFactory(parent=index, title=f"Event {year}", start_date=dt.date(year, 5, 1))
            for year in (2021, 2022, 2023, 2024)
        ]

    def query(self, paged=False):
        def build(now, first_day):
            return EventPage.objects.filter(starts_at__lt=now, start_date__gte=first_day).order_by(
                "start_date"
            )

        return PreparedQuery(build, kinds=(dt.datetime, dt.date), paged=paged)

    def expected(self, now, first_day):
        return list(self.query().build(now, first_day))

    def test_gives_what_the_queryset_gives_for_each_moment_and_day(self):
        query = self.query()
        for now, first_day in (
            (dt.datetime(2023, 1, 1, tzinfo=dt.UTC), dt.date(2020, 1, 1)),
            (dt.datetime(2030, 1, 1, tzinfo=dt.UTC), dt.date(2022, 1, 1)),
            (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.date(2022, 1, 1)),
        ):
            with self.subTest(now=now, first_day=first_day):
                self.assertEqual(query.run(now, first_day), self.expected(now, first_day))

    def test_a_page_of_rows_is_a_limit_and_an_offset(self):
        query = self.query(paged=True)
        now, first_day = dt.datetime(2030, 1, 1, tzinfo=dt.UTC), dt.date(2020, 1, 1)
        everything = self.expected(now, first_day)
        self.assertEqual(len(everything), 4)
        for limit, offset in ((2, 0), (2, 2), (3, 3), (5, 10)):
            with self.subTest(limit=limit, offset=offset):
                self.assertEqual(
                    query.run(now, first_day, limit, offset), everything[offset : offset + limit]
                )
        with self.assertRaises(TypeError):
            query.run(now, first_day)  # no page given

    def test_refuses_a_sliced_paged_query_and_an_unknown_kind(self):
        def sliced(now):
            return EventPage.objects.filter(starts_at__lt=now)[:2]

        with self.assertRaises(ValueError):
            PreparedQuery(sliced, kinds=(dt.datetime,), paged=True).run(
                dt.datetime.now(dt.UTC), 1, 0
            )
        with self.assertRaises(TypeError):
            PreparedQuery(lambda title: EventPage.objects.filter(title=title), kinds=(str,)).run(
                ""
            )


class EventChildrenTests(TestCase):
    """Speakers and sessions: prepared queries, unless the page holds them in memory."""

    @classmethod
    def setUpTestData(cls):
        cls.event = EventPageFactory(parent=EventIndexPageFactory(parent=make_site_root()))
        EventSpeaker.objects.create(page=cls.event, name="Saved speaker", sort_order=1)
        ProgrammeSession.objects.create(page=cls.event, title="Saved session", sort_order=1)

    def test_a_saved_page_reads_them_in_one_query_each(self):
        event = type(self.event).objects.get(pk=self.event.pk)
        with self.assertNumQueries(2):
            speakers = [s.display_name for s in event.public_speakers()]
            days = event.programme_days
        self.assertEqual(speakers, ["Saved speaker"])
        self.assertEqual([s.title for _day, sessions in days for s in sessions], ["Saved session"])

    def test_a_preview_shows_the_children_being_edited(self):
        event = type(self.event).objects.get(pk=self.event.pk)
        event.speakers = [EventSpeaker(name="Edited speaker")]
        event.sessions = [ProgrammeSession(title="Edited session", date=dt.date(2030, 1, 1))]
        with self.assertNumQueries(0):
            speakers = [s.display_name for s in event.public_speakers()]
            days = event.programme_days
        self.assertEqual(speakers, ["Edited speaker"])
        self.assertEqual(days[0][0], dt.date(2030, 1, 1))
        self.assertEqual([s.title for s in days[0][1]], ["Edited session"])

    def test_prepared_queries_are_the_relations(self):
        self.assertEqual(SPEAKERS.run(self.event.pk), list(self.event.speakers.all()))
        self.assertEqual(SESSIONS.run(self.event.pk), list(self.event.sessions.all()))


class ChildUrlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = EventIndexPageFactory(parent=make_site_root(), slug="events")
        cls.events = [
            EventPageFactory(parent=cls.index, slug="plain-slug"),
            EventPageFactory(parent=cls.index, slug="سمپوزیم-2027"),  # an Urdu slug
        ]

    def test_a_childs_url_is_wagtails(self):
        request = RequestFactory().get("/events/")
        url_of = cards.child_url_builder(self.index, request)
        for event in self.events:
            with self.subTest(slug=event.slug):
                self.assertEqual(url_of(event), event.get_url(request))
        self.assertEqual(url_of(self.index), self.index.get_url(request))

    def test_a_page_elsewhere_is_left_to_wagtail(self):
        request = RequestFactory().get("/events/")
        url_of = cards.child_url_builder(self.events[0], request)
        self.assertEqual(url_of(self.events[1]), self.events[1].get_url(request))


class CardImageTests(TestCase):
    def test_images_share_one_query_for_their_renditions(self):
        first, second = SiteImageFactory(), SiteImageFactory()
        specs = cards.CARD_RENDITION_SPECS[:2]
        made = first.get_renditions(*specs)
        # Two cards showing the same image (two instances), and one without an image.
        again = type(first).objects.get(pk=first.pk)
        with CaptureQueriesContext(connection) as queries:
            cards.attach_card_renditions([first, again, None, second])
        self.assertEqual(len(queries), 1)
        rows = first.rendition_rows
        self.assertEqual(sorted(r.filter_spec for r in rows), sorted(specs))
        self.assertIs(again.rendition_rows, rows)
        self.assertEqual(second.rendition_rows, [])
        # Rows of the renditions' columns, each with its image, not instances.
        for row in rows:
            self.assertIs(type(row), RenditionRow)
            self.assertIs(row.image, first)
            rendition = made[row.filter_spec]
            self.assertEqual(
                (row.file, row.width, row.height, row.focal_point_key),
                (
                    rendition.file.name,
                    rendition.width,
                    rendition.height,
                    rendition.focal_point_key,
                ),
            )
        self.assertFalse(hasattr(first, "prefetched_renditions"))  # Wagtail never sees rows

    def test_card_images_by_id(self):
        image = SiteImageFactory()
        with self.assertNumQueries(2):  # the images; their card renditions
            found = cards.card_images({image.pk, 0})
        self.assertEqual(list(found), [image.pk])
        self.assertEqual(found[image.pk].rendition_rows, [])
        self.assertEqual(cards.card_images(set()), {})
