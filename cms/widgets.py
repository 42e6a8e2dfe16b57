"""Form widgets for the public filter forms, rendered in Python.

Django renders a `<select>` through its form templates: one template include per
option. The directory's filters have dozens of options (every city and institution), and
rendering them was a quarter of the page's time. `PlainSelect` and `PlainTextInput`
write the markup of Django's own templates (django/forms/widgets/select.html,
select_option.html, input.html and attrs.html) directly, character for character;
people/tests/test_plain_select.py compares them.
"""

import html

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A single-choice `<select>` with the markup of Django's templates, without them.

    Grouped choices (optgroups) are left to Django's templates.
    """

    def render(self, name, value, attrs=None, renderer=None):
        if any(isinstance(label, (list, tuple)) for _value, label in self.choices):
            return super().render(name, value, attrs, renderer)
        selected_values = self.format_value(value)
        options = []
        selected_one = False
        for choice_value, label in self.choices:
            option_value = "" if choice_value is None else choice_value
            # As Django's optgroups(): only the first option with the value is selected.
            selected = not selected_one and str(option_value) in selected_values
            selected_one |= selected
            options.append(option_html(option_value, label, selected))
        attrs_html = attributes_html(self.build_attrs(self.attrs, attrs))
        select = f'<select name="{conditional_escape(name)}"{attrs_html}>'
        return mark_safe(select + "".join(options) + "\n</select>")


class PlainTextInput(forms.TextInput):
    """A text `<input>` with the markup of Django's input.html, without the template."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)  # None for an empty value: no value attribute
        value_html = "" if value is None else f' value="{conditional_escape(value)}"'
        attrs_html = attributes_html(self.build_attrs(self.attrs, attrs))
        input_type, name = conditional_escape(self.input_type), conditional_escape(name)
        return mark_safe(f'<input type="{input_type}" name="{name}"{value_html}{attrs_html}>')


def option_html(value, label, selected):
    """One `<option>` as select_option.html writes it, with the line around it; the
    label is localized as a template variable is, the value is not (stringformat)."""
    selected_html = " selected" if selected else ""
    if not isinstance(label, str):
        label = localize(label)  # a number, say; text is never changed by localize()
    return f'\n  <option value="{escape(value)}"{selected_html}>{escape(label)}</option>\n'


def escape(value):
    """`conditional_escape(value)` as a plain string, without Django's lazy-aware
    wrapper around every call (a select has an option per city or institution):
    markup stays as it is, anything else is escaped as Django's `escape()` does."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def attributes_html(attrs):
    """Each attribute as attrs.html writes it, in the order given: ` name="value"`, a
    bare ` name` for True, nothing for False."""
    html = []
    for name, value in attrs.items():
        if value is True:
            html.append(f" {conditional_escape(name)}")
        elif value is not False:
            html.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(html)
