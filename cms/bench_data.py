"""Synthetic benchmark data at a given scale, added to a seeded site (`seed_bench`).

Everything made here is labelled "Benchmark ..." (pages, people, images, resources),
so nobody mistakes it for the society's content, and is found again by its slug or
title: a second run with the same sizes adds nothing, and a run with larger sizes adds
only the difference. It is for load tests and query budgets only; `seed_site` never
calls it.

Speed matters at 1,000 events and 5,000 people, so records are written in bulk and
without revisions or signals: pages go into the tree with their paths computed here
(one insert per page row, one per page type row), people, their specialties, speakers,
sessions, album photos and resources with `bulk_create`. Pages and people are then
added to the search index in bulk. Pages are published as they are made (live, with
first and last published dates) and have no revision history.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from io import BytesIO

from django.core.files.images import ImageFile
from django.db.models import F
from django.utils import timezone
from wagtail.models import Collection, Locale, Page
from wagtail.search.backends import get_search_backends

from cms.models import SiteImage
from cms.page_cache import bump_content_generation
from events.models import EventIndexPage, EventPage, EventSpeaker, ProgrammeSession
from gallery.models import GalleryImage, GalleryIndexPage, GalleryPage
from home.models import HomePage, Resource, ResourceListPage
from home.seed.images import placeholder_jpeg
from people.models import MemberDirectoryPage, Person, Specialty
from people.photos import member_photos_collection

LABEL = "Benchmark"
IMAGE_COLLECTION = "Benchmark images"
IMAGE_SIZE = (800, 500)
PORTRAIT_SIZE = (300, 300)
PORTRAITS = 8  # member photos, shared by every fourth benchmark member
PHOTOS_PER_ALBUM = 6
EVENTS_PER_GALLERY = 10
PEOPLE_PER_RESOURCE = 20
SPECIALTIES = 4
INSTITUTIONS = 25
# Events run from about two years ago to a year ahead, most of them past.
EVENT_SPAN_DAYS = 1100
EVENT_PAST_DAYS = 770

COLOURS = [("#2f4858", "#86a3b3"), ("#5b3758", "#d3a6c8"), ("#3b5b2f", "#a9c79b")]
CITIES = [
    ("Karachi", "sindh"),
    ("Lahore", "punjab"),
    ("Islamabad", "islamabad"),
    ("Peshawar", "khyber-pakhtunkhwa"),
    ("Quetta", "balochistan"),
    ("Multan", "punjab"),
    ("Faisalabad", "punjab"),
    ("Hyderabad", "sindh"),
]
DESIGNATIONS = [
    "Consultant medical oncologist",
    "Professor of oncology",
    "Assistant professor of haematology",
    "Senior registrar",
    "Clinical oncologist",
]
HONORIFICS = ["Dr.", "Prof.", "Dr.", "Prof. Dr."]
# (time zone, city, country) where benchmark events take place.
PLACES = [
    ("Asia/Karachi", "Karachi", "Pakistan"),
    ("Asia/Karachi", "Lahore", "Pakistan"),
    ("Asia/Karachi", "Islamabad", "Pakistan"),
    ("Asia/Dubai", "Dubai", "United Arab Emirates"),
    ("Europe/London", "London", "United Kingdom"),
    ("America/New_York", "New York", "United States"),
    ("Asia/Singapore", "Singapore", "Singapore"),
]


class BenchDataError(Exception):
    """Benchmark data cannot be added (for example, the site is not seeded)."""


@dataclass(frozen=True)
class Sizes:
    events: int
    people: int
    images: int

    @property
    def galleries(self):
        return self.events // EVENTS_PER_GALLERY

    @property
    def resources(self):
        return self.people // PEOPLE_PER_RESOURCE


@dataclass(frozen=True)
class SeededSite:
    """The pages of the seeded site that benchmark records go under or next to."""

    events: EventIndexPage
    galleries: GalleryIndexPage
    resource_lists: list


def number_label(kind, number):
    return f"{LABEL} {kind} {number:04d}"


def number_slug(kind, number):
    return f"{LABEL.lower()}-{kind}-{number:04d}"


def seeded_site():
    """The seeded site's indexes; BenchDataError naming what is missing otherwise."""
    home = HomePage.objects.first()
    found = {
        "home page": home,
        "events page": home and EventIndexPage.objects.child_of(home).first(),
        "photo gallery page": home and GalleryIndexPage.objects.child_of(home).first(),
        "member directory page": MemberDirectoryPage.objects.first(),
    }
    resource_lists = list(ResourceListPage.objects.order_by("path"))
    missing = [name for name, page in found.items() if page is None]
    if not resource_lists:
        missing.append("resource list pages")
    if missing:
        raise BenchDataError(
            f"The site is not seeded (no {', '.join(missing)}). "
            "Run `python manage.py seed_site` first."
        )
    return SeededSite(found["events page"], found["photo gallery page"], resource_lists)


def missing_numbers(wanted, taken_slugs, kind):
    """The numbers 1..wanted whose slug is not taken yet."""
    return [n for n in range(1, wanted + 1) if number_slug(kind, n) not in taken_slugs]


class BenchBuilder:
    """Adds what is missing for the given sizes; `created` counts what it made."""

    def __init__(self, sizes, say=print):
        self.sizes = sizes
        self.say = say
        self.created = Counter()
        self.new_files = []
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.locale = Locale.get_default()

    def build(self):
        site = seeded_site()
        images = self.ensure_images()
        people = self.ensure_people(self.ensure_portraits(), self.ensure_specialties())
        events = self.ensure_events(site.events, images, people)
        self.ensure_galleries(site.galleries, images, events)
        self.ensure_resources(site.resource_lists)
        if self.created:
            # Bulk writes send no signals: tell cached pages that content changed.
            bump_content_generation()
        return self.created

    def discard_new_files(self):
        """Delete the files of images saved by this run, once its rows are rolled back."""
        for file in self.new_files:
            file.storage.delete(file.name)
        self.new_files = []

    def note(self, kind, count):
        if count:
            self.created[kind] += count
            self.say(f"Created {count} {kind}")

    # --- Images --------------------------------------------------------------------------

    def ensure_images(self):
        """The benchmark images 1..N, in their own (public) collection."""
        collection = child_collection(IMAGE_COLLECTION)
        return self.ensure_numbered_images("image", self.sizes.images, IMAGE_SIZE, collection)

    def ensure_portraits(self):
        """A few member photos, in the restricted collection member photos belong in."""
        if not self.sizes.people:
            return []
        collection = member_photos_collection()
        return self.ensure_numbered_images("portrait", PORTRAITS, PORTRAIT_SIZE, collection)

    def ensure_numbered_images(self, kind, count, size, collection):
        titles = [number_label(kind, n) for n in range(1, count + 1)]
        existing = {i.title: i for i in SiteImage.objects.filter(title__in=titles)}
        made = 0
        for number, title in enumerate(titles, start=1):
            if title not in existing:
                existing[title] = self.save_image(kind, number, title, size, collection)
                made += 1
        self.note(f"{kind}s", made)
        return [existing[title] for title in titles]

    def save_image(self, kind, number, title, size, collection):
        data = placeholder_jpeg(size, COLOURS[number % len(COLOURS)], label=title)
        image = SiteImage(
            title=title,
            alt_text=f"{title}: a generated placeholder for load tests",
            collection=collection,
            file=ImageFile(BytesIO(data), name=f"{number_slug(kind, number)}.jpg"),
        )
        image._set_image_file_metadata()  # size and hash, as Wagtail's upload form does
        image.save()
        self.new_files.append(image.file)
        return image

    # --- People --------------------------------------------------------------------------

    def ensure_specialties(self):
        """The site's specialties plus a few labelled benchmark ones."""
        for number in range(1, SPECIALTIES + 1):
            slug = number_slug("specialty", number)
            if not Specialty.objects.filter(slug=slug, locale=self.locale).exists():
                name = f"{LABEL} specialty {number}"
                Specialty.objects.create(name=name, slug=slug, locale=self.locale)
                self.created["specialties"] += 1
        return list(Specialty.objects.filter(locale=self.locale).order_by("pk"))

    def ensure_people(self, portraits, specialties):
        """Members 1..N: most listed, some with public contact details; no officer roles."""
        taken = set(
            Person.objects.filter(slug__startswith="benchmark-member-").values_list(
                "slug", flat=True
            )
        )
        numbers = missing_numbers(self.sizes.people, taken, "member")
        people = Person.objects.bulk_create(
            [self.new_person(n, portraits) for n in numbers], batch_size=500
        )
        through = Person.specialties.through
        links = [
            through(person_id=person.pk, specialty_id=specialty.pk)
            for number, person in zip(numbers, people, strict=True)
            for specialty in person_specialties(number, specialties)
        ]
        through.objects.bulk_create(links, batch_size=1000)
        add_to_search_index(Person, people)
        self.note("people", len(people))
        return dict(
            Person.objects.filter(slug__startswith="benchmark-member-").values_list("slug", "pk")
        )

    def new_person(self, number, portraits):
        city, province = CITIES[number % len(CITIES)]
        slug = number_slug("member", number)
        contact = number % 3 == 0
        return Person(
            honorific=HONORIFICS[number % len(HONORIFICS)],
            first_name=LABEL,
            last_name=f"Member {number:04d}",
            slug=slug,
            credentials="MBBS, FCPS",
            designation=DESIGNATIONS[number % len(DESIGNATIONS)],
            institution=f"{LABEL} Hospital {number % INSTITUTIONS + 1:02d}",
            city=city,
            province=province,
            photo=portraits[number % len(portraits)] if number % 4 == 0 else None,
            biography=f"<p>{number_label('member', number)} is synthetic data for load tests.</p>",
            listed_in_directory=number % 10 != 0,
            show_contact_details=contact,
            public_email=f"{slug}@example.org" if contact else "",
            public_phone=f"+92 300 {number:07d}" if contact else "",
            live=True,
            has_unpublished_changes=False,
            first_published_at=self.now,
            last_published_at=self.now,
            locale=self.locale,
        )

    # --- Pages ---------------------------------------------------------------------------

    def ensure_events(self, index, images, people):
        """Events 1..N under the events page: past and upcoming, every category and format."""
        taken = set(child_slugs(index, "benchmark-event-"))
        numbers = missing_numbers(self.sizes.events, taken, "event")
        pages = [self.new_event(n, images) for n in numbers]
        add_pages(index, pages, self.locale, self.now)
        member_pks = [people[slug] for slug in sorted(people)]
        EventSpeaker.objects.bulk_create(
            [
                speaker
                for number, page in zip(numbers, pages, strict=True)
                for speaker in event_speakers(number, page, member_pks)
            ],
            batch_size=1000,
        )
        ProgrammeSession.objects.bulk_create(
            [
                session
                for number, page in zip(numbers, pages, strict=True)
                for session in programme(number, page)
            ],
            batch_size=1000,
        )
        add_to_search_index(EventPage, pages)
        self.note("events", len(pages))
        return dict(child_slugs(index, "benchmark-event-", "pk"))

    def new_event(self, number, images):
        zone, city, country = PLACES[number % len(PLACES)]
        category = EventPage.Category.values[number % len(EventPage.Category.values)]
        external = category == EventPage.Category.INTERNATIONAL
        start = self.today + dt.timedelta(
            days=(number - 1) * EVENT_SPAN_DAYS // max(self.sizes.events, 1) - EVENT_PAST_DAYS
        )
        timed = number % 10 == 0
        title = number_label("event", number)
        page = EventPage(
            title=title,
            slug=number_slug("event", number),
            category=category,
            organiser=EventPage.Organiser.EXTERNAL if external else EventPage.Organiser.SMOP,
            organiser_name=f"{LABEL} Oncology Society" if external else "",
            summary=f"{title}: synthetic data for load tests, held in {city}.",
            body=[{"type": "paragraph", "value": f"<p>{title} is not a real event.</p>"}],
            date_precision="time" if timed else "day",
            start_date=start,
            start_time=dt.time(9, 0) if timed else None,
            end_date=start + dt.timedelta(days=number % 3) if number % 3 else None,
            end_time=dt.time(17, 0) if timed else None,
            timezone=zone,
            format=EventPage.Format.values[number % len(EventPage.Format.values)],
            venue=f"{LABEL} Convention Centre",
            city=city,
            country=country,
            registration_url=f"https://example.org/benchmark/event-{number:04d}/register",
            listing_image=images[number % len(images)] if images else None,
        )
        page.starts_at, page.ends_at = page._span()
        return page

    def ensure_galleries(self, index, images, events):
        """An album per ten events, each of the event's own, with a few photos."""
        taken = set(child_slugs(index, "benchmark-gallery-"))
        numbers = missing_numbers(self.sizes.galleries, taken, "gallery")
        pages = [self.new_gallery(n, events) for n in numbers]
        add_pages(index, pages, self.locale, self.now)
        GalleryImage.objects.bulk_create(
            [
                GalleryImage(
                    page=page,
                    image=images[(number * PHOTOS_PER_ALBUM + k) % len(images)],
                    caption=f"{number_label('gallery', number)}, photo {k + 1}",
                    sort_order=k,
                )
                for number, page in zip(numbers, pages, strict=True)
                for k in range(PHOTOS_PER_ALBUM if images else 0)
            ],
            batch_size=1000,
        )
        add_to_search_index(GalleryPage, pages)
        self.note("galleries", len(pages))

    def new_gallery(self, number, events):
        title = number_label("gallery", number)
        event_pk = events.get(number_slug("event", number * EVENTS_PER_GALLERY))
        return GalleryPage(
            title=title,
            slug=number_slug("gallery", number),
            intro=f"{title}: generated photos for load tests.",
            date=self.today - dt.timedelta(days=number * 7),
            event_id=event_pk,
        )

    # --- Resources -----------------------------------------------------------------------

    def ensure_resources(self, lists):
        """A resource per twenty people, shared out between the resource lists."""
        titles = set(
            Resource.objects.filter(title__startswith=f"{LABEL} resource ").values_list(
                "title", flat=True
            )
        )
        wanted = range(1, self.sizes.resources + 1)
        numbers = [n for n in wanted if number_label("resource", n) not in titles]
        resources = Resource.objects.bulk_create(
            [new_resource(n, lists[n % len(lists)]) for n in numbers], batch_size=1000
        )
        if resources:
            add_to_search_index(ResourceListPage, [page.specific for page in lists])
        self.note("resources", len(resources))


def child_collection(name):
    """A collection under the root, made if missing (with no view restrictions)."""
    collection = Collection.objects.filter(name=name).first()
    return collection or Collection.get_first_root_node().add_child(name=name)


def person_specialties(number, specialties):
    """One or two specialties per member, spread over all of them."""
    first = specialties[number % len(specialties)]
    second = specialties[(number // 2) % len(specialties)]
    return [first] if first == second or number % 2 else [first, second]


def event_speakers(number, page, member_pks):
    """A benchmark member (when there are any) and a guest speaker."""
    speakers = [
        EventSpeaker(
            page=page,
            name=f"{LABEL} guest speaker {number:04d}",
            affiliation=f"{LABEL} University",
            topic="Synthetic data",
            sort_order=1,
        )
    ]
    if member_pks:
        member = member_pks[(number * 7) % len(member_pks)]
        speakers.append(EventSpeaker(page=page, person_id=member, topic="Keynote", sort_order=0))
    return speakers


def programme(number, page):
    """Two sessions on every other event."""
    if number % 2:
        return []
    return [
        ProgrammeSession(
            page=page,
            date=page.start_date,
            start_time=dt.time(9 + 2 * k, 0),
            end_time=dt.time(10 + 2 * k, 30),
            title=f"{LABEL} session {k + 1}",
            speakers=f"{LABEL} guest speaker {number:04d}",
            sort_order=k,
        )
        for k in range(2)
    ]


def new_resource(number, page):
    return Resource(
        page=page,
        title=number_label("resource", number),
        topic=f"{LABEL} topic {number % 5 + 1}",
        url=f"https://example.org/benchmark/resource-{number:04d}",
        publisher=f"{LABEL} Publisher",
        language=Resource.Language.URDU if number % 7 == 0 else Resource.Language.ENGLISH,
        summary="Synthetic data for load tests.",
        sort_order=10_000 + number,
    )


def child_slugs(parent, prefix, *fields):
    """(slug, field...) rows, or slugs alone, of the parent's children with this prefix."""
    children = Page.objects.child_of(parent).filter(slug__startswith=prefix)
    if fields:
        return children.values_list("slug", *fields)
    return children.values_list("slug", flat=True)


def add_pages(parent, pages, locale, now):
    """Insert live pages as the parent's last children, in one pass.

    The same rows `parent.add_child` makes, without its per-page queries and
    signals: tree paths follow the parent's last child, then each page's base row is
    inserted in bulk and its own table's row after it (Django cannot bulk insert a
    multi-table model in one go).
    """
    if not pages:
        return
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    for offset, page in enumerate(pages, start=1):
        page.path = Page._get_path(parent.path, parent.depth + 1, step + offset)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.locale = locale
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = now
    base_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    rows = Page.objects.bulk_create(
        [Page(**{name: getattr(page, name) for name in base_fields}) for page in pages],
        batch_size=500,
    )
    for page, row in zip(pages, rows, strict=True):
        page.pk = page.page_ptr_id = row.pk
        # Only this type's own table: the base row exists; raw skips signals.
        page.save_base(raw=True, force_insert=True)
        page._state.adding = False
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def add_to_search_index(model, objects):
    if objects:
        for backend in get_search_backends():
            backend.add_bulk(model, objects)
