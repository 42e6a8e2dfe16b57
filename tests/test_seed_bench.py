"""`manage.py seed_bench`: labelled benchmark data, added to the seeded site in bulk."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import Page

from cms.models import SiteImage
from events.models import EventIndexPage, EventPage, EventSpeaker
from gallery.models import GalleryImage, GalleryPage
from home.models import Resource
from people.models import OfficerTerm, Person
from people.photos import MEMBER_PHOTOS

SIZES = {"events": 30, "people": 60, "images": 7}


def seed_bench(**sizes):
    out = StringIO()
    call_command("seed_bench", stdout=out, **sizes)
    return out.getvalue()


class WithoutSeededSiteTests(TestCase):
    def test_refuses_and_names_seed_site(self):
        with self.assertRaisesMessage(CommandError, "Run `python manage.py seed_site` first"):
            seed_bench(**SIZES)
        self.assertFalse(Person.objects.exists())
        self.assertFalse(SiteImage.objects.exists())


class BadSizeTests(TestCase):
    def test_a_negative_size_is_refused(self):
        with self.assertRaisesMessage(CommandError, "invalid count value: '-1'"):
            call_command("seed_bench", "--events", "-1")


class SeedBenchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", verbosity=0)
        cls.terms_before = OfficerTerm.objects.count()
        cls.output = seed_bench(**SIZES)

    def bench_events(self):
        return EventPage.objects.filter(slug__startswith="benchmark-event-")

    def test_makes_the_sizes_asked_for_and_in_proportion(self):
        self.assertEqual(self.bench_events().count(), 30)
        self.assertEqual(Person.objects.filter(first_name="Benchmark").count(), 60)
        self.assertEqual(SiteImage.objects.filter(title__startswith="Benchmark image").count(), 7)
        # An album per ten events, six photos each; a resource per twenty people.
        self.assertEqual(GalleryPage.objects.filter(slug__startswith="benchmark-").count(), 3)
        self.assertEqual(
            GalleryImage.objects.filter(page__slug__startswith="benchmark-").count(), 18
        )
        self.assertEqual(
            Resource.objects.filter(title__startswith="Benchmark resource").count(), 3
        )
        self.assertIn("events (30)", self.output)
        self.assertIn("people (60)", self.output)
        self.assertRegex(self.output, r"Done in \d+\.\d s")

    def test_everything_is_labelled(self):
        self.assertEqual(
            set(self.bench_events().values_list("title", flat=True)),
            {f"Benchmark event {n:04d}" for n in range(1, 31)},
        )
        self.assertEqual(
            Person.objects.get(slug="benchmark-member-0042").full_name, "Dr. Benchmark Member 0042"
        )

    def test_a_second_run_adds_nothing_and_a_larger_one_only_the_difference(self):
        pages, people = Page.objects.count(), Person.objects.count()
        self.assertIn("Nothing to do", seed_bench(**SIZES))
        self.assertEqual((Page.objects.count(), Person.objects.count()), (pages, people))
        output = seed_bench(events=31, people=60, images=7)
        self.assertIn("events (1)", output)
        self.assertEqual(Page.objects.count(), pages + 1)
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))

    def test_pages_are_a_valid_live_part_of_the_tree(self):
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))
        index = EventIndexPage.objects.get()
        self.assertEqual(index.numchild, index.get_children().count())
        event = self.bench_events().get(slug="benchmark-event-0007")
        self.assertTrue(event.live)
        self.assertEqual(event.get_parent().pk, index.pk)
        self.assertEqual(self.client.get(event.url).status_code, 200)
        response = self.client.get("/api/v2/events/?search=Benchmark&limit=100")
        self.assertEqual(response.json()["meta"]["total_count"], 30)

    def test_events_are_past_and_upcoming_of_every_kind(self):
        now = timezone.now()
        events = self.bench_events()
        self.assertTrue(events.filter(ends_at__lte=now).exists())
        self.assertTrue(events.filter(ends_at__gt=now).exists())
        self.assertEqual(
            set(events.values_list("category", flat=True)), set(EventPage.Category.values)
        )
        self.assertEqual(
            set(events.values_list("format", flat=True)), set(EventPage.Format.values)
        )
        self.assertGreater(len(set(events.values_list("timezone", flat=True))), 3)
        self.assertTrue(
            EventSpeaker.objects.filter(page__in=events, person__isnull=False).exists()
        )

    def test_people_opt_in_and_hold_no_office(self):
        people = Person.objects.filter(first_name="Benchmark")
        self.assertTrue(people.filter(listed_in_directory=False).exists())
        self.assertTrue(people.public().filter(show_contact_details=True).exists())
        self.assertTrue(people.exclude(specialties=None).exists())
        self.assertGreater(len(set(people.values_list("city", flat=True))), 3)
        self.assertEqual(OfficerTerm.objects.count(), self.terms_before)
        listed = people.public().first()
        self.assertContains(self.client.get(listed.get_profile_url()), listed.full_name)

    def test_images_are_in_a_public_collection_and_photos_in_member_photos(self):
        image = SiteImage.objects.get(title="Benchmark image 0001")
        self.assertFalse(image.collection.get_view_restrictions().exists())
        self.assertEqual(image.collection.name, "Benchmark images")
        photo = Person.objects.exclude(photo=None).filter(first_name="Benchmark").first().photo
        self.assertEqual(photo.collection.name, MEMBER_PHOTOS)

    def test_site_search_finds_benchmark_pages(self):
        response = self.client.get("/search/?q=Benchmark+event+0007")
        self.assertContains(response, "Benchmark event 0007")


class SeedSiteMakesNoBenchmarkDataTests(TestCase):
    def test_seed_site_alone(self):
        call_command("seed_site", verbosity=0)
        self.assertFalse(Page.objects.filter(title__startswith="Benchmark").exists())
        self.assertFalse(Person.objects.filter(first_name="Benchmark").exists())
