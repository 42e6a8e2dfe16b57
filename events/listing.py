"""The events index: its filters (category, year) and the sections visitors see.

Filters arrive as plain GET parameters, so they work without JavaScript and can be
bookmarked. A value the site does not know (a mistyped year, an old category) is
ignored and named in a notice, never an error page.
"""

import datetime as dt
import functools

from django import forms
from django.db.models import Count, Window
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.formats import localize
from django.utils.functional import Promise, cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.pagination import CountingPaginator, TotalCount, paginate
from cms.prepared import PreparedQuery, Row
from cms.renditions import ImageRow
from cms.request_memo import generation_cached, memoized, private_pages_q

from .cards import attach_card_renditions, esc

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
        """`events`: the EventPage queryset of the index `index_id`, offered as choices.

        It may be a function giving it: built only when the choices are not cached.
        """
        from .models import EventPage  # noqa: PLC0415 - the models import this module

        super().__init__(data)
        used = used_filter_values(events, index_id)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (value, label)
            for value, label in EventPage.Category.choices
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
            "options_html": options_html(options),
        }

    def year_bounds(self):
        """The chosen year's first and last days (what `start_date__year` compares), or ()."""
        year = self.cleaned().get("year")
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else ()


def _text(value):
    """A value as a template variable writes it: localized (a number), then escaped
    unless marked safe (as `conditional_escape`, a lazy translation read first)."""
    if isinstance(value, Promise):
        value = str(value)
    return esc(value if isinstance(value, str) else localize(value))


def options_html(options):
    """A select's `<option>`s, (value, label, selected) each, written as the template's
    loop wrote them: one string for the template, not a dozen nodes per option."""
    written = "".join(
        f'<option value="{_text(value)}"{" selected" if selected else ""}>{_text(label)}</option>'
        for value, label, selected in options
    )
    return mark_safe(written)  # Safe: every value and label went through _text


def used_filter_values(events, index_id):
    """The categories and years the index's events use, kept until content changes.

    A publish, unpublish or move changes the content generation in the key, so a new
    category or year is offered on the next request. One query when it is not cached.
    """
    key = f"smop:event-filter-choices:{index_id}"

    def compute():
        found = events() if callable(events) else events
        rows = set(found.order_by().values_list("category", ExtractYear("start_date")).distinct())
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


# The index's sections, each read by one query: its upcoming SMOP events (cards), the
# international conferences to come and a few recent ones, and the past events.
UPCOMING, INTERNATIONAL_UPCOMING, INTERNATIONAL_RECENT, PAST = (
    "upcoming",
    "international_upcoming",
    "international_recent",
    "past",
)


def section_events(events, section, international_only, now):
    """The events of one section: `events` is an EventPage queryset, already filtered.

    International conferences are listed by SMOP but run by others, so they have
    their own section: the upcoming ones, then a few recent ones. Filtering by the
    international category turns the upcoming and past lists into theirs instead
    (`international_only`; the international section is then not shown). Upcoming
    events are shown as cards; past events and the international section as compact
    lists, so each loads only the columns it shows.
    """
    if section == UPCOMING:
        found = for_cards(events)
        return (found if international_only else found.smop()).upcoming(now)
    found = for_list(events)
    if section == PAST:
        return (found if international_only else found.smop()).past(now)
    if section == INTERNATIONAL_UPCOMING:
        return found.international().upcoming(now)
    return found.international().past(now)


@functools.lru_cache(maxsize=256)
def section_query(section, index, hidden, category, by_year):
    """One section's query for the index `index` (its id, path and depth), compiled once.

    Its SQL depends on the index, the view restrictions (`hidden`, the condition the
    private pages match) and which filters are chosen (the category, one of a few);
    its values are the moment "now", the chosen year's first and last days and the
    page (LIMIT, OFFSET). The paged sections count their events in the same query.
    None for a section that shows nothing.
    """
    from .models import EventPage  # noqa: PLC0415 - the models import this module

    pk, path, depth = index
    parent = Page(pk=pk, path=path, depth=depth)
    international_only = category == EventPage.Category.INTERNATIONAL
    if international_only and section in (INTERNATIONAL_UPCOMING, INTERNATIONAL_RECENT):
        return None  # only international events are shown: no section of their own

    def build(now, *year_bounds):
        events = EventPage.objects.child_of(parent).live().exclude(hidden)
        if category:
            events = events.filter(category=category)
        if year_bounds:
            events = events.filter(start_date__range=year_bounds)
        found = section_events(events, section, international_only, now)
        if section == INTERNATIONAL_RECENT:
            return found
        if section == INTERNATIONAL_UPCOMING:
            # A few conferences at most: counted as they are read, which plans and
            # runs faster than a second count of so few.
            return found.annotate(_total_count=Window(Count("*")))
        # Counted apart from the page, so that the page stops at its LIMIT instead of
        # joining every event of the section: upcoming events come in date order from
        # an index, past ones from event_past_order on PostgreSQL (events 0006).
        return found.annotate(_total_count=TotalCount(found))

    kinds = (dt.datetime, *(dt.date,) * (2 * by_year))
    # A card's image is read as a row too: its picture needs a few of its columns.
    related_rows = {"listing_image": ImageRow} if section == UPCOMING else None
    return PreparedQuery(build, kinds=kinds, paged=True, rows=EventRow, related_rows=related_rows)


class EventRow(Row):
    """An event of a section: the columns its card or line shows (`LIST_FIELDS`,
    `CARD_FIELDS`, `listing_image` a cms.renditions.ImageRow or None), not a page.

    The cards and lines read only these; a listing of dozens of events would spend
    more making pages than writing their markup.
    """

    def get_url(self, request=None):
        """The event's URL, as its page gives it (from its URL path)."""
        from .models import EventPage  # noqa: PLC0415 - the models import this module

        return EventPage(id=self.page_ptr_id, url_path=self.url_path).get_url(request)


def section_rows(index, form):
    """A function of a section giving its SectionRows, for the index and its filters.

    What every section shares (the filters, the view restrictions, "now") is worked
    out once.
    """
    category = form.cleaned().get("category")
    bounds = form.year_bounds()
    shape = ((index.pk, index.path, index.depth), private_pages_q(), category, bool(bounds))
    values = (timezone.now(), *bounds)
    return lambda section: SectionRows(section_query(section, *shape), values)


class SectionRows:
    """Pages of one section's events: `rows(limit, offset)`, read by its prepared query."""

    def __init__(self, query, values):
        self.query, self.values = query, values

    def __call__(self, limit, offset):
        if self.query is None:
            return []
        return self.query.run(*self.values, limit, offset)


class PreparedPaginator(CountingPaginator):
    """A CountingPaginator of a section's rows: `object_list` is a SectionRows, which
    gives a page of rows, each with the section's total, from its prepared query."""

    @cached_property
    def count(self):
        rows = self.object_list(1, 0)
        return rows[0]._total_count if rows else 0

    def rows(self, limit, offset):
        return self.object_list(limit, offset)


def paginate_section(request, rows, per_page, param="page", anchor=None):
    """One page of a section, numbered by its own query parameter, counted as it is read.

    An upcoming section's page (with an `anchor`) carries `previous_url` and
    `next_url` (None at either end): plain links that keep the filters and the other
    sections' pages, and return to the section.
    """
    page = paginate(request, rows, per_page, param, paginator_class=PreparedPaginator)
    if anchor is None:
        return page
    page.previous_url = page.next_url = None
    if page.has_previous():
        page.previous_url = section_page_url(request, param, page.previous_page_number(), anchor)
    if page.has_next():
        page.next_url = section_page_url(request, param, page.next_page_number(), anchor)
    return page


def section_pagination_html(page, label):
    """Previous/next links for one upcoming section, around "Page 2 of 5".

    `page` comes from `paginate_section` with an anchor (its `previous_url` and
    `next_url`); `label` names the navigation for screen readers. Nothing when the
    section fits on one page. Plain links: they work without JavaScript, keep the
    filters and the other sections' pages, and return to the section's heading. The
    markup is the one its include wrote (events/tests/test_card_markup.py).
    """
    if not page.has_other_pages():
        return mark_safe("\n\n\n")
    current = gettext("Page %(number)s of %(total)s") % {
        "number": _text(page.number),
        "total": _text(page.paginator.num_pages),
    }
    parts = [f'\n\n\n<nav class="pagination" aria-label="{_text(label)}">\n    <ul>\n        ']
    if page.previous_url:
        previous = _text(gettext("Previous page"))
        parts.append(
            f'\n            <li><a href="{_text(page.previous_url)}">{previous}</a></li>\n        '
        )
    parts.append(f'\n        <li class="pagination__current">{current}</li>\n        ')
    if page.next_url:
        following = _text(gettext("Next page"))
        parts.append(
            f'\n            <li><a href="{_text(page.next_url)}">{following}</a></li>\n        '
        )
    parts.append("\n    </ul>\n</nav>\n\n")
    # Safe: the URLs, label, page numbers and words went through _text; the sentence
    # around the numbers is the site's own translation, which blocktranslate did not
    # escape either.
    return mark_safe("".join(parts))


def section_page_url(request, param, number, anchor):
    params = request.GET.copy()
    params[param] = number
    return f"?{params.urlencode()}#{anchor}"


def prefetch_renditions(*listings):
    """The cards' renditions, in one query for every card of the listings."""
    attach_card_renditions(event.listing_image for events in listings for event in events)
