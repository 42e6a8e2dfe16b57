"""Events: SMOP's own and the international conferences it recommends.

Whether an event is upcoming or past is derived from its dates, never set by hand.
"""

import functools
import operator
from functools import reduce
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from cms.models import BasePage
from cms.pagination import PAGE_SIZE_VALIDATORS
from cms.prepared import PreparedQuery
from cms.request_memo import page_view_restrictions, private_pages_q
from cms.serializers import ChoiceLabelField, PageLinkField
from gallery.models import GalleryImage, GalleryPage
from gallery.serializers import EventGalleriesField
from people.serializers import PersonField, SpeakersField

from . import cards, dates, listing
from .blocks import EventMaterialsBlock
from .calendar import event_ics_response, has_calendar_entry
from .feeds import calendar_feed_response, rss_response

# The zones SMOP's own and recommended events are held in, by region, Pakistan first:
# (zone, city, country). A fixed list, not the host's tz database, because the
# choices are written into the migrations. The city names the zone for visitors.
TIMEZONE_REGIONS = [
    (_("Pakistan"), [("Asia/Karachi", _("Karachi"), _("Pakistan"))]),
    (
        _("Gulf and Middle East"),
        [
            ("Asia/Dubai", _("Dubai"), _("United Arab Emirates")),
            ("Asia/Riyadh", _("Riyadh"), _("Saudi Arabia")),
            ("Asia/Qatar", _("Doha"), _("Qatar")),
            ("Asia/Muscat", _("Muscat"), _("Oman")),
            ("Asia/Kuwait", _("Kuwait"), None),
            ("Asia/Bahrain", _("Manama"), _("Bahrain")),
            ("Europe/Istanbul", _("Istanbul"), _("Türkiye")),
            ("Africa/Cairo", _("Cairo"), _("Egypt")),
        ],
    ),
    (
        _("South Asia"),
        [
            ("Asia/Kolkata", _("Kolkata"), _("India")),
            ("Asia/Dhaka", _("Dhaka"), _("Bangladesh")),
            ("Asia/Colombo", _("Colombo"), _("Sri Lanka")),
            ("Asia/Kathmandu", _("Kathmandu"), _("Nepal")),
            ("Asia/Kabul", _("Kabul"), _("Afghanistan")),
        ],
    ),
    (
        _("East and South-East Asia"),
        [
            ("Asia/Bangkok", _("Bangkok"), _("Thailand")),
            ("Asia/Kuala_Lumpur", _("Kuala Lumpur"), _("Malaysia")),
            ("Asia/Singapore", _("Singapore"), None),
            ("Asia/Shanghai", _("Beijing"), _("China")),
            ("Asia/Hong_Kong", _("Hong Kong"), None),
            ("Asia/Seoul", _("Seoul"), _("South Korea")),
            ("Asia/Tokyo", _("Tokyo"), _("Japan")),
        ],
    ),
    (
        _("Europe"),
        [
            ("Europe/London", _("London"), _("United Kingdom")),
            ("Europe/Paris", _("Paris"), _("France")),
            ("Europe/Madrid", _("Madrid"), _("Spain")),
            ("Europe/Berlin", _("Berlin"), _("Germany")),
            ("Europe/Amsterdam", _("Amsterdam"), _("Netherlands")),
            ("Europe/Vienna", _("Vienna"), _("Austria")),
            ("Europe/Rome", _("Rome"), _("Italy")),
        ],
    ),
    (
        _("Americas"),
        [
            ("America/New_York", _("New York"), _("United States, Eastern")),
            ("America/Chicago", _("Chicago"), _("United States, Central")),
            ("America/Denver", _("Denver"), _("United States, Mountain")),
            ("America/Los_Angeles", _("Los Angeles"), _("United States, Pacific")),
            ("America/Toronto", _("Toronto"), _("Canada, Eastern")),
            ("America/Sao_Paulo", _("São Paulo"), _("Brazil")),
        ],
    ),
    (
        _("Africa"),
        [
            ("Africa/Nairobi", _("Nairobi"), _("Kenya")),
            ("Africa/Johannesburg", _("Johannesburg"), _("South Africa")),
        ],
    ),
    (
        _("Australia"),
        [
            ("Australia/Sydney", _("Sydney"), _("Australia, Eastern")),
            ("Australia/Perth", _("Perth"), _("Australia, Western")),
        ],
    ),
    (_("Universal"), [("UTC", _("UTC"), _("Coordinated Universal Time"))]),
]


def _zone_label(city, country):
    return format_lazy("{} ({})", city, country) if country else city


TIMEZONE_CHOICES = [
    (region, [(zone, _zone_label(city, country)) for zone, city, country in zones])
    for region, zones in TIMEZONE_REGIONS
]
TIMEZONE_CITIES = {zone: city for _, zones in TIMEZONE_REGIONS for zone, city, _ in zones}
DEFAULT_TIMEZONE = "Asia/Karachi"


@functools.cache
def _choice_labels(choices):
    return dict(choices.choices)


def choice_label(choices, value):
    """What Django's get_FOO_display() gives: the label in the active language, or the value."""
    label = _choice_labels(choices).get(value)
    return value if label is None else str(label)


class EventIndexPage(RoutablePageMixin, BasePage):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    past_per_page = models.PositiveSmallIntegerField(
        default=12,
        validators=PAGE_SIZE_VALIDATORS,
        help_text=_("How many past events to show on each page (1 to 100)."),
    )
    no_upcoming_message = models.TextField(
        blank=True,
        default=_("No events are scheduled just now. Browse our past events below."),
        help_text=_("Shown when there are no upcoming events."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("no_upcoming_message"),
        FieldPanel("past_per_page"),
    ]
    api_fields = BasePage.api_fields + [APIField("intro"), APIField("no_upcoming_message")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("event index page")

    def events(self):
        # `.public()` without its query: the view restrictions are read once per request.
        return EventPage.objects.child_of(self).live().exclude(private_pages_q())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = listing.EventFilterForm(request.GET, self.events, self.pk)
        rows = listing.section_rows(self, form)
        upcoming, international, recent, past = (
            rows(section)
            for section in (
                listing.UPCOMING,
                listing.INTERNATIONAL_UPCOMING,
                listing.INTERNATIONAL_RECENT,
                listing.PAST,
            )
        )
        context["filter_form"] = form
        context["upcoming_events"] = listing.paginate_section(
            request,
            upcoming,
            listing.UPCOMING_PER_PAGE,
            listing.UPCOMING_PAGE_PARAM,
            "upcoming-heading",
        )
        context["international_upcoming"] = listing.paginate_section(
            request,
            international,
            listing.UPCOMING_PER_PAGE,
            listing.INTERNATIONAL_PAGE_PARAM,
            "international-heading",
        )
        recent_events = recent(listing.INTERNATIONAL_PREVIEW + 1, 0)
        context["international_recent"] = recent_events[: listing.INTERNATIONAL_PREVIEW]
        context["international_more"] = len(recent_events) > listing.INTERNATIONAL_PREVIEW
        context["past_events"] = listing.paginate_section(request, past, self.past_per_page)
        # The cards' renditions: one query, however many cards (past events and
        # international conferences are compact lists, without images). Every event
        # is a child of this page: its URL is this page's and its slug.
        listing.prefetch_renditions(context["upcoming_events"])
        # The page's own URL: the form's action, "Show all events" and its children's.
        context["page_url"] = self.get_url(request)
        url_of = cards.child_url_builder(self, request, context["page_url"])
        context["upcoming_cards"] = cards.event_cards(context["upcoming_events"], request, url_of)
        for name, found in (
            ("past_lines", context["past_events"]),
            ("international_upcoming_lines", context["international_upcoming"]),
            ("international_recent_lines", context["international_recent"]),
        ):
            context[name] = cards.event_lines(found, request, url_of)
        return context

    # Routes are tried before child pages, so EventPage.clean keeps these slugs free.
    @path("calendar/", name="calendar")
    def calendar_feed(self, request):
        """An iCalendar subscription of the upcoming events."""
        return calendar_feed_response(self, request)

    @path("feed/", name="feed")
    def rss_feed(self, request):
        """An RSS feed of the upcoming events."""
        return rss_response(self, request)

    @property
    def calendar_url(self):
        return self._route_url("calendar")

    @property
    def feed_url(self):
        return self._route_url("feed")

    def _route_url(self, name):
        url = self.url
        return url + self.reverse_subpage(name) if url else None


# Slugs an event cannot take: the events index answers them itself.
RESERVED_EVENT_SLUGS = {"calendar", "feed"}


class EventPageQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Events that have not yet ended, soonest first."""
        now = now or timezone.now()
        return self.filter(ends_at__gt=now).order_by("starts_at")

    def past(self, now=None):
        """Ended events, most recent first; undated (archived) events last."""
        now = now or timezone.now()
        return self.filter(models.Q(ends_at__lte=now) | models.Q(ends_at__isnull=True)).order_by(
            models.F("starts_at").desc(nulls_last=True), "title"
        )

    def international(self):
        return self.filter(category=EventPage.Category.INTERNATIONAL)

    def smop(self):
        return self.exclude(category=EventPage.Category.INTERNATIONAL)


class EventPage(RoutablePageMixin, BasePage):
    class Category(models.TextChoices):
        CONFERENCE = "conference", _("SMOP conference")
        SYMPOSIUM = "symposium", _("Symposium")
        WORKSHOP = "workshop", _("Workshop")
        MEETING = "meeting", _("Meeting")
        WEBINAR = "webinar", _("Webinar")
        INTERNATIONAL = "international", _("International conference")

    class Organiser(models.TextChoices):
        SMOP = "smop", _("SMOP")
        EXTERNAL = "external", _("Another organisation")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    class DatePrecision(models.TextChoices):
        TIME = dates.Precision.TIME, _("Dates and times")
        DAY = dates.Precision.DAY, _("Dates only (all day)")
        MONTH = dates.Precision.MONTH, _("Month only: the day is not known")
        YEAR = dates.Precision.YEAR, _("Year only: the month is not known")
        UNKNOWN = dates.Precision.UNKNOWN, _("Date not recorded (past events only)")

    category = models.CharField(max_length=20, choices=Category.choices)
    organiser = models.CharField(max_length=20, choices=Organiser.choices, default=Organiser.SMOP)
    organiser_name = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The organising body, when it is not SMOP (e.g. 'ASCO')."),
    )
    summary = models.TextField(
        help_text=_("A short description for listings and the top of the page.")
    )
    body = StreamField(BaseStreamBlock(), blank=True)

    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "How much of the date is known. For a month or a year, any day in it will "
            "do: only the month or year is shown."
        ),
    )
    start_date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(
        null=True, blank=True, help_text=_("Only with 'Dates and times'.")
    )
    end_date = models.DateField(
        null=True, blank=True, help_text=_("Leave blank for a one-day event.")
    )
    end_time = models.TimeField(
        null=True,
        blank=True,
        help_text=_("Only with 'Dates and times'. Blank: until the end of the last day."),
    )
    timezone = models.CharField(
        max_length=64,
        choices=TIMEZONE_CHOICES,
        default=DEFAULT_TIMEZONE,
        help_text=_("The time zone the dates and times above are in."),
    )
    # Derived from the fields above on save, for filtering and sorting.
    starts_at = models.DateTimeField(null=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(null=True, editable=False, db_index=True)

    format = models.CharField(
        max_length=20,
        choices=Format.choices,
        blank=True,
        default=Format.IN_PERSON,
        help_text=_("Leave blank if the format is not known."),
    )
    venue = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)

    registration_url = models.URLField(_("registration link"), blank=True)
    registration_deadline = models.DateField(
        null=True, blank=True, help_text=_("Last day to register. Blank: until the event starts.")
    )
    website_url = models.URLField(_("event website"), blank=True)
    cme_credits = models.DecimalField(
        _("CME credits"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    gallery = models.ForeignKey(
        "gallery.GalleryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Photos from this event. Albums that name this event are shown too."),
    )
    materials = StreamField(
        EventMaterialsBlock(),
        blank=True,
        help_text=_("Slides, recordings and other material from the event."),
    )

    objects = PageManager.from_queryset(EventPageQuerySet)()

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("category"), FieldPanel("format")]),
        FieldRowPanel([FieldPanel("organiser"), FieldPanel("organiser_name")]),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    when_where_panels = [
        MultiFieldPanel(
            [
                FieldPanel("date_precision"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
                FieldPanel("timezone"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldRowPanel([FieldPanel("city"), FieldPanel("country")])],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("registration_url"), FieldPanel("registration_deadline")]
                ),
                FieldPanel("website_url"),
                FieldPanel("cme_credits"),
            ],
            heading=_("Registration"),
        ),
    ]
    programme_panels = [
        InlinePanel("speakers", heading=_("Speakers"), label=_("Speaker")),
        InlinePanel("sessions", heading=_("Programme"), label=_("Session")),
    ]
    after_panels = [FieldPanel("gallery"), FieldPanel("materials")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(when_where_panels, heading=_("When and where")),
            ObjectList(programme_panels, heading=_("Programme and speakers")),
            ObjectList(after_panels, heading=_("Gallery and materials")),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("venue"),
        index.SearchField("city"),
        index.SearchField("organiser_name"),
        index.FilterField("category"),
        index.FilterField("starts_at"),
    ]
    api_fields = [
        *BasePage.api_fields,
        *(
            APIField(name)
            for name in (
                "category",
                "organiser",
                "organiser_name",
                "summary",
                "body",
                "date_precision",
                "start_date",
                "start_time",
                "end_date",
                "end_time",
                "timezone",
                "starts_at",
                "ends_at",
                "format",
                "venue",
                "city",
                "country",
                "registration_url",
                "registration_deadline",
                "website_url",
                "cme_credits",
                "materials",
                "sessions",
                "date_label",
                "has_times",
                "is_upcoming",
                "registration_open",
                "timezone_city",
                "organiser_label",
                "place_label",
            )
        ),
        APIField("category_label", serializer=ChoiceLabelField("category")),
        APIField("format_label", serializer=ChoiceLabelField("format")),
        APIField("gallery", serializer=PageLinkField()),
        APIField("galleries", serializer=EventGalleriesField()),
        APIField("speakers", serializer=SpeakersField()),
    ]
    # Each costs a query per event: the detail endpoint serves them, listings do not.
    api_detail_only_fields = ["galleries"]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event page")

    def clean(self):
        super().clean()
        errors = {
            **self._date_errors(),
            **self._time_errors(),
            **self._end_errors(),
            **self._organiser_errors(),
            **self._slug_errors(),
        }
        if errors:
            raise ValidationError(errors)

    def _date_errors(self):
        dated = self.date_precision != self.DatePrecision.UNKNOWN
        if dated and not self.start_date:
            return {"start_date": _("Enter a start date, or choose 'Date not recorded'.")}
        if not dated and (self.start_date or self.end_date):
            return {"date_precision": _("Choose how much of the date is known.")}
        return {}

    def _time_errors(self):
        if self.date_precision == self.DatePrecision.TIME:
            if not self.start_time:
                return {"start_time": _("Enter a start time, or choose 'Dates only'.")}
            return {}
        # Any other precision drops the times: say so rather than lose them silently.
        message = _("Times are kept only with 'Dates and times': choose it or clear the times.")
        return {name: message for name in ("start_time", "end_time") if getattr(self, name)}

    def _end_errors(self):
        """The end must come after the start, compared at the precision entered."""
        if not self.start_date:
            return {}
        start = dates.period_start(self.date_precision, self.start_date)
        if self.end_date and dates.period_start(self.date_precision, self.end_date) < start:
            return {"end_date": _("The event cannot end before it starts.")}
        if self._has_both_times() and self.timezone in TIMEZONE_CITIES:
            starts_at, ends_at = self._span()
            if ends_at <= starts_at:
                return {"end_time": _("The event must end after it starts.")}
        return {}

    def _has_both_times(self):
        precise = self.date_precision == self.DatePrecision.TIME
        return precise and self.start_time is not None and self.end_time is not None

    def _organiser_errors(self):
        external = self.organiser == self.Organiser.EXTERNAL
        if external and not self.organiser_name:
            return {"organiser_name": _("Name the organising body.")}
        if self.category == self.Category.INTERNATIONAL and not external:
            return {
                "organiser": _(
                    "SMOP lists international conferences; others organise them. "
                    "Choose 'Another organisation' and name it."
                )
            }
        return {}

    def _slug_errors(self):
        if self.slug in RESERVED_EVENT_SLUGS:
            return {"slug": _("This address is taken by the events calendar; choose another.")}
        return {}

    def _span(self):
        return dates.span(
            self.date_precision,
            self.start_date,
            self.start_time,
            self.end_date,
            self.end_time,
            self.timezone,
        )

    def save(self, *args, **kwargs):
        self.starts_at, self.ends_at = self._span()
        super().save(*args, **kwargs)

    @path("calendar/", name="ics")
    def ics(self, request):
        """The event as an .ics file, for events with a known day."""
        if not has_calendar_entry(self):
            raise Http404(_("This event has no day to add to a calendar."))
        return event_ics_response(self, request)

    @property
    def ics_url(self):
        """The .ics download's URL, or None when the event has no known day."""
        url = self.url
        if not url or not has_calendar_entry(self):
            return None
        return url + self.reverse_subpage("ics")

    @property
    def date_label(self):
        return dates.date_label(self.date_precision, self.start_date, self.end_date)

    @property
    def has_times(self):
        return self.date_precision == self.DatePrecision.TIME and self.start_time is not None

    @property
    def is_upcoming(self):
        return self.ends_at is not None and self.ends_at > timezone.now()

    @property
    def timezone_city(self):
        """The zone as visitors read it: 'Karachi' in 'Karachi time'."""
        return TIMEZONE_CITIES.get(self.timezone, self.timezone.replace("_", " "))

    @property
    def registration_open(self):
        if not self.registration_url or not self.is_upcoming:
            return False
        deadline = self.registration_deadline
        # The deadline is a day in the event's own time zone, not in Karachi's.
        today = timezone.localdate(timezone=ZoneInfo(self.timezone))
        return deadline is None or deadline >= today

    # Django's own get_FOO_display() makes every choice hashable on each call; cards
    # call these once each, so they look the label up in a dict made once.
    def get_category_display(self):
        return choice_label(self.Category, self.category)

    def get_format_display(self):
        return choice_label(self.Format, self.format)

    @property
    def organiser_label(self):
        if self.organiser == self.Organiser.SMOP:
            return str(self.Organiser.SMOP.label)
        return self.organiser_name

    @property
    def place_label(self):
        return ", ".join(part for part in (self.venue, self.city, self.country) if part)

    def public_speakers(self):
        """Speakers to show visitors: guests, and people whose record is published.

        Found once per page (the page and its structured data both list them), with
        each person in the same query.
        """
        if self._public_speakers is None:
            speakers = self._children(
                "speakers", SPEAKERS, lambda rel: rel.select_related("person")
            )
            self._public_speakers = [s for s in speakers if s.person is None or s.person.live]
        return self._public_speakers

    _public_speakers = None

    def _children(self, relation, prepared, adapt=lambda rel: rel):
        """A child relation's rows: by its prepared query, unless they are in memory.

        A preview (or a page read from a revision) holds its children in memory,
        where the query would not see them: those go through the relation.
        """
        if self.pk is None or relation in getattr(self, "_cluster_related_objects", {}):
            return list(adapt(getattr(self, relation).all()))
        return prepared.run(self.pk)

    def public_galleries(self):
        """Live, public albums of this event: the one chosen here first, then any naming it.

        The link is kept on both sides (an event's gallery, a gallery's event), so
        visitors see every album either side names, each once.
        """
        # An unsaved page (a first preview) has no album naming it yet.
        albums = galleries_of(self.gallery_id, self.pk)
        if albums is None:
            return GalleryPage.objects.none()
        # `.public()`, the restrictions read once per request.
        return albums.exclude(private_pages_q()).select_related("listing_image")

    def public_albums(self):
        """`public_galleries()` as cards show them, each with its cover and its renditions.

        The cover is the album's listing image, or else its first photo. The albums
        with their covers' ids in one query (compiled once, see `albums_query`), the
        covers' images in one more and their card renditions in another; not every
        photo of every album with every size it has.
        """
        ids = [value for value in (self.gallery_id, self.pk) if value]
        if not ids:
            return []
        albums = albums_query(bool(self.gallery_id), bool(self.pk)).run(*ids)
        # `.public()`, in Python, the restrictions read once per request: the query's
        # SQL stays the same whatever pages are restricted.
        restricted = tuple(r.page.path for r in page_view_restrictions())
        albums = [album for album in albums if not album.path.startswith(restricted)]
        covers = cards.card_images({album.cover_id for album in albums} - {None})
        for album in albums:
            cover = covers.get(album.cover_id)
            if album.listing_image_id:
                if cover is not None:
                    album.listing_image = cover
            else:
                album.first_photo = cover
        return albums

    @cached_property
    def programme_days(self):
        """[(date or None, [sessions])] in programme order."""
        days = {}
        for session in self._children("sessions", SESSIONS):
            days.setdefault(session.date, []).append(session)
        return list(days.items())


class EventSpeaker(Orderable):
    """A speaker: a person in our records, or a guest named here."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        # Deleting a person must not silently drop them from published programmes:
        # the admin refuses, listing the events that name them.
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Choose a person from our records, or fill in the name below."),
    )
    name = models.CharField(max_length=255, blank=True)
    affiliation = models.CharField(max_length=255, blank=True)
    topic = models.CharField(max_length=255, blank=True)

    panels = [
        FieldPanel("person"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("affiliation")]),
        FieldPanel("topic"),
    ]
    api_fields = [
        APIField("person", serializer=PersonField()),
        APIField("display_name"),
        APIField("affiliation"),
        APIField("topic"),
    ]

    def clean(self):
        if not self.person_id and not self.name:
            raise ValidationError(_("Choose a person or enter a speaker's name."))

    @property
    def display_name(self):
        return self.name or (self.person.full_name if self.person else "")


class ProgrammeSession(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    title = models.CharField(max_length=255)
    speakers = models.CharField(max_length=500, blank=True, help_text=_("Names, comma separated."))
    description = models.TextField(blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("title"),
        FieldPanel("speakers"),
        FieldPanel("description"),
    ]
    api_fields = [
        APIField(name)
        for name in ("date", "start_time", "end_time", "title", "speakers", "description")
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("programme session")

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A session must end after it starts.")})


# What an event page shows of a speaker and of the person named (the name, and
# whether and where their profile is public): not a person's biography or contacts.
SPEAKER_FIELDS = (
    "name",
    "affiliation",
    "topic",
    "person",
    *(
        f"person__{name}"
        for name in ("live", "listed_in_directory", "slug", "honorific", "first_name", "last_name")
    ),
)
SPEAKERS = PreparedQuery(
    lambda page_id: (
        EventSpeaker.objects.filter(page=page_id).select_related("person").only(*SPEAKER_FIELDS)
    )
)
SESSIONS = PreparedQuery(lambda page_id: ProgrammeSession.objects.filter(page=page_id))

# What an album's card shows (includes/card.html), and its path for the view
# restrictions.
ALBUM_FIELDS = (
    "title",
    "listing_title",
    "listing_summary",
    "search_description",
    "url_path",
    "path",
    "listing_image",
)


def galleries_of(gallery_id, event_id):
    """Live albums: `gallery_id` first, then those naming `event_id`, newest first.

    None when neither is given. Public or not: callers leave out restricted ones.
    """
    named = [models.Q(pk=gallery_id)] if gallery_id else []
    if event_id:
        named.append(models.Q(event=event_id))
    if not named:
        return None
    order = [models.F("date").desc(nulls_last=True), "title", "pk"]
    if gallery_id:
        order.insert(0, models.Case(models.When(pk=gallery_id, then=0), default=1))
    return GalleryPage.objects.live().filter(reduce(operator.or_, named)).order_by(*order)


@functools.cache
def albums_query(chosen, named):
    """An event's albums as cards show them, with each one's cover image id.

    `chosen`: the event names an album; `named`: albums may name the event (it is
    saved). Run with the album's id, then the event's, as far as they are given.
    """
    first_photo = GalleryImage.objects.filter(page=models.OuterRef("pk")).order_by("sort_order")
    cover_id = Coalesce(
        "listing_image",
        models.Subquery(first_photo.values("image")[:1]),
        output_field=models.BigIntegerField(),
    )

    def build(*ids):
        gallery_id = ids[0] if chosen else None
        event_id = ids[-1] if named else None
        return galleries_of(gallery_id, event_id).only(*ALBUM_FIELDS).annotate(cover_id=cover_id)

    return PreparedQuery(build, arity=chosen + named)
