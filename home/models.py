"""The society's own pages: home, about, president, values, initiative, resources."""

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.utils import timezone
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
from wagtail.images.models import Filter
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from cms.blocks import BaseStreamBlock, DocumentLinkBlock, preload_site_link_pages
from cms.models import BasePage, SiteImage, SiteRendition
from cms.prepared import PreparedQuery
from cms.request_memo import SITE_CACHE_SECONDS, generation_cached, private_pages_q
from cms.serializers import AbsoluteUrlField, ChoiceLabelField, DocumentField, ImageField
from events.cards import CARD_RENDITION_SPECS, event_cards
from events.listing import CARD_FIELDS
from events.models import EventIndexPage, EventPage
from people.models import OfficerRole
from people.serializers import InvestigatorsField, PersonField, SignatoryRoleField

from .blocks import UPCOMING_EVENTS_COUNT, HomeSectionsBlock, ValueBlock, link_page_ids


def tabs(content, *extra):
    """The usual editor tabs: Content, any extra ones, then Promote and Settings."""
    return TabbedInterface(
        [ObjectList(content, heading=_("Content"))]
        + [ObjectList(panels, heading=heading) for heading, panels in extra]
        + [
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )


# The events index's URL, for the home page's links to it, is kept until content changes.
EVENTS_INDEX_URL_SECONDS = 3600


class HomePage(BasePage):
    hero_heading = models.CharField(max_length=255, help_text=_("The large heading at the top."))
    hero_intro = models.TextField(blank=True, help_text=_("A sentence or two under the heading."))
    hero_image = models.ForeignKey(
        SiteImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sections = StreamField(
        HomeSectionsBlock(),
        blank=True,
        help_text=_("Order the home page sections by dragging; delete one to hide it."),
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("hero_intro"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("sections"),
    ]

    api_fields = BasePage.api_fields + [
        APIField("hero_heading"),
        APIField("hero_intro"),
        APIField("hero_image", serializer=ImageField()),
        APIField("sections"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.PresidentMessagePage",
        "home.ValuesPage",
        "home.InitiativePage",
        "home.ResourceListPage",
        "events.EventIndexPage",
        "people.MemberDirectoryPage",
        "gallery.GalleryIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        shown = shown_sections(self.sections.raw_data)
        # One look at the view restrictions for the listings (what `.public()` would
        # fetch for each).
        private = private_pages_q()
        if "president_message" in shown:
            context["president_page"] = president_page = cached_president_page()
            context["president_signatory"] = signatory_of(president_page)
        events_shown = "upcoming_events" in shown
        events = (
            upcoming_events(private, upcoming_count(shown["upcoming_events"]))
            if events_shown
            else []
        )
        load_images(self, events)
        if events_shown:
            context["upcoming_cards"] = event_cards(events, request)
            context["events_index_url"] = events_index_url(request)
        preload_site_link_pages(link_page_ids(self.sections.raw_data))
        return context


# The sizes the home page shows: the hero's (home_page.html's {% picture %}) and the
# event cards'. An image shown in both places has both.
HERO_RENDITION_SPECS = tuple(
    Filter.expand_spec("format-{webp,jpeg} fill-{480x300,800x500,1200x750}")
)
SHOWN_RENDITION_SPECS = HERO_RENDITION_SPECS + CARD_RENDITION_SPECS
# What the home page shows of the President's message page: its URL, its excerpt and
# (through its role's id) today's signatory.
PRESIDENT_PAGE_FIELDS = ("url_path", "excerpt", "signatory_role")


def shown_sections(raw_sections):
    """{section type: its stored value} for each section the page shows."""
    return {section.get("type"): section.get("value") or {} for section in raw_sections}


def upcoming_count(raw_value):
    """How many events the upcoming events section shows (its block's default if unset)."""
    count = raw_value.get("count")
    return int(count) if count else UPCOMING_EVENTS_COUNT


def cached_president_page():
    """`president_message_page()`, kept until content changes (a publish, a restriction).

    Site structure rather than rendered output: the page's URL path, excerpt and role id.
    """
    return generation_cached(
        "smop:president-page",
        lambda: president_message_page(private_pages_q()),
        SITE_CACHE_SECONDS,
    )


def president_message_page(private):
    """The live, public President's message page, or None.

    There is at most one (`max_count`), so no ORDER BY is needed to pick it.
    """
    pages = PresidentMessagePage.objects.live().exclude(private).only(*PRESIDENT_PAGE_FIELDS)
    return next(iter(pages.order_by()[:1]), None)


def signatory_of(page):
    """Today's holder of the page's signatory role, or None (also without a page).

    `current_holder()` needs only the role's id, which the page holds: the role is not
    loaded (any other field of it would be, on first use).
    """
    if page is None:
        return None
    role = OfficerRole.from_db(DEFAULT_DB_ALIAS, ["id"], [page.signatory_role_id])
    return role.current_holder()


def upcoming_events(private, count):
    """The next `count` live, public events, with what their cards show.

    Their listing images are loaded with the hero image (`load_images()`).
    """
    return _upcoming_events_query(private, count).run(timezone.now())


@functools.lru_cache(maxsize=32)
def _upcoming_events_query(private, count):
    """The next events' query, for each set of view restrictions (`private`) and count.

    Compiled once, run with each request's "now".
    """

    def build(now):
        events = EventPage.objects.live().exclude(private).upcoming(now)
        return events.only(*CARD_FIELDS)[:count]

    return PreparedQuery(build, kinds=(dt.datetime,))


def load_images(home, events):
    """The hero image and the events' listing images, with the renditions they show.

    Two queries for all of them (the images, then their renditions), each compiled once
    per number of images, into each image's `prefetched_renditions`, where {% picture %}
    looks first; a size not made yet is made by Wagtail as usual.
    """
    ids = tuple({home.hero_image_id, *(event.listing_image_id for event in events)} - {None})
    images = {image.pk: image for image in _images_query(len(ids)).run(*ids)} if ids else {}
    home.hero_image = images.get(home.hero_image_id)
    for event in events:
        event.listing_image = images.get(event.listing_image_id)
    for image in images.values():
        image.prefetched_renditions = []
    if images:
        for rendition in _renditions_query(len(images)).run(*images):
            image = images[rendition.image_id]
            rendition.image = image
            image.prefetched_renditions.append(rendition)


@functools.lru_cache(maxsize=16)
def _images_query(count):
    return PreparedQuery(lambda *ids: SiteImage.objects.filter(pk__in=ids), arity=count)


@functools.lru_cache(maxsize=16)
def _renditions_query(count):
    """The renditions the home page shows of `count` images."""

    def build(*image_ids):
        shown = SiteRendition.objects.filter(filter_spec__in=SHOWN_RENDITION_SPECS)
        return shown.filter(image__in=image_ids)

    return PreparedQuery(build, arity=count)


def events_index_url(request):
    """The URL of the site's live, public events index ('' if none), until content changes."""
    site = Site.find_for_request(request)

    def find():
        index = EventIndexPage.objects.live().exclude(private_pages_q()).first()
        return index.get_url(request) if index else ""  # "", unlike None, is remembered

    key = f"smop:events-index-url:{site.pk if site else None}"
    return generation_cached(key, find, EVENTS_INDEX_URL_SECONDS)


class StandardPage(BasePage):
    """A general page, such as 'What is SMOP'."""

    intro = models.TextField(blank=True, help_text=_("A short lead paragraph."))
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    api_fields = BasePage.api_fields + [APIField("intro"), APIField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage", "home.InitiativePage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class PresidentMessagePage(BasePage):
    """The President's message, signed by whoever holds the President role now."""

    excerpt = models.TextField(
        max_length=600, help_text=_("A short extract shown on the home page.")
    )
    message = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    signatory_role = models.ForeignKey(
        "people.OfficerRole",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The message is signed by the person holding this role today. "
            "When the president changes, update the officer terms, not this page."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("excerpt"),
        FieldPanel("message"),
        FieldPanel("signatory_role"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("message")]
    api_fields = BasePage.api_fields + [
        APIField("excerpt"),
        APIField("message"),
        APIField("signatory_role", serializer=SignatoryRoleField()),
    ]
    # Finding today's holder is a query of its own: detail endpoint only.
    api_detail_only_fields = ["signatory_role"]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("president's message page")

    @property
    def signatory(self):
        return self.signatory_role.current_holder()


class ValuesPage(BasePage):
    intro = models.TextField(blank=True)
    values = StreamField([("value", ValueBlock())], help_text=_("One entry per value."))

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("values")]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("values"),
    ]
    api_fields = BasePage.api_fields + [APIField("intro"), APIField("values")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("values page")


class InitiativePage(BasePage):
    """A research initiative, such as the DLBCL research initiative."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("In planning")
        ACTIVE = "active", _("Active")
        RECRUITING = "recruiting", _("Recruiting centres")
        COMPLETED = "completed", _("Completed")

    summary = models.TextField(help_text=_("What the initiative is, in two or three sentences."))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    aims = RichTextField(blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    body = StreamField(BaseStreamBlock(), blank=True)
    documents = StreamField(
        [("document", DocumentLinkBlock())],
        blank=True,
        help_text=_("Protocols, reports and other files."),
    )
    contact_name = models.CharField(max_length=255, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_note = models.TextField(blank=True, help_text=_("How to take part or ask a question."))

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("status"),
        FieldPanel("aims"),
        FieldPanel("body"),
    ]
    people_panels = [
        InlinePanel("investigators", heading=_("Investigators"), label=_("Investigator")),
        InlinePanel("centres", heading=_("Participating centres"), label=_("Centre")),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_note")],
            heading=_("Contact"),
        ),
    ]
    output_panels = [
        InlinePanel("publications", heading=_("Publications"), label=_("Publication")),
        FieldPanel("documents"),
    ]
    edit_handler = tabs(
        content_panels,
        (_("People and centres"), people_panels),
        (_("Publications and documents"), output_panels),
    )

    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("aims"),
        index.SearchField("body"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("summary"),
        APIField("status"),
        APIField("aims"),
        APIField("body"),
        APIField("status_label", serializer=ChoiceLabelField("status")),
        APIField("investigators", serializer=InvestigatorsField()),
        APIField("centres"),
        APIField("publications"),
        APIField("documents"),
        APIField("contact_name"),
        APIField("contact_email"),
        APIField("contact_note"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("research initiative page")

    def public_investigators(self):
        """Investigators whose person record is published; drafts stay out of sight."""
        return [i for i in self.investigators.select_related("person") if i.person.live]


class InitiativeInvestigator(Orderable):
    page = ParentalKey(InitiativePage, on_delete=models.CASCADE, related_name="investigators")
    # PROTECT: deleting a person must not silently change a published page.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        max_length=255, blank=True, help_text=_("e.g. 'Principal investigator'.")
    )

    panels = [FieldPanel("person"), FieldPanel("role")]
    api_fields = [APIField("person", serializer=PersonField()), APIField("role")]


class ParticipatingCentre(Orderable):
    page = ParentalKey(InitiativePage, on_delete=models.CASCADE, related_name="centres")
    name = models.CharField(max_length=255)
    city = models.CharField(max_length=100, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("city")])]
    api_fields = [APIField("name"), APIField("city")]


class Publication(Orderable):
    page = ParentalKey(InitiativePage, on_delete=models.CASCADE, related_name="publications")
    title = models.CharField(max_length=500)
    authors = models.CharField(max_length=500, blank=True)
    journal = models.CharField(max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    doi = models.CharField(
        "DOI", max_length=100, blank=True, help_text=_("e.g. 10.1200/GO.21.00320")
    )
    url = models.URLField(
        "URL", blank=True, help_text=_("A link to the publication, if it has no DOI.")
    )
    note = models.TextField(blank=True, help_text=_("A sentence on what it found."))

    panels = [
        FieldPanel("title"),
        FieldPanel("authors"),
        FieldRowPanel([FieldPanel("journal"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("doi"), FieldPanel("url")]),
        FieldPanel("note"),
    ]
    api_fields = [
        APIField(name)
        for name in ("title", "authors", "journal", "year", "doi", "url", "note", "link")
    ]

    @property
    def link(self):
        return f"https://doi.org/{self.doi}" if self.doi else self.url


class ResourceListPage(BasePage):
    """Recommended resources for one audience, grouped by topic."""

    class Audience(models.TextChoices):
        PHYSICIANS = "physicians", _("Physicians")
        PATIENTS = "patients", _("Patients and families")

    audience = models.CharField(max_length=20, choices=Audience.choices)
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    empty_message = models.TextField(
        blank=True,
        help_text=_("Shown while the list has no resources yet."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("audience"),
        FieldPanel("intro"),
        FieldPanel("empty_message"),
        InlinePanel("resources", heading=_("Resources"), label=_("Resource")),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.RelatedFields(
            "resources", [index.SearchField("title"), index.SearchField("summary")]
        ),
    ]
    api_fields = BasePage.api_fields + [
        APIField("audience"),
        APIField("audience_label", serializer=ChoiceLabelField("audience")),
        APIField("intro"),
        APIField("empty_message"),
        APIField("resources"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("resource list page")

    def clean(self):
        super().clean()
        # One list per audience, so menus, links and the API know where each one lives.
        others = ResourceListPage.objects.exclude(pk=self.pk).filter(audience=self.audience)
        if others.exists():
            raise ValidationError(
                {"audience": _("There is already a resource list for this audience.")}
            )

    def resources_by_topic(self):
        """[(topic, [resources])] in editor order, topics in order of first use."""
        groups = {}
        for resource in self.resources.select_related("document"):
            groups.setdefault(resource.topic or _("General"), []).append(resource)
        return list(groups.items())


class Resource(Orderable):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        URDU = "ur", _("Urdu")

    page = ParentalKey(ResourceListPage, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=255)
    topic = models.CharField(
        max_length=100, blank=True, help_text=_("Resources are grouped by topic.")
    )
    url = models.URLField("URL", blank=True, help_text=_("A link to the resource online."))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Or upload a file instead of a link."),
    )
    publisher = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    summary = models.TextField(blank=True)
    last_reviewed = models.DateField(
        null=True, blank=True, help_text=_("When SMOP last checked this resource.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("topic"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("document")]),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("language")]),
        FieldPanel("summary"),
        FieldPanel("last_reviewed"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "title",
            "topic",
            "url",
            "publisher",
            "language",
            "summary",
            "last_reviewed",
            "text_direction",
        )
    ] + [
        APIField("language_label", serializer=ChoiceLabelField("language")),
        APIField("document", serializer=DocumentField()),
        APIField("link", serializer=AbsoluteUrlField("link")),
    ]

    def clean(self):
        if bool(self.url) == bool(self.document_id):
            raise ValidationError(_("Give either a link or a document for each resource."))

    @property
    def link(self):
        return self.document.url if self.document_id else self.url

    @property
    def text_direction(self):
        """Urdu titles and summaries read right to left."""
        return "rtl" if self.language == self.Language.URDU else "ltr"
