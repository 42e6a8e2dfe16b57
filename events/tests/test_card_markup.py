"""The cards and compact lists written in Python (events.cards) are byte for byte what
their templates wrote. The old templates are kept as fixtures only, in fixtures/."""

import datetime as dt
import itertools
from pathlib import Path

from django.template import Context, Engine, engines
from django.test import TestCase

from cms.factories import SiteImageFactory
from events import cards
from events.models import EventPage

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = "<script>alert('x')</script> & \"quoted\""


def old_templates():
    """An engine with the old templates under their old names, and the site's tags."""
    names = {
        "includes/event_card.html": "old_event_card.html",
        "events/includes/event_cards.html": "old_event_cards.html",
        "events/includes/event_list.html": "old_event_list.html",
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
