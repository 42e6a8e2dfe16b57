"""The events index: its filters (category, year) and the sections visitors see.

Filters arrive as plain GET parameters, so they work without JavaScript and can be
bookmarked. A value the site does not know (a mistyped year, an old category) is
ignored and named in a notice, never an error page.
"""

from django import forms
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from cms.pagination import paginate

# How many recent international conferences the index shows before "see all".
INTERNATIONAL_PREVIEW = 4
# Upcoming events per page, in each upcoming section: the index stays small however
# many events are announced.
UPCOMING_PER_PAGE = 12
# Each upcoming section's page number, apart from the past events' `page`, so that
# paging through one section leaves the others where they are.
UPCOMING_PAGE_PARAM = "upcoming_page"
INTERNATIONAL_PAGE_PARAM = "international_page"


class EventFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, events):
        """`events`: the EventPage queryset the choices are offered from."""
        super().__init__(data)
        used = set(events.values_list("category", flat=True).distinct())
        self.fields["category"].choices = [("", _("All categories"))] + [
            (value, label) for value, label in events.model.Category.choices if value in used
        ]
        years = (
            events.exclude(start_date=None)
            .annotate(year=ExtractYear("start_date"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def cleaned(self):
        """The valid filters only: an invalid field is dropped (see `ignored`)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def ignored(self):
        """(label, value) for each filter the site did not recognise."""
        self.is_valid()
        return [(self.fields[name].label, self.data.get(name, "")) for name in self.errors]

    @property
    def is_filtered(self):
        return bool(self.cleaned())

    def filter(self, events):
        filters = self.cleaned()
        if "category" in filters:
            events = events.filter(category=filters["category"])
        if "year" in filters:
            events = events.filter(start_date__year=filters["year"])
        return events


def sections(events, category=None):
    """The index's sections: upcoming SMOP events, international conferences, past.

    `events` is an EventPage queryset, already filtered.

    International conferences are listed by SMOP but run by others, so they have
    their own section: the upcoming ones, then a few recent ones. Filtering by the
    international category turns the upcoming and past lists into theirs instead.
    """
    international = events.model.Category.INTERNATIONAL
    if category == international:
        return {
            "upcoming": events.upcoming(),
            "international_upcoming": events.none(),
            "international_recent": events.none(),
            "international_more": False,
            "past": events.past(),
        }
    smop, abroad = events.smop(), events.international()
    recent = list(abroad.past()[: INTERNATIONAL_PREVIEW + 1])
    return {
        "upcoming": smop.upcoming(),
        "international_upcoming": abroad.upcoming(),
        "international_recent": recent[:INTERNATIONAL_PREVIEW],
        "international_more": len(recent) > INTERNATIONAL_PREVIEW,
        "past": smop.past(),
    }


def paginate_section(request, events, param, anchor):
    """One page of an upcoming section, numbered by its own query parameter.

    The page carries `previous_url` and `next_url` (None at either end): plain links
    that keep the filters and the other sections' pages, and return to the section.
    """
    page = paginate(request, events, UPCOMING_PER_PAGE, param)
    page.previous_url = page.next_url = None
    if page.has_previous():
        page.previous_url = section_page_url(request, param, page.previous_page_number(), anchor)
    if page.has_next():
        page.next_url = section_page_url(request, param, page.next_page_number(), anchor)
    return page


def section_page_url(request, param, number, anchor):
    params = request.GET.copy()
    params[param] = number
    return f"?{params.urlencode()}#{anchor}"
