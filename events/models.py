"""Events: SMOP's own and the international conferences it recommends.

Whether an event is upcoming or past is derived from its dates, never set by hand.
"""

from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
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
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from cms.models import BasePage

from . import dates
from .blocks import EventMaterialsBlock

TIMEZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(available_timezones())]
DEFAULT_TIMEZONE = "Asia/Karachi"


class EventIndexPage(BasePage):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    past_per_page = models.PositiveSmallIntegerField(
        default=12, help_text=_("How many past events to show on each page.")
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
        return EventPage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = self.events()
        past = events.past()
        context["upcoming_events"] = events.upcoming()
        context["past_events"] = Paginator(past, self.past_per_page).get_page(
            request.GET.get("page")
        )
        return context


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


class EventPage(BasePage):
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
    start_time = models.TimeField(null=True, blank=True)
    end_date = models.DateField(
        null=True, blank=True, help_text=_("Leave blank for a one-day event.")
    )
    end_time = models.TimeField(null=True, blank=True)
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
        help_text=_("Photos from this event."),
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
    api_fields = BasePage.api_fields + [
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
            "gallery",
            "materials",
            "speakers",
            "sessions",
        )
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event page")

    def clean(self):
        super().clean()
        errors = {}
        dated = self.date_precision != self.DatePrecision.UNKNOWN
        if dated and not self.start_date:
            errors["start_date"] = _("Enter a start date, or choose 'Date not recorded'.")
        if not dated and (self.start_date or self.end_date):
            errors["date_precision"] = _("Choose how much of the date is known.")
        if self.date_precision == self.DatePrecision.TIME and not self.start_time:
            errors["start_time"] = _("Enter a start time, or choose 'Dates only'.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The event cannot end before it starts.")
        if self.organiser == self.Organiser.EXTERNAL and not self.organiser_name:
            errors["organiser_name"] = _("Name the organising body.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.starts_at, self.ends_at = dates.span(
            self.date_precision,
            self.start_date,
            self.start_time,
            self.end_date,
            self.end_time,
            self.timezone,
        )
        super().save(*args, **kwargs)

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
    def registration_open(self):
        if not self.registration_url or not self.is_upcoming:
            return False
        deadline = self.registration_deadline
        return deadline is None or deadline >= timezone.localdate()

    @property
    def organiser_label(self):
        if self.organiser == self.Organiser.SMOP:
            return self.get_organiser_display()
        return self.organiser_name

    @property
    def place_label(self):
        return ", ".join(part for part in (self.venue, self.city, self.country) if part)

    def public_speakers(self):
        """Speakers to show visitors: guests, and people whose record is published."""
        return [s for s in self.speakers.all() if s.person is None or s.person.live]

    @cached_property
    def programme_days(self):
        """[(date or None, [sessions])] in programme order."""
        days = {}
        for session in self.sessions.all():
            days.setdefault(session.date, []).append(session)
        return list(days.items())


class EventSpeaker(Orderable):
    """A speaker: a person in our records, or a guest named here."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
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
        APIField("person"),
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
