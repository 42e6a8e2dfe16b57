"""A directory page's query compiled once per shape (DirectorySearch, people/prepared_text.py)
gives what the ORM's own queryset gives, and the cards and filter fields written in Python
are what the template wrote."""

from importlib import import_module

from django.db import connection
from django.db.models import Q
from django.template import Context, Template
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe

from cms.factories import SiteImageFactory
from cms.models import SiteImage
from people.cards import card_html
from people.factories import PersonFactory, SpecialtyFactory
from people.models import (
    CARD_FIELDS,
    DirectoryFilterForm,
    DirectorySearch,
    Person,
    PlainChoices,
    add_card_photos,
    directory_results,
    held_specialty_ids,
)
from people.prepared_text import instance_maker

# The loops member_directory_page.html ran before cards and fields were written in Python.
TEMPLATE_CARD = """{% load image_tags %}
                    <li><article class="card person-card">
                        <div class="person-card__photo">
                            {% if person.photo %}
                                {% picture person.photo format-{webp,jpeg} fill-{160x160,320x320} sizes="5rem" loading="lazy" %}
                            {% else %}
                                <span class="person-card__initials" aria-hidden="true">{{ person.first_name|first }}{{ person.last_name|first }}</span>
                            {% endif %}
                        </div>
                        {{ person.card_body }}
                    </article></li>
                """  # noqa: E501
TEMPLATE_FIELDS = """{% for field in form %}
                    <div class="field">
                        <label for="{{ field.id_for_label }}">{{ field.label }}</label>
                        {{ field }}
                        {% if field.errors %}<div class="field__errors" id="{{ field.auto_id }}-errors">{{ field.errors }}</div>{% endif %}
                    </div>
                {% endfor %}"""  # noqa: E501


class DirectorySearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        haematology = SpecialtyFactory(name="Haematology")
        breast = SpecialtyFactory(name="Breast oncology")
        people = [
            ("Amna", "Alpha", "Lahore", "Institute One", [haematology]),
            ("Bilal", "Bravo", "Karachi", "Institute Two", [breast]),
            ("Hina", "Alpha", "Karachi", "Institute One", [haematology, breast]),
            ("Omar", "Charlie", "Karachi", "Institute Two", []),
            ("Sa_ra", "100%", "Karachi", "Institute Two", []),
            ("Zeb\\a", "D'Souza", "Quetta", "Institute Three", [breast]),
        ]
        for first, last, city, institution, specialties in people:
            PersonFactory(
                first_name=first,
                last_name=last,
                city=city,
                institution=institution,
                specialties=specialties,
            )
        PersonFactory(first_name="Dina", last_name="Alpha", city="Karachi", draft=True)
        PersonFactory(first_name="Umar", last_name="Alpha", city="Karachi", unlisted=True)

    SEARCHES = [
        ((), {}),
        (("alpha",), {}),
        (("a",), {}),
        (("alpha", "hina"), {}),
        (("100%",), {}),
        (("sa_ra",), {}),
        (("s_ra",), {}),
        (("zeb\\a",), {}),
        (("d'souza",), {}),
        (("nobody",), {}),
        ((), {"city": "Karachi"}),
        ((), {"specialty": "breast-oncology", "city": "Karachi"}),
        (("a",), {"specialty": "haematology", "city": "Karachi", "institution": "Institute One"}),
        ((), {"institution": "Institute Two"}),
        ((), {"city": "Nowhere"}),
    ]

    def assert_same_pages(self, words, filters, counted_apart):
        search = DirectorySearch(words, filters, counted_apart=counted_apart)
        expected = list(directory_results(words, filters))
        for limit, offset in ((2, 0), (2, 2), (10, 0), (3, 5), (2, 50)):
            with self.subTest(words=words, filters=filters, limit=limit, offset=offset):
                rows = search.rows(limit, offset)
                self.assertEqual(rows, expected[offset : offset + limit])
                for row in rows:
                    self.assertEqual(row._total_count, len(expected))
                    held = Person.specialties.through.objects.filter(person=row)
                    self.assertEqual(
                        set(held_specialty_ids(row._specialty_ids)),
                        set(held.values_list("specialty_id", flat=True)),
                    )

    def test_every_shape_gives_the_querysets_pages(self):
        for words, filters in self.SEARCHES:
            self.assert_same_pages(words, filters, counted_apart=False)
        self.assert_same_pages((), {}, counted_apart=True)

    def test_each_shape_is_one_query(self):
        search = DirectorySearch(("alpha",), {"city": "Karachi"})
        search.rows(2, 0)  # compiled
        with CaptureQueriesContext(connection) as queries:
            search.rows(2, 0)
        self.assertEqual(len(queries), 1)
        # The specialties' subquery runs over the page, not over the rows OFFSET skips.
        aggregate = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
        self.assertTrue(queries[0]["sql"].startswith(f'SELECT "page".*, (SELECT {aggregate}('))

    def test_the_public_card_index_holds_a_page_of_cards(self):
        """On PostgreSQL a search reads person_public_cards alone (an index-only scan)."""
        index = import_module("people.migrations.0006_person_public_cards").PUBLIC_CARDS
        self.assertEqual(index.condition, Q(live=True, listed_in_directory=True))
        self.assertEqual(index.fields, ["last_name", "first_name", "id"])
        self.assertEqual({*index.fields, *index.include}, {"id", "search_name", *CARD_FIELDS})

    def test_no_draft_unlisted_or_private_field_is_loaded(self):
        public = set(Person.objects.public().values_list("pk", flat=True))
        card_attnames = {"id", *(Person._meta.get_field(name).attname for name in CARD_FIELDS)}
        for words, filters in self.SEARCHES:
            for person in DirectorySearch(words, filters).rows(100, 0):
                with self.subTest(words=words, person=person.full_name):
                    self.assertIn(person.pk, public)
                    deferred = person.get_deferred_fields()
                    self.assertTrue(set(Person.PRIVATE_FIELDS) <= deferred)
                    self.assertIn("biography", deferred)
                    loaded = {f.attname for f in Person._meta.concrete_fields} - deferred
                    self.assertEqual(loaded, card_attnames)

    def test_rows_are_the_instances_from_db_makes(self):
        attnames = ["id", "first_name", "last_name", "photo_id"]
        values = (7, "Amna", "Alpha", None)
        made = instance_maker(Person, "default", attnames)(values)
        expected = Person.from_db("default", attnames, values)
        self.assertEqual(made.__dict__.keys(), expected.__dict__.keys())
        self.assertEqual(made.get_deferred_fields(), expected.get_deferred_fields())
        self.assertEqual((made._state.adding, made._state.db), (False, "default"))
        self.assertEqual((made.pk, made.first_name, made.photo_id), (7, "Amna", None))

    def test_a_model_with_post_init_receivers_keeps_its_constructor(self):
        # Wagtail's image field updates its dimensions on post_init.
        maker = instance_maker(SiteImage, "default", ["id", "title"])
        self.assertIsInstance(maker((1, "Portrait")), SiteImage)
        self.assertEqual(maker.__name__, "<lambda>")


class DirectoryMarkupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.photo = SiteImageFactory(title='Portrait of "Zeba" & co')
        cls.with_photo = PersonFactory(first_name="Zeba", last_name="Aziz", photo=cls.photo)
        cls.without_photo = PersonFactory(first_name="<b>Ümar", last_name="&Alpha")

    def test_a_card_is_what_the_template_wrote(self):
        request = RequestFactory().get("/")
        for saved in (self.with_photo, self.without_photo):
            for has_photo in (True, False):
                with self.subTest(person=saved.full_name, has_photo=has_photo):
                    person = Person.objects.get(pk=saved.pk)
                    add_card_photos([person])
                    if not has_photo:
                        person.photo = None
                    person.card_body = mark_safe("<div>body</div>")
                    expected = Template(TEMPLATE_CARD).render(
                        Context({"person": person, "request": request})
                    )
                    self.assertEqual(card_html(person), expected)


class FilterFieldsTests(SimpleTestCase):
    CHOICES = {
        "specialty": [("haematology", "Haematology")],
        "city": [("Karachi", "Karachi"), ('A & "B"', "<A & B>")],
        "institution": [],
    }

    def test_the_fields_are_what_the_template_wrote(self):
        for data in (
            {},
            {"q": "zeba <aziz>", "city": 'A & "B"'},
            {"city": "Nowhere", "q": "x" * 101},
        ):
            with self.subTest(data=data):
                form = DirectoryFilterForm(data, choices=self.CHOICES)
                form.is_valid()
                expected = Template(TEMPLATE_FIELDS).render(Context({"form": form}))
                self.assertEqual(form.fields_html(), expected)

    def test_choices_are_taken_as_given(self):
        form = DirectoryFilterForm({}, choices=self.CHOICES)
        choices = form.fields["city"].choices
        self.assertIsInstance(choices, PlainChoices)
        self.assertEqual(list(choices), [("", "Any"), *self.CHOICES["city"]])
        self.assertIs(form.fields["city"].widget.choices, choices)
        self.assertTrue(form.fields["city"].valid_value('A & "B"'))
