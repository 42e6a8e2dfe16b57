"""The text of a directory card (people/cards.py): the card's markup, every value escaped."""

from bs4 import BeautifulSoup
from django.test import SimpleTestCase
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from people.cards import card_body_html, esc
from people.models import Person


def card(**fields):
    person = Person(first_name="Zeba", last_name="Aziz", honorific="Dr.", **fields)
    return card_body_html(person, "/member-directory/zeba-aziz/", [], "Specialties:")


class CardBodyTests(SimpleTestCase):
    def test_a_full_card(self):
        person = Person(
            honorific="Prof.",
            first_name="Zeba",
            last_name="Aziz",
            credentials="MBBS, FCPS",
            designation="Professor of oncology",
            institution="Aga Khan University",
            city="Karachi",
        )
        html = card_body_html(
            person, "/member-directory/zeba-aziz/", ["Breast", "Haematology"], "Specialties:"
        )
        self.assertHTMLEqual(
            html,
            '<div class="card__body">'
            '<h3 class="card__title">'
            '<a href="/member-directory/zeba-aziz/">Prof. Zeba Aziz</a></h3>'
            '<p class="person-card__credentials">MBBS, FCPS</p>'
            "<p>Professor of oncology</p>"
            '<p class="visually-hidden">Specialties:</p>'
            '<ul class="tag-list"><li>Breast</li><li>Haematology</li></ul>'
            '<p class="person-card__place">Aga Khan University, Karachi</p>'
            "</div>",
        )

    def test_what_is_not_known_is_left_out(self):
        body = BeautifulSoup(card(), "html.parser")
        self.assertEqual([tag.name for tag in body.div.find_all(recursive=False)], ["h3"])
        self.assertEqual(BeautifulSoup(card(city="Lahore"), "html.parser").p.text, "Lahore")
        only_institution = BeautifulSoup(card(institution="Mayo"), "html.parser")
        self.assertEqual(only_institution.p.text, "Mayo")

    def test_every_value_is_escaped(self):
        evil = '<script>alert("x")</script> & "quotes"'
        person = Person(
            first_name=evil, last_name=evil, credentials=evil, designation=evil,
            institution=evil, city=evil,
        )  # fmt: skip
        html = card_body_html(person, '/x/"onmouseover="y', [evil], evil)
        self.assertNotIn("<script>", html)
        self.assertNotIn('"onmouseover', html)
        soup = BeautifulSoup(html, "html.parser")
        self.assertEqual(soup.a["href"], '/x/"onmouseover="y')
        self.assertEqual(soup.select_one(".tag-list li").text, evil)
        self.assertEqual(soup.select_one(".person-card__place").text, f"{evil}, {evil}")


class EscapeTests(SimpleTestCase):
    def test_esc_is_django_s_conditional_escape(self):
        values = [
            "<script>alert('x')</script> & \"quotes\"",
            "Ünïcode — ‘quotes’ &amp;",
            "",
            42,
            mark_safe("<b>kept</b>"),
            gettext_lazy("Specialties:"),
        ]
        for value in values:
            with self.subTest(value=value):
                self.assertEqual(esc(value), str(conditional_escape(value)))
