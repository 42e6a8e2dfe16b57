"""PlainSelect and PlainTextInput (cms/widgets.py) write exactly Django's own markup."""

from django import forms
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cms.widgets import PlainSelect, PlainTextInput

CHOICES = [
    ("", gettext_lazy("Any")),
    ("Karachi", "Karachi"),
    ("A & B <Hospital>", 'The "A & B" <Hospital>'),
    ("it's", "It's"),
    (None, "None as a value"),
    (7, 7),
    ("Karachi", "Karachi again"),  # the same value twice: only the first is selected
    ("safe", mark_safe("<b>safe</b>")),
]


class PlainSelectTests(SimpleTestCase):
    def assert_same_markup(self, choices, value, attrs=None, widget_attrs=None):
        django_select = forms.Select(attrs=widget_attrs, choices=choices)
        plain_select = PlainSelect(attrs=widget_attrs, choices=choices)
        self.assertHTMLEqual(
            plain_select.render("city", value, attrs), django_select.render("city", value, attrs)
        )
        self.assertEqual(
            plain_select.render("city", value, attrs), django_select.render("city", value, attrs)
        )

    def test_the_markup_is_django_s_character_for_character(self):
        for value in (None, "", "Karachi", "A & B <Hospital>", "it's", "7", 7, "unknown", ["x"]):
            with self.subTest(value=value):
                self.assert_same_markup(CHOICES, value, attrs={"id": "id_city"})

    def test_attributes_as_django_writes_them(self):
        attrs = {"id": "id_city", "aria-invalid": "true", "required": True, "disabled": False}
        self.assert_same_markup(CHOICES, "Karachi", attrs, widget_attrs={"class": 'a "b"'})

    def test_no_choices(self):
        self.assert_same_markup([], None, {"id": "id_city"})

    def test_grouped_choices_are_left_to_django(self):
        grouped = [("", "Any"), ("Punjab", [("Lahore", "Lahore"), ("Multan", "Multan")])]
        self.assert_same_markup(grouped, "Multan", {"id": "id_city"})

    def test_a_bound_form_field_renders_the_same(self):
        class Form(forms.Form):
            city = forms.ChoiceField(choices=CHOICES[:4], required=False)
            plain = forms.ChoiceField(choices=CHOICES[:4], required=False, widget=PlainSelect)

        form = Form({"city": "bad", "plain": "bad"})
        self.assertFalse(form.is_valid())  # errors add aria-invalid to both
        self.assertEqual(
            str(form["plain"]).replace("plain", "city"), str(form["city"]).replace("plain", "city")
        )


class PlainTextInputTests(SimpleTestCase):
    def test_the_markup_is_django_s_character_for_character(self):
        attrs = {"id": "id_q", "maxlength": "100", "required": True, "autofocus": False}
        for value in (None, "", "Zeba", 'a "b" <c> & d', "it's", 42, mark_safe("<i>x</i>")):
            with self.subTest(value=value):
                self.assertEqual(
                    PlainTextInput(attrs={"class": "x"}).render("q", value, attrs),
                    forms.TextInput(attrs={"class": "x"}).render("q", value, attrs),
                )

    def test_a_bound_form_field_renders_the_same(self):
        class Form(forms.Form):
            q = forms.CharField(max_length=5)
            plain = forms.CharField(max_length=5, widget=PlainTextInput)

        form = Form({"q": "too long", "plain": "too long"})
        self.assertFalse(form.is_valid())
        self.assertEqual(str(form["plain"]).replace("plain", "q"), str(form["q"]))
