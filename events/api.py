"""/api/v2/events/: events a frontend can filter by time, category, organiser and date."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import LocaleFilter, OrderingFilter
from wagtail.api.v2.utils import BadRequestError, parse_boolean
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from cms.api_base import (
    IdParametersFilter,
    PublicPagesMixin,
    SafeFieldsFilter,
    SafeSearchFilter,
    register_property_field,
)
from cms.serializers import PAGE_LINK_COLUMNS, InstanceField

from . import dates
from .cards import shared_labels
from .models import EventPage


def parse_flag(request, name):
    """A true/false parameter, None when absent, 400 when neither."""
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        return parse_boolean(value)
    except ValueError as error:
        raise BadRequestError(f"{name} must be 'true' or 'false'") from error


def parse_choices(request, name, choices):
    """Comma-separated choice values, each checked; None when absent."""
    value = request.GET.get(name)
    if value is None:
        return None
    values = [item.strip() for item in value.split(",") if item.strip()]
    allowed = [choice.value for choice in choices]
    unknown = [item for item in values if item not in allowed]
    if unknown or not values:
        raise BadRequestError(f"{name} must be one or more of: {', '.join(allowed)}")
    return values


def parse_day(request, name):
    """A YYYY-MM-DD parameter as the start of that day in the society's time zone."""
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise BadRequestError(f"{name} must be a date as YYYY-MM-DD") from error
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


class EventFilter(BaseFilterBackend):
    """upcoming, past, category, organiser, format, start_after, start_before.

    Upcoming and past come from the dates, as on the site: an event is upcoming
    until it ends. Dates are days in Pakistan time, both ends included.
    """

    def filter_queryset(self, request, queryset, view):
        events = EventPage.objects.all()
        upcoming, past = parse_flag(request, "upcoming"), parse_flag(request, "past")
        if upcoming and past:
            raise BadRequestError("choose upcoming or past, not both")
        now = timezone.now()
        if upcoming or past is False:
            events = events.upcoming(now)
        elif past or upcoming is False:
            events = events.past(now)
        for name, choices in (
            ("category", EventPage.Category),
            ("format", EventPage.Format),
        ):
            values = parse_choices(request, name, choices)
            if values is not None:
                events = events.filter(**{f"{name}__in": values})
        events = self.filter_dates(request, self.filter_organiser(request, events))
        if events.query.where:
            # By id, so the filters also work with ?search= (which filters indexed
            # fields only) and leave the listing's own order alone.
            queryset = queryset.filter(pk__in=events.order_by().values("pk"))
        return queryset

    def filter_organiser(self, request, queryset):
        """'smop', 'external', or an organising body's name ('ASCO')."""
        organiser = request.GET.get("organiser", "").strip()
        if not organiser:
            return queryset
        if organiser in EventPage.Organiser.values:
            return queryset.filter(organiser=organiser)
        return queryset.filter(organiser_name__iexact=organiser)

    def filter_dates(self, request, queryset):
        start_after = parse_day(request, "start_after")
        start_before = parse_day(request, "start_before")
        if start_after and start_before and start_before < start_after:
            raise BadRequestError("start_before must not be earlier than start_after")
        if start_after:
            queryset = queryset.filter(starts_at__gte=start_after)
        if start_before:
            queryset = queryset.filter(starts_at__lt=start_before + datetime.timedelta(days=1))
        return queryset


class EventsAPIViewSet(PublicPagesMixin, PagesAPIViewSet):
    """Live, public events, soonest first (past=true: most recent first)."""

    name = "events"
    model = EventPage
    filter_backends = [
        IdParametersFilter,
        SafeFieldsFilter,
        EventFilter,
        LocaleFilter,
        OrderingFilter,
        SafeSearchFilter,  # last: search results cannot be filtered further
    ]
    custom_filter_fields = ("category", "organiser", "format")
    known_query_parameters = BaseAPIViewSet.known_query_parameters.union(
        [
            "site",
            "locale",
            "upcoming",
            "past",
            "category",
            "organiser",
            "format",
            "start_after",
            "start_before",
        ]
    )
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "listing_title",
        "listing_summary",
        "listing_image",
        "category",
        "category_label",
        "organiser_label",
        "format",
        "date_label",
        "starts_at",
        "ends_at",
        "is_upcoming",
        "city",
        "country",
        "summary",
    ]

    listing_columns = (
        *PAGE_LINK_COLUMNS,
        "listing_title",
        "listing_summary",
        "category",
        "organiser",
        "organiser_name",
        "format",
        "date_precision",
        "start_date",
        "end_date",
        "starts_at",
        "ends_at",
        "city",
        "country",
        "summary",
    )

    def queryset_shape(self):
        # The order; the rest is the public pages' (see `base_listing_shape`).
        return ("events", bool(parse_flag(self.request, "past")))

    def get_queryset(self):
        if "type" in self.request.GET:
            raise BadRequestError("this endpoint lists events only; use /pages/ for types")
        events = self.public_pages_of(EventPage)
        if parse_flag(self.request, "past"):
            return events.order_by(F("starts_at").desc(nulls_last=True), "title", "pk")
        return events.order_by(F("starts_at").asc(nulls_last=True), "title", "pk")


class EventLabelField(InstanceField):
    """A label property of an event, from the words of the request's language
    translated once (`events.cards.shared_labels`) rather than once per event."""

    def labels(self):
        # Looked up once per serializer, which serves one request (one language).
        if "_labels" not in self.__dict__:
            self._labels = shared_labels()
        return self._labels


class DateLabelField(EventLabelField):
    """`EventPage.date_label`."""

    def to_representation(self, event):
        months = self.labels()["months"]
        return dates.date_label(event.date_precision, event.start_date, event.end_date, months)


class OrganiserLabelField(EventLabelField):
    """`EventPage.organiser_label`."""

    def to_representation(self, event):
        if event.organiser == EventPage.Organiser.SMOP:
            return self.labels()["smop"]
        return event.organiser_name


register_property_field(EventPage, "date_label", DateLabelField)
register_property_field(EventPage, "organiser_label", OrganiserLabelField)
