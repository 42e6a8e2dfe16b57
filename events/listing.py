"""The events index: its filters (category, year) and the sections visitors see.

Filters arrive as plain GET parameters, so they work without JavaScript and can be
bookmarked. A value the site does not know (a mistyped year, an old category) is
ignored and named in a notice, never an error page.
"""

from django import forms
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from cms.pagination import CountingPaginator, paginate
from cms.request_memo import generation_cached, memoized

from .cards import attach_card_renditions

# How many recent international conferences the index shows before "see all".
INTERNATIONAL_PREVIEW = 4
# Upcoming events per page, in each upcoming section: the index stays small however
# many events are announced.
UPCOMING_PER_PAGE = 12
# Each upcoming section's page number, apart from the past events' `page`, so that
# paging through one section leaves the others where they are.
UPCOMING_PAGE_PARAM = "upcoming_page"
INTERNATIONAL_PAGE_PARAM = "international_page"
# The filter's choices change only when events do: kept until content changes.
FILTER_CHOICES_SECONDS = 3600
# What a line of a compact list shows, and what a card shows: each listing loads
# these columns only (not the body, materials or SEO fields).
LIST_FIELDS = (
    "title",
    "url_path",
    "listing_title",
    "category",
    "organiser",
    "organiser_name",
    "format",
    "date_precision",
    "start_date",
    "end_date",
    "venue",
    "city",
    "country",
)
CARD_FIELDS = (*LIST_FIELDS, "listing_summary", "summary", "listing_image")


class EventFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, events, index_id):
        """`events`: the EventPage queryset of the index `index_id`, offered as choices."""
        super().__init__(data)
        used = used_filter_values(events, index_id)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (value, label)
            for value, label in events.model.Category.choices
            if value in used["categories"]
        ]
        self.fields["year"].choices = [("", _("All years"))] + [
            (year, str(year)) for year in used["years"]
        ]

    def cleaned(self):
        """The valid filters only: an invalid field is dropped (see `ignored`)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def ignored(self):
        """(label, value, notice id) for each filter the site did not recognise.

        The notice's id is the one Django's widget names in `aria-describedby`.
        """
        self.is_valid()
        return [
            (self.fields[name].label, self.data.get(name, ""), self._error_id(self[name]))
            for name in self.errors
        ]

    @staticmethod
    def _error_id(field):
        return f"{field.auto_id}_error"

    @property
    def is_filtered(self):
        return bool(self.cleaned())

    def selects(self):
        """Each filter as a `<select>` shows it, for the template to write out.

        The names, ids, chosen option and, for a value not recognised, the
        `aria-invalid` and `aria-describedby` (the id of its notice) of Django's
        Select widget (tests compare the two), without its template per option: the
        index shows the form on every request.
        """
        return [self._select(self[name]) for name in self.fields]

    def _select(self, field):
        chosen = field.value()
        chosen = "" if chosen is None else str(chosen)
        options, found = [], False
        for value, label in field.field.choices:
            selected = not found and str(value) == chosen  # the first match, as Django
            found = found or selected
            options.append((value, label, selected))
        return {
            "name": field.html_name,
            "id": field.id_for_label,
            "label": field.label,
            "error_id": self._error_id(field) if field.errors else None,
            "options": options,
        }

    def filter(self, events):
        filters = self.cleaned()
        if "category" in filters:
            events = events.filter(category=filters["category"])
        if "year" in filters:
            events = events.filter(start_date__year=filters["year"])
        return events


def used_filter_values(events, index_id):
    """The categories and years the index's events use, kept until content changes.

    A publish, unpublish or move changes the content generation in the key, so a new
    category or year is offered on the next request. One query when it is not cached.
    """
    key = f"smop:event-filter-choices:{index_id}"

    def compute():
        rows = set(events.order_by().values_list("category", ExtractYear("start_date")).distinct())
        return {
            "categories": sorted({category for category, _year in rows}),
            "years": sorted({year for _category, year in rows if year is not None}, reverse=True),
        }

    return memoized(key, lambda: generation_cached(key, compute, FILTER_CHOICES_SECONDS))


def for_cards(events):
    """`events` with what a card shows: its columns and listing image, nothing more."""
    return events.only(*CARD_FIELDS).select_related("listing_image")


def for_list(events):
    """`events` with what the compact list shows (no image, no summary)."""
    return events.only(*LIST_FIELDS)


def sections(events, category=None):
    """The index's sections: upcoming SMOP events, international conferences, past.

    `events` is an EventPage queryset, already filtered.

    International conferences are listed by SMOP but run by others, so they have
    their own section: the upcoming ones, then a few recent ones. Filtering by the
    international category turns the upcoming and past lists into theirs instead.
    Upcoming events are shown as cards; past events and the international section
    as compact lists, so each loads only the columns it shows.
    """
    international = events.model.Category.INTERNATIONAL
    as_cards, as_list = for_cards(events), for_list(events)
    if category == international:
        return {
            "upcoming": as_cards.upcoming(),
            "international_upcoming": events.none(),
            "international_recent": [],
            "international_more": False,
            "past": as_list.past(),
        }
    abroad = as_list.international()
    recent = list(abroad.past()[: INTERNATIONAL_PREVIEW + 1])
    return {
        "upcoming": as_cards.smop().upcoming(),
        "international_upcoming": abroad.upcoming(),
        "international_recent": recent[:INTERNATIONAL_PREVIEW],
        "international_more": len(recent) > INTERNATIONAL_PREVIEW,
        "past": as_list.smop().past(),
    }


def paginate_counted(request, events, per_page, param="page"):
    """A page of `events`, counted in the same query as its rows."""
    return paginate(request, events, per_page, param, paginator_class=CountingPaginator)


def paginate_section(request, events, param, anchor):
    """One page of an upcoming section, numbered by its own query parameter.

    The page carries `previous_url` and `next_url` (None at either end): plain links
    that keep the filters and the other sections' pages, and return to the section.
    """
    page = paginate_counted(request, events, UPCOMING_PER_PAGE, param)
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


def prefetch_renditions(*listings):
    """The cards' renditions, in one query for every card of the listings."""
    attach_card_renditions(event.listing_image for events in listings for event in events)
