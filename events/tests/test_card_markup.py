"""The cards and compact lists written in Python (events.cards) are byte for byte what
their templates wrote. The old templates are kept as fixtures only, in fixtures/."""

import datetime as dt
import itertools
from pathlib import Path

from django.core.paginator import Paginator
from django.http import QueryDict
from django.template import Context, Engine, engines
from django.test import TestCase
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cms.factories import SiteImageFactory
from events import cards, listing
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from home.factories import make_site_root

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = "<script>alert('x')</script> & \"quoted\""


def old_templates():
    """An engine with the old templates under their old names, and the site's tags."""
    names = {
        "includes/event_card.html": "old_event_card.html",
        "events/includes/event_cards.html": "old_event_cards.html",
        "events/includes/event_list.html": "old_event_list.html",
        "events/includes/section_pagination.html": "old_section_pagination.html",
    }
    templates = {name: (FIXTURES / file).read_text() for name, file in names.items()}
    return Engine(
        loaders=[("django.template.loaders.locmem.Loader", templates)],
        libraries=engines["django"].engine.libraries,
    )


def event(number, **fields):
    """An unsaved event: its card needs only its fields."""
    defaults = {
        "title": f"Event {number}",
        "category": EventPage.Category.SYMPOSIUM,
        "format": EventPage.Format.IN_PERSON,
        "organiser": EventPage.Organiser.SMOP,
        "date_precision": EventPage.DatePrecision.DAY,
        "start_date": dt.date(2026, 3, number % 28 + 1),
        "city": "Lahore",
        "country": "Pakistan",
        "summary": f"About event {number}.",
    }
    return EventPage(**{**defaults, **fields})


def url_of(page):
    return f"/events/{page.title[:5]}/?a=1&b=<2>"


class CardMarkupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.image = SiteImageFactory()

    def events(self):
        counter = itertools.count(1)
        made = [
            event(next(counter), category=category, format=fmt)
            for category, fmt in itertools.product(
                EventPage.Category.values, [*EventPage.Format.values, ""]
            )
        ]
        made += [
            event(next(counter), date_precision=precision, end_date=dt.date(2026, 5, 2))
            for precision in EventPage.DatePrecision.values
        ]
        made += [
            event(next(counter), listing_image=self.image),
            event(next(counter), listing_image=self.image, category="international"),
            event(
                next(counter),
                title=HOSTILE,
                summary=HOSTILE + " word" * 50,
                organiser=EventPage.Organiser.EXTERNAL,
                organiser_name=HOSTILE,
                venue=HOSTILE,
                city="",
                country="",
            ),
            event(next(counter), format=EventPage.Format.VIRTUAL, city="", country=""),
            event(next(counter), format="", city="", country="", summary=""),
            event(next(counter), category="retired-value", format="retired-value"),
        ]
        return made

    def test_a_card_is_the_old_templates_markup(self):
        engine = old_templates()
        labels = cards.shared_labels()
        for page in self.events():
            card = cards.event_card(page, None, labels, url_of)
            for level in ("h3", "h2", None):
                with self.subTest(title=page.title, level=level):
                    context = Context({"card": card, "level": level})
                    old = engine.get_template("includes/event_card.html").render(context)
                    self.assertEqual(cards.card_html(card, level), old)

    def test_a_grid_of_cards_is_the_old_templates_markup(self):
        made = cards.event_cards(self.events(), None, url_of)
        for level in ("h3", "h2"):
            context = Context({"cards": made, "level": level})
            old = old_templates().get_template("events/includes/event_cards.html").render(context)
            self.assertEqual(cards.card_grid_html(made, level), old)
        self.assertEqual(old.count("<picture>"), 2)
        self.assertEqual(old.count("event-card--international"), 5)
        self.assertEqual(cards.card_grid_html([]), '\n<ul class="card-grid">\n    \n</ul>\n')

    def test_a_list_is_the_old_templates_markup(self):
        lines = cards.event_lines(self.events(), None, url_of)
        template = old_templates().get_template("events/includes/event_list.html")
        for level, with_category in itertools.product(("h4", "h3", None), (False, True)):
            with self.subTest(level=level, with_category=with_category):
                context = {"lines": lines, "level": level, "with_category": with_category}
                old = template.render(Context(context))
                self.assertEqual(cards.event_list_html(lines, level, with_category), old)
        self.assertEqual(
            cards.event_list_html([]),
            old_templates()
            .get_template("events/includes/event_list.html")
            .render(Context({"lines": []})),
        )

    def test_hostile_values_are_escaped(self):
        hostile = self.events()[-4]
        card = cards.event_card(hostile, None, cards.shared_labels(), url_of)
        markup = cards.card_html(card) + cards.event_list_html([card], with_category=True)
        self.assertNotIn("<script>", markup)
        self.assertIn("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;", markup)
        self.assertIn('href="/events/&lt;scri/?a=1&amp;b=&lt;2&gt;"', markup)


class IndexMarkupTests(TestCase):
    """The index's per-option and per-section markup, written in Python, is what its
    template wrote."""

    @classmethod
    def setUpTestData(cls):
        cls.index = EventIndexPageFactory(parent=make_site_root())
        EventPageFactory(parent=cls.index, start_date=dt.date(2021, 2, 20))
        EventPageFactory(
            parent=cls.index, start_date=dt.date(2022, 3, 1), category=EventPage.Category.WEBINAR
        )

    def test_the_options_are_the_old_loops(self):
        loop = Engine(libraries=engines["django"].engine.libraries).from_string(
            '{% for value, label, selected in options %}<option value="{{ value }}"'
            "{% if selected %} selected{% endif %}>{{ label }}</option>{% endfor %}"
        )
        options = [
            (HOSTILE, HOSTILE, False),
            (2021, "2021", True),
            ("", EventPage.Category.WEBINAR.label, False),
        ]
        self.assertEqual(listing.options_html(options), loop.render(Context({"options": options})))
        for query in ("", "category=webinar&year=2022", "category=<b>&year=abc", "year=2021"):
            with self.subTest(query=query):
                form = listing.EventFilterForm(QueryDict(query), self.index.events, self.index.pk)
                for select in form.selects():
                    old = loop.render(Context({"options": select["options"]}))
                    self.assertEqual(select["options_html"], old)

    def test_a_sections_pagination_is_the_old_includes(self):
        engine = old_templates()
        old = engine.from_string(
            '{% include "events/includes/section_pagination.html" with page_obj=page '
            'label=_("Upcoming events pages") %}'
        )
        new = engine.from_string(
            '{% load event_tags %}{% section_pagination page _("Upcoming events pages") %}'
        )
        paginator = Paginator(list(range(30)), 12)
        pages = [paginator.page(number) for number in (1, 2, 3)]
        pages.append(Paginator([1], 12).page(1))  # one page: no navigation
        for page in pages:
            page.previous_url = f"?a=1&b={HOSTILE}#x" if page.has_previous() else None
            page.next_url = "?upcoming_page=2#upcoming-heading" if page.has_next() else None
            with self.subTest(number=page.number, pages=page.paginator.num_pages):
                context = {"page": page}
                self.assertEqual(new.render(Context(context)), old.render(Context(context)))
        self.assertNotIn("<script>", new.render(Context({"page": pages[1]})))

    def test_any_label_is_written_as_the_include_wrote_it(self):
        engine = old_templates()
        old = engine.from_string(
            '{% include "events/includes/section_pagination.html" with page_obj=page '
            "label=label %}"
        )
        new = engine.from_string("{% load event_tags %}{% section_pagination page label %}")
        page = Paginator(list(range(30)), 12).page(2)
        page.previous_url = page.next_url = "?page=1"
        for label in (HOSTILE, mark_safe("<i>Pages</i>"), gettext_lazy("Pages & more"), 12):
            with self.subTest(label=label):
                context = {"page": page, "label": label}
                self.assertEqual(new.render(Context(context)), old.render(Context(context)))
