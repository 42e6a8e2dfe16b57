"""The events index's cheaper parts give what Django and Wagtail gave: the filter's
cached choices, its selects, the cards' facts and the compact list of conferences."""

import datetime as dt
from importlib import import_module

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from cms.factories import SiteImageFactory
from cms.models import SiteRendition
from cms.renditions import ImageRow
from events import cards, listing
from events.dates import Precision, date_label
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import make_site_root

INTERNATIONAL = EventPage.Category.INTERNATIONAL
# The query that finds the filter's choices: the categories and years used.
CHOICES_QUERY = 'EXTRACT(YEAR FROM "events_eventpage"."start_date")'
CHOICES_QUERY_SQLITE = 'django_date_extract(\'year\', "events_eventpage"."start_date")'


def choices_queries(queries):
    return [
        q["sql"]
        for q in queries
        if "DISTINCT" in q["sql"]
        and (CHOICES_QUERY in q["sql"] or CHOICES_QUERY_SQLITE in q["sql"])
    ]


class FilterChoicesTests(TestCase):
    """The filter's choices are cached until content changes, yet a publish shows at once."""

    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.index = EventIndexPageFactory(parent=home)
        EventPageFactory(
            parent=cls.index, start_date=dt.date(2021, 2, 20), category=EventPage.Category.WORKSHOP
        )

    def choices(self):
        form = self.client.get(self.index.url).context["filter_form"]
        return (
            [value for value, _ in form.fields["category"].choices if value],
            [value for value, _ in form.fields["year"].choices if value],
        )

    def test_a_second_request_takes_the_choices_from_the_cache(self):
        with CaptureQueriesContext(connection) as first:
            self.choices()
        with CaptureQueriesContext(connection) as second:
            self.choices()
        self.assertEqual(len(choices_queries(first)), 1)
        self.assertEqual(choices_queries(second), [])

    def test_a_published_event_adds_its_category_and_year_at_once(self):
        self.assertEqual(self.choices(), (["workshop"], [2021]))  # now cached
        event = EventPageFactory(
            parent=self.index, start_date=dt.date(2023, 5, 1), category=EventPage.Category.WEBINAR
        )
        self.assertEqual(self.choices(), (["workshop", "webinar"], [2023, 2021]))
        event.unpublish()
        self.assertEqual(self.choices(), (["workshop"], [2021]))

    def test_a_changed_date_changes_the_years_at_once(self):
        event = EventPageFactory(parent=self.index, start_date=dt.date(2023, 5, 1))
        self.assertEqual(self.choices()[1], [2023, 2021])
        event.start_date = dt.date(2024, 5, 1)
        event.save_revision().publish()
        self.assertEqual(self.choices()[1], [2024, 2021])


def list_columns(event):
    return {name: getattr(event, name) for name in listing.LIST_FIELDS}


class SectionQueryTests(TestCase):
    """Each section is read by a query compiled once per shape, run with the filters' values."""

    @classmethod
    def setUpTestData(cls):
        cls.index = EventIndexPageFactory(parent=make_site_root())
        for year in (2021, 2022):
            EventPageFactory(
                parent=cls.index,
                start_date=dt.date(year, 5, 1),
                category=EventPage.Category.WORKSHOP,
            )
        EventPageFactory(
            parent=cls.index,
            start_date=dt.date(2022, 6, 1),
            category=EventPage.Category.INTERNATIONAL,
            organiser=EventPage.Organiser.EXTERNAL,
            organiser_name="ASCO",
        )

    def past(self, query):
        form = listing.EventFilterForm(QueryDict(query), self.index.events, self.index.pk)
        return listing.section_rows(self.index, form)(listing.PAST)

    def test_the_sections_events_are_the_querysets(self):
        now = timezone.now()
        events = self.index.events()
        for query, expected in (
            ("", events.smop()),
            ("year=2022", events.smop().filter(start_date__year=2022)),
            ("year=2021", events.smop().filter(start_date__year=2021)),
            ("category=international", events.international()),
            (
                "category=workshop&year=2022",
                events.filter(category="workshop", start_date__year=2022),
            ),
            ("category=international&year=2021", events.none()),  # nothing matches
        ):
            with self.subTest(query=query):
                rows = self.past(query)(10, 0)
                events_found = list(expected.past(now))
                # Rows of the columns a line shows, not pages: the same events, the
                # same values.
                self.assertEqual([row.page_ptr_id for row in rows], [e.pk for e in events_found])
                self.assertEqual(
                    [list_columns(row) for row in rows], [list_columns(e) for e in events_found]
                )
                self.assertEqual(
                    {row._total_count for row in rows}, {len(rows)} if rows else set()
                )

    def test_one_compiled_query_for_every_year(self):
        self.past("year=2021")(10, 0)
        query = self.past("year=2022").query
        self.assertIs(self.past("year=2021").query, query)
        self.assertEqual(len(query._compiled), 1)

    def test_no_query_for_the_international_section_when_only_it_is_shown(self):
        form = listing.EventFilterForm(
            QueryDict("category=international"), self.index.events, self.index.pk
        )
        rows = listing.section_rows(self.index, form)
        with self.assertNumQueries(0):
            self.assertEqual(rows(listing.INTERNATIONAL_UPCOMING)(12, 0), [])
            self.assertEqual(rows(listing.INTERNATIONAL_RECENT)(5, 0), [])

    def test_the_index_reads_its_sections_and_an_old_link_still_works(self):
        EventPageFactory(parent=self.index, start_date=timezone.localdate() + dt.timedelta(days=9))
        for query in ("", "page=9999", "upcoming_page=0", "international_page=7"):
            with self.subTest(query=query):
                response = self.client.get(f"{self.index.url}?{query}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(response.context["past_events"].object_list), 2)
                self.assertEqual(len(response.context["upcoming_events"].object_list), 1)
                self.assertEqual(len(response.context["international_recent"]), 1)


class FilterSelectsTests(TestCase):
    """The selects the template writes out are those of Django's Select widget."""

    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.index = EventIndexPageFactory(parent=home)
        EventPageFactory(parent=cls.index, start_date=dt.date(2021, 2, 20))
        EventPageFactory(
            parent=cls.index, start_date=dt.date(2022, 3, 1), category=EventPage.Category.WEBINAR
        )

    def test_the_selects_match_djangos_widgets(self):
        for query in ("", "category=webinar&year=2022", "category=cooking&year=abc", "year=2021"):
            with self.subTest(query=query):
                form = listing.EventFilterForm(
                    QueryDict(query), self.index.events(), self.index.pk
                )
                for select in form.selects():
                    theirs = BeautifulSoup(str(form[select["name"]]), "html.parser").select_one(
                        "select"
                    )
                    self.assertEqual(select["name"], theirs["name"])
                    self.assertEqual(select["id"], theirs["id"])
                    self.assertEqual(
                        [
                            (str(value), str(label), selected)
                            for value, label, selected in select["options"]
                        ],
                        [
                            (option["value"], option.get_text(), option.has_attr("selected"))
                            for option in theirs.find_all("option")
                        ],
                    )
                    self.assertEqual(select["error_id"], theirs.get("aria-describedby"))
                    self.assertEqual(
                        bool(select["error_id"]), theirs.get("aria-invalid") == "true"
                    )

    def test_an_unrecognised_value_is_described_by_its_notice(self):
        response = self.client.get(self.index.url, {"year": "abc"})
        soup = BeautifulSoup(response.content, "html.parser")
        select = soup.find("select", attrs={"name": "year"})
        self.assertEqual(select["aria-invalid"], "true")
        notice = soup.find(id=select["aria-describedby"])
        self.assertIn("We do not recognise the year", notice.get_text())


@pytest.mark.parametrize(
    ("precision", "start", "end", "django_format"),
    [
        (Precision.DAY, dt.date(2021, 2, 5), None, "j F Y"),
        (Precision.DAY, dt.date(987, 12, 31), None, "j F Y"),
        (Precision.MONTH, dt.date(2021, 8, 1), None, "F Y"),
    ],
)
def test_written_out_date_labels_are_djangos_formats(precision, start, end, django_format):
    for language in ("en", "ur"):
        with translation.override(language):
            expected = formats.date_format(start, django_format)
            assert date_label(precision, start, end) == expected
            months = cards.shared_labels()["months"]
            assert date_label(precision, start, end, months) == expected


class CardTests(TestCase):
    """Cards and lines show what the page's own labels say, escaped by the template."""

    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.index = EventIndexPageFactory(parent=home)
        next_year = timezone.localdate().year + 1
        cls.virtual = EventPageFactory(
            parent=cls.index,
            title="Online <b>tumour</b> board",
            start_date=dt.date(next_year, 2, 5),
            end_date=dt.date(next_year, 2, 7),
            format=EventPage.Format.VIRTUAL,
            venue="",
            city="",
            country="",
            summary="word " * 50,
            listing_image=SiteImageFactory(),
        )
        cls.congress = EventPageFactory(
            parent=cls.index,
            title="ESMO Congress",
            start_date=dt.date(next_year, 9, 9),
            category=INTERNATIONAL,
            organiser=EventPage.Organiser.EXTERNAL,
            organiser_name="ESMO & friends",
            format="",
            city="Berlin",
            country="Germany",
        )

    def test_a_card_has_the_pages_own_labels(self):
        for event in (self.virtual, self.congress):
            with self.subTest(event=event.title):
                card = cards.event_card(event, None, cards.shared_labels())
                self.assertEqual(card["category"], event.get_category_display())
                self.assertEqual(card["format"], event.get_format_display())
                self.assertEqual(card["when"], event.date_label)
                self.assertEqual(card["organiser"], event.organiser_label)
                self.assertEqual(card["url"], event.url)
                self.assertEqual(card["international"], event.category == INTERNATIONAL)
                self.assertEqual(card["title"], event.card_title)
                self.assertEqual(card["where"], event.place_label or "Online")
        self.assertEqual(
            cards.event_card(self.virtual, None, cards.shared_labels())["where"], "Online"
        )
        summary = cards.event_card(self.virtual, None, cards.shared_labels())["summary"]
        self.assertEqual(summary, "word " * 39 + "word …")

    def test_a_sections_row_makes_the_pages_card(self):
        """The sections read rows of the columns a card shows: their cards and URLs are
        the pages'."""
        form = listing.EventFilterForm(QueryDict(""), self.index.events, self.index.pk)
        rows = listing.section_rows(self.index, form)
        found = [
            *((row, cards.event_card) for row in rows(listing.UPCOMING)(12, 0)),
            *((row, cards.event_line) for row in rows(listing.INTERNATIONAL_UPCOMING)(12, 0)),
        ]
        self.assertEqual(len(found), 2)
        labels = cards.shared_labels()
        request = RequestFactory().get(self.index.url)
        for row, shown in found:
            page = EventPage.objects.get(pk=row.page_ptr_id)
            with self.subTest(title=page.title):
                self.assertIsInstance(row, listing.EventRow)
                self.assertEqual(row.get_url(request), page.get_url(request))
                from_row, from_page = shown(row, request, labels), shown(page, request, labels)
                if from_row.get("image") is not None:
                    # The card's image is read as a row of its columns: the same image,
                    # the same picture.
                    self.assertIsInstance(from_row["image"], ImageRow)
                    self.assertEqual(cards.card_html(from_row), cards.card_html(from_page))
                    from_row["image"] = from_row["image"].as_image()
                self.assertEqual(from_row, from_page)

    def test_the_choices_a_card_tells_apart(self):
        self.assertEqual(cards.INTERNATIONAL, EventPage.Category.INTERNATIONAL)
        self.assertEqual(cards.VIRTUAL, EventPage.Format.VIRTUAL)
        self.assertEqual(cards.SMOP, EventPage.Organiser.SMOP)

    def test_choice_labels_are_djangos(self):
        event = EventPage()
        for field, choices in (("category", EventPage.Category), ("format", EventPage.Format)):
            for value in [*choices.values, "", "retired-value"]:
                setattr(event, field, value)
                django_label = event._get_FIELD_display(EventPage._meta.get_field(field))
                self.assertEqual(getattr(event, f"get_{field}_display")(), django_label)

    def test_the_index_shows_conferences_as_a_compact_list_with_their_key_facts(self):
        soup = BeautifulSoup(self.client.get(self.index.url).content, "html.parser")
        section = soup.find("section", class_="section--international")
        self.assertIsNone(section.find("img"))
        item = section.find("li", class_="event-list__item")
        link = item.find("a")
        self.assertEqual(link["href"], self.congress.url)
        self.assertEqual(link.get_text(), "ESMO Congress")
        facts = {
            dt_.get_text(strip=True): dt_.find_next("dd").get_text(strip=True)
            for dt_ in item.find_all("dt")
        }
        self.assertEqual(
            facts,
            {
                "When": self.congress.date_label,
                "Where": "Berlin, Germany",
                "Organiser": "ESMO & friends",
            },
        )

    def test_past_events_are_a_compact_list_with_their_key_facts(self):
        past = EventPageFactory(
            parent=self.index,
            title="Tumour board 2021",
            start_date=dt.date(2021, 8, 29),
            category=EventPage.Category.WORKSHOP,
            city="Lahore",
            country="Pakistan",
            venue="",
        )
        soup = BeautifulSoup(self.client.get(self.index.url).content, "html.parser")
        section = soup.find("h2", id="past-heading").find_parent("section")
        self.assertIsNone(section.find("img"))
        item = section.find("a", string="Tumour board 2021").find_parent("li")
        self.assertEqual(item.find("a")["href"], past.url)
        facts = {
            dt_.get_text(strip=True): dt_.find_next("dd").get_text(strip=True)
            for dt_ in item.find_all("dt")
        }
        self.assertEqual(facts["Category"], "Workshop")
        self.assertEqual(facts["When"], "29 August 2021")
        self.assertEqual(facts["Where"], "Lahore, Pakistan")
        self.assertEqual(facts["Organiser"], "SMOP")

    def test_cards_are_escaped_and_show_online_and_the_image(self):
        response = self.client.get(self.index.url)
        self.assertContains(response, "Online &lt;b&gt;tumour&lt;/b&gt; board")
        self.assertNotContains(response, "<b>tumour</b>")
        card = BeautifulSoup(response.content, "html.parser").find("article", class_="event-card")
        self.assertIsNotNone(card.find("picture"))
        self.assertIn("Online", card.find("dl").get_text())
        self.assertEqual(card.find("a")["href"], self.virtual.url)


class CardRenditionsTests(TestCase):
    """A listing's cards take their renditions from one query, however many cards."""

    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.index = EventIndexPageFactory(parent=home)
        next_year = timezone.localdate().year + 1
        for day in range(1, 4):
            EventPageFactory(
                parent=cls.index,
                start_date=dt.date(next_year, 2, day),
                listing_image=SiteImageFactory(),
            )

    def test_the_cards_pictures_cost_no_query_once_prefetched(self):
        self.client.get(self.index.url)  # makes the renditions
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.index.url)
        self.assertEqual(
            len(BeautifulSoup(response.content, "html.parser").select("article picture")), 3
        )
        renditions = [q for q in queries if '"cms_siterendition"' in q["sql"]]
        self.assertEqual(len(renditions), 1)

    def test_new_images_get_their_card_renditions_made(self):
        self.assertFalse(SiteRendition.objects.exists())
        first = self.client.get(self.index.url).content  # no renditions yet: Wagtail makes them
        self.assertEqual(SiteRendition.objects.count(), 3 * len(cards.CARD_RENDITION_SPECS))
        pictures = BeautifulSoup(first, "html.parser").select("article picture")
        self.assertEqual(len(pictures), 3)
        self.assertEqual(self.client.get(self.index.url).content, first)  # read as rows


class EventAlbumsTests(TestCase):
    """An event's albums as cards: the listing image or else the first photo as cover."""

    @classmethod
    def setUpTestData(cls):
        home = make_site_root()
        cls.event = EventPageFactory(parent=EventIndexPageFactory(parent=home))
        albums = GalleryIndexPageFactory(parent=home)
        cls.with_image = GalleryPageFactory(
            parent=albums,
            event=cls.event,
            date=dt.date(2021, 3, 1),
            listing_image=SiteImageFactory(),
        )
        GalleryImageFactory(page=cls.with_image)
        cls.without = GalleryPageFactory(parent=albums, event=cls.event, date=dt.date(2021, 2, 1))
        cls.second = GalleryImageFactory(page=cls.without, sort_order=2)
        cls.first = GalleryImageFactory(page=cls.without, sort_order=1)

    def test_each_album_has_its_cover(self):
        # The content generation and the view restrictions (a request reads them once
        # for the whole page); the albums with their covers' image ids (the listing
        # image, or else the first photo's); the covers' images; their card renditions.
        with self.assertNumQueries(5):
            albums = self.event.public_albums()
        self.assertEqual(albums, [self.with_image, self.without])
        with self.assertNumQueries(0):
            covers = [album.cover_image for album in albums]
        self.assertEqual(covers, [self.with_image.listing_image, self.first.image])


class PastOrderIndexTests(TestCase):
    def test_the_index_is_in_the_order_of_past_events(self):
        """event_past_order (events 0006) sorts as `EventPageQuerySet.past()` does first."""
        index = import_module("events.migrations.0006_event_past_order").PAST_ORDER
        [order] = index.expressions
        first = EventPage.objects.past().query.order_by[0]
        self.assertEqual(order, first)

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="an index on PostgreSQL only")
    def test_postgresql_has_the_index(self):
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, "events_eventpage")
        self.assertIn("event_past_order", indexes)
