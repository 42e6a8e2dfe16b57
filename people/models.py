"""People, their officer roles with terms, and the member directory.

A person is a snippet with drafts and revisions, so directory entries go through the
same review as pages. What a visitor may see of a person is decided here, in
`Person.is_public`, `PersonQuerySet.public` and `Person.public_contact`, never in templates.
"""

import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Count, Expression, Prefetch, Q, Value, Window
from django.db.models.functions import Concat, Upper
from django.http import Http404
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images.models import Filter
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    Site,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from cms.models import BasePage, SiteImage, SiteRendition
from cms.pagination import (
    MAX_PAGE_SIZE,
    PAGE_SIZE_VALIDATORS,
    CountingPaginator,
    TotalCount,
    paginate,
)
from cms.prepared import PreparedQuery
from cms.request_memo import SITE_CACHE_SECONDS, generation_cached, memoized, private_pages_q
from cms.serializers import ALL_RENDITION_SPECS, ChoiceLabelField, ImageField
from cms.widgets import PlainSelect, PlainTextInput

from .cards import CARD_PHOTO_SPECS, card_body_html, cards_html, esc
from .photos import file_member_photo
from .prepared_text import PreparedTextQuery
from .serializers import (
    CurrentRolesField,
    OfficerTermsField,
    ProfileUrlField,
    PublicContactField,
    SpecialtiesField,
)


class Specialty(TranslatableMixin, models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name_plural = _("specialties")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


# What a directory card shows of a person (see member_directory_page.html): a page of
# results loads only these, never a biography or a private field.
CARD_FIELDS = (
    "slug",
    "honorific",
    "first_name",
    "last_name",
    "credentials",
    "designation",
    "institution",
    "city",
    "photo",
)


class PersonQuerySet(models.QuerySet):
    def public(self):
        """Live people who chose to be listed in the member directory."""
        return self.filter(live=True, listed_in_directory=True)


class Person(
    TranslatableMixin,
    # Changes go through the "Editorial review" workflow; an entry in review is locked.
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    class Honorific(models.TextChoices):
        DR = "Dr.", _("Dr.")
        PROF = "Prof.", _("Prof.")
        PROF_DR = "Prof. Dr.", _("Prof. Dr.")
        MR = "Mr.", _("Mr.")
        MS = "Ms.", _("Ms.")
        MRS = "Mrs.", _("Mrs.")

    class Province(models.TextChoices):
        PUNJAB = "punjab", _("Punjab")
        SINDH = "sindh", _("Sindh")
        KP = "khyber-pakhtunkhwa", _("Khyber Pakhtunkhwa")
        BALOCHISTAN = "balochistan", _("Balochistan")
        ICT = "islamabad", _("Islamabad Capital Territory")
        GB = "gilgit-baltistan", _("Gilgit-Baltistan")
        AJK = "azad-kashmir", _("Azad Jammu and Kashmir")
        ABROAD = "abroad", _("Outside Pakistan")

    honorific = models.CharField(max_length=20, choices=Honorific.choices, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # What a name search compares (see search_names), stored so PostgreSQL does not
    # upper-case every listed name again on each search.
    search_name = models.GeneratedField(
        expression=Upper(Concat("first_name", Value(" "), "last_name")),
        output_field=models.TextField(),
        db_persist=True,
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text=_("Used in the profile address. Filled in from the name if left blank."),
        blank=True,
    )
    credentials = models.CharField(
        max_length=255, blank=True, help_text=_("Degrees and fellowships, e.g. 'MBBS, FCPS'.")
    )
    designation = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Current position, e.g. 'Professor of Oncology'."),
    )
    specialties = ParentalManyToManyField(Specialty, blank=True, related_name="people")
    institution = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=30, choices=Province.choices, blank=True)
    photo = models.ForeignKey(
        SiteImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    biography = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    # Directory listing and public contact details are opt-in per member.
    listed_in_directory = models.BooleanField(
        default=False,
        help_text=_("Only members who have agreed to be listed appear in the directory."),
    )
    show_contact_details = models.BooleanField(
        default=False,
        help_text=_("Show the public email and phone below on the member's profile."),
    )
    public_email = models.EmailField(blank=True)
    public_phone = models.CharField(max_length=40, blank=True)

    # Private: for the society's records only, never rendered or returned by the API.
    registration_number = models.CharField(
        _("PMDC registration number"), max_length=50, blank=True
    )
    private_email = models.EmailField(blank=True)
    private_phone = models.CharField(max_length=40, blank=True)
    private_notes = models.TextField(blank=True)

    objects = PersonQuerySet.as_manager()

    PRIVATE_FIELDS = ("registration_number", "private_email", "private_phone", "private_notes")

    # The public profile only: never add a PRIVATE_FIELDS name here.
    api_fields = [
        APIField("slug"),
        APIField("full_name"),
        APIField("honorific"),
        APIField("first_name"),
        APIField("last_name"),
        APIField("credentials"),
        APIField("designation"),
        APIField("specialties", serializer=SpecialtiesField()),
        APIField("institution"),
        APIField("city"),
        APIField("province"),
        APIField("province_label", serializer=ChoiceLabelField("province")),
        APIField("photo", serializer=ImageField()),
        APIField("biography"),
        APIField("contact", serializer=PublicContactField()),
        APIField("current_roles", serializer=CurrentRolesField()),
        APIField("officer_terms", serializer=OfficerTermsField()),
        APIField("profile_url", serializer=ProfileUrlField()),
    ]

    profile_panels = [
        FieldRowPanel(
            [FieldPanel("honorific"), FieldPanel("first_name"), FieldPanel("last_name")]
        ),
        FieldPanel("credentials"),
        FieldPanel("designation"),
        FieldPanel("specialties", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("institution"), FieldPanel("city"), FieldPanel("province")]),
        FieldPanel("photo"),
        FieldPanel("biography"),
    ]
    directory_panels = [
        FieldPanel("listed_in_directory"),
        MultiFieldPanel(
            [
                FieldPanel("show_contact_details"),
                FieldPanel("public_email"),
                FieldPanel("public_phone"),
            ],
            heading=_("Public contact details"),
        ),
        FieldPanel("slug"),
        # Go-live and expiry dates, set from the "Set schedule" dialog of the status panel.
        PublishingPanel(),
    ]
    roles_panels = [InlinePanel("officer_terms", heading=_("Officer roles"), label=_("Term"))]
    private_panels = [
        MultiFieldPanel(
            [
                FieldPanel("registration_number"),
                FieldPanel("private_email"),
                FieldPanel("private_phone"),
                FieldPanel("private_notes"),
            ],
            heading=_("Private: never shown on the website"),
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(profile_panels, heading=_("Profile")),
            ObjectList(directory_panels, heading=_("Directory")),
            ObjectList(roles_panels, heading=_("Officer roles")),
            ObjectList(private_panels, heading=_("Private")),
        ]
    )

    search_fields = [
        index.SearchField("first_name"),
        index.SearchField("last_name"),
        index.AutocompleteField("first_name"),
        index.AutocompleteField("last_name"),
        index.SearchField("designation"),
        index.SearchField("institution"),
        index.SearchField("city"),
        index.FilterField("listed_in_directory"),
        index.FilterField("live"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["last_name", "first_name"]
        # On PostgreSQL, also person_public_cards (migration 0006): the same entries with
        # what a card shows and what a name search compares, for index-only searches.
        indexes = [
            # The public listing's order (directory, /api/v2/people/): a page of it
            # reads 20 entries rather than sorting everyone, and counts from the index.
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=Q(live=True, listed_in_directory=True),
                name="person_public_by_name",
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.honorific, self.first_name, self.last_name) if p)

    @property
    def is_public(self):
        return self.live and self.listed_in_directory

    @property
    def public_contact(self):
        """The contact details a visitor may see: none unless the member opted in."""
        if not self.show_contact_details:
            return {}
        return {
            key: value
            for key, value in (("email", self.public_email), ("phone", self.public_phone))
            if value
        }

    def current_roles(self, on=None):
        """The roles this person holds on a date (today by default), each once, in the
        roles' own order. Today's come from current_officer_roles(), without a query."""
        if on is None:
            return current_officer_roles().get(self.pk, [])
        return roles_by_person(OfficerTerm.objects.current(on).filter(person=self)).get(
            self.pk, []
        )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)
        if self.photo_id:
            # Keeps the photo out of the public image listings (see people/photos.py).
            file_member_photo(self.photo)

    def unique_slug(self):
        base = slugify(f"{self.first_name} {self.last_name}")[:100] or "member"
        slug, n = base, 2
        while Person.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def get_preview_template(self, request, mode_name):
        return "people/person_profile.html"

    def get_preview_context(self, request, mode_name):
        return {"person": self, "page": None}

    def get_profile_url(self, directory=None):
        """The public profile's path, or "" when no live, public directory shows it.

        Without `directory`, the directory's URL comes from `public_directory_url()`,
        without a query; a `directory` page passed in is used as it is.
        """
        if directory is None:
            return profile_path(public_directory_url(), self.slug)
        return profile_path(directory.url if directory else "", self.slug)


class OfficerRole(TranslatableMixin, models.Model):
    """A post in the society, e.g. President. Who holds it comes from terms."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text=_("Lower numbers are listed first.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name

    def current_holder(self, on=None):
        """The live person holding this role on the given date (today by default).

        Only their public card is loaded (HOLDER_FIELDS, the others deferred), with
        their photo's renditions in the sizes shown for a holder. Today's holder comes
        from `current_role_holders()`: no query but their photo's.
        """
        if on is None:
            fields = current_role_holders().get(self.pk)
        else:
            fields = role_holders(OfficerTerm.objects.current(on).filter(role=self)).get(self.pk)
        return holder(fields) if fields is not None else None


class OfficerTermQuerySet(models.QuerySet):
    def current(self, on=None):
        """Terms running on a date. A missing start or end date means 'open'."""
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class OfficerTerm(Orderable):
    person = ParentalKey(Person, on_delete=models.CASCADE, related_name="officer_terms")
    role = models.ForeignKey(OfficerRole, on_delete=models.PROTECT, related_name="terms")
    start_date = models.DateField(
        null=True, blank=True, help_text=_("Leave blank if the start of the term is not recorded.")
    )
    end_date = models.DateField(
        null=True, blank=True, help_text=_("Leave blank while the term is running.")
    )

    objects = OfficerTermQuerySet.as_manager()

    panels = [
        FieldPanel("role"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("officer term")

    def __str__(self):
        return f"{self.role} ({self.person})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A term cannot end before it starts.")})


def current_officer_roles():
    """{person id: the roles they hold today} for every running officer term.

    A society has a handful of officers, and every profile shows their roles: kept
    until content or the date changes (generation_cached, the date in the key), so a
    profile reads them without a query. Saving a term or a role changes the content
    generation, as a publish does.
    """
    today = timezone.localdate()
    return generation_cached(
        f"smop:officer-roles:{today.isoformat()}",
        lambda: roles_by_person(OfficerTerm.objects.current(today)),
        SITE_CACHE_SECONDS,
    )


# What is shown of an officer role's holder: the home page's and the president's
# message's signature (templates/home/), and the API's person summary: a card's fields,
# and what says whether the profile may be linked. Never a PRIVATE_FIELDS name.
HOLDER_FIELDS = ("id", *CARD_FIELDS, "live", "listed_in_directory")
# The holder's photo sizes: the home page's and the president's message's {% picture %},
# and the API's. Every size that may be asked for, since Wagtail takes a size missing
# from prefetched renditions for one never made, and makes it again.
HOLDER_PHOTO_SPECS = (
    *Filter.expand_spec("format-{webp,jpeg} fill-{160x160,320x320,200x200,400x400}"),
    *ALL_RENDITION_SPECS,
)


def current_role_holders():
    """{role id: the HOLDER_FIELDS of the live person holding it today}.

    The home page names the president: kept until content or the date changes, as
    current_officer_roles() is (publishing or unpublishing a person, saving a term or a
    role changes the content generation).
    """
    today = timezone.localdate()
    return generation_cached(
        f"smop:officer-role-holders:{today.isoformat()}",
        lambda: role_holders(OfficerTerm.objects.current(today)),
        SITE_CACHE_SECONDS,
    )


def role_holders(terms):
    """{role id: HOLDER_FIELDS values} for `terms` of live people, in two queries: the
    latest term of each role wins.

    A term with no recorded start is the oldest, on every database (PostgreSQL sorts
    NULLs first by default, SQLite last).
    """
    terms = terms.filter(person__live=True).order_by(
        "role_id", models.F("start_date").desc(nulls_last=True), "-pk"
    )
    person_ids = {}
    for role_id, person_id in terms.values_list("role_id", "person_id"):
        person_ids.setdefault(role_id, person_id)
    if not person_ids:
        return {}
    people = Person.objects.filter(pk__in=person_ids.values()).order_by()
    fields = {row["id"]: row for row in people.values(*HOLDER_FIELDS)}
    return {role_id: fields[person_id] for role_id, person_id in person_ids.items()}


def holder(fields):
    """A role's holder from their HOLDER_FIELDS values, the others deferred, with their
    photo and its renditions in HOLDER_PHOTO_SPECS (one query each, if they have one)."""
    loaded = [field for field in Person._meta.concrete_fields if field.name in fields]
    person = Person.from_db(
        DEFAULT_DB_ALIAS, [f.attname for f in loaded], [fields[f.name] for f in loaded]
    )
    if person.photo_id is not None:
        renditions = SiteRendition.objects.filter(filter_spec__in=HOLDER_PHOTO_SPECS)
        photos = SiteImage.objects.filter(pk=person.photo_id).prefetch_related(
            Prefetch("renditions", renditions, to_attr="prefetched_renditions")
        )
        person.photo = next(iter(photos), None)
    return person


def roles_by_person(terms):
    """{person id: [roles]} for `terms`, each role once, in the roles' own order."""
    terms = terms.select_related("role").order_by(
        *(f"role__{field}" for field in OfficerRole._meta.ordering), "role_id"
    )
    roles = {}
    for term in terms:
        roles.setdefault(term.person_id, {})[term.role_id] = term.role
    return {person_id: list(held.values()) for person_id, held in roles.items()}


DIRECTORY_CHOICES_CACHE_SECONDS = 3600
HONORIFIC_WORDS = {"dr", "prof", "professor", "mr", "ms", "mrs", "miss"}


def name_terms(query):
    """The words of a name search, without punctuation or titles ('Dr. Zeba' -> ['zeba'])."""
    words = re.sub(r"[^\w\s'-]", " ", query.lower()).split()
    return [word for word in words if word not in HONORIFIC_WORDS]


def search_names(people, query):
    """`people` whose first or last name contains every word of `query`, ignoring case.

    One icontains per word and name on most databases; on PostgreSQL the same test as a
    single `LIKE ALL` (see NameContainsEveryWord), which PostgreSQL runs in half the time.
    """
    return search_words(people, name_terms(query))


def search_words(people, words):
    """search_names() of a query already split into `words` (name_terms)."""
    if not words:
        return people
    if connections[people.db].vendor == "postgresql":
        return people.filter(NameContainsEveryWord(words))
    for word in words:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return people


class NameContainsEveryWord(Expression):
    """PostgreSQL: `search_name LIKE ALL (ARRAY[UPPER('%word%'), ...])`, true for the
    people a chain of per-word icontains filters would keep.

    search_name is the stored `UPPER(first_name || ' ' || last_name)`, so a search
    upper-cases only its words, not every row. The same people match: a word has no
    whitespace (name_terms), so it cannot match across the space between the names,
    and UPPER is applied to both sides as icontains does.
    """

    output_field = models.BooleanField()

    def __init__(self, words):
        super().__init__()
        self.words = list(words)
        self.name = models.F("search_name")

    def get_source_expressions(self):
        return [self.name]

    def set_source_expressions(self, exprs):
        (self.name,) = exprs

    def as_postgresql(self, compiler, connection):
        name, name_params = compiler.compile(self.name)
        patterns = [f"%{connection.ops.prep_for_like_query(word)}%" for word in self.words]
        upper_patterns = ", ".join(["UPPER(%s)"] * len(patterns))
        sql = f"{name} LIKE ALL (ARRAY[{upper_patterns}])"
        return sql, (*name_params, *patterns)


def add_card_photos(people):
    """Give each person with a photo their photo, with its renditions in the card's
    sizes (CARD_PHOTO_SPECS) as `prefetched_renditions`, where the card's picture
    (people/cards.py, as {% picture %}) looks.

    The photos come with their renditions, in one query compiled once per process per
    number of photos, rather than joined to the page of results, where the join would
    run for every match its count goes through. A photo with none of these renditions
    yet (new, unviewed) costs a query of its own; the card's picture makes them as
    {% picture %} does.
    """
    photo_ids = tuple({person.photo_id for person in people if person.photo_id is not None})
    if not photo_ids:
        return
    photos = {}
    for rendition in _card_renditions_query(len(photo_ids)).run(*photo_ids):
        photo = photos.get(rendition.image_id)
        if photo is None:
            photo = photos[rendition.image_id] = rendition.image
            photo.prefetched_renditions = []
        rendition.image = photo
        photo.prefetched_renditions.append(rendition)
    missing = set(photo_ids) - photos.keys()
    for photo in SiteImage.objects.filter(pk__in=missing) if missing else ():
        photo.prefetched_renditions = []
        photos[photo.pk] = photo
    for person in people:
        if person.photo_id is not None:
            person.photo = photos.get(person.photo_id)


@functools.lru_cache(maxsize=MAX_PAGE_SIZE)
def _card_renditions_query(count):
    """The card renditions of `count` photos, with the photos, by the photos' ids."""
    renditions = SiteRendition.objects.filter(filter_spec__in=CARD_PHOTO_SPECS)
    return PreparedQuery(
        lambda *ids: renditions.filter(image_id__in=ids).select_related("image"), arity=count
    )


def specialty_order():
    """{specialty id: (its place by name, then id; its name)}, kept until content changes:
    a page of cards then reads who has which specialty without a join or a sort in SQL,
    in the database's order of names (its collation, not Python's)."""
    return generation_cached("smop:specialty-order", find_specialty_order, SITE_CACHE_SECONDS)


def find_specialty_order():
    rows = Specialty.objects.order_by("name", "pk").values_list("pk", "name")
    return {pk: (place, name) for place, (pk, name) in enumerate(rows)}


def specialty_ids_sql(connection, person_id):
    """The SQL of the ids of the specialties of the person whose id is `person_id`
    (SQL), as text: "3,1", say, or NULL for none. A column of a page of results
    (DirectorySearch), so that its cards need no query of their own."""
    through = Person.specialties.through._meta
    quote = connection.ops.quote_name
    table = quote(through.db_table)
    ids = f"{table}.{quote(through.get_field('specialty').column)}"
    if connection.vendor == "postgresql":
        joined = f"STRING_AGG({ids}::text, ',')"
    else:
        joined = f"GROUP_CONCAT({ids}, ',')"
    person = f"{table}.{quote(through.get_field('person').column)}"
    # Only quoted names and the SQL of an id: no value is written in.
    return f"(SELECT {joined} FROM {table} WHERE {person} = {person_id})"  # noqa: S608


def held_specialty_ids(text):
    """The ids in a specialty_ids_sql() value."""
    return [int(pk) for pk in text.split(",")] if text else []


def specialty_names(held):
    """{person id: the names of their specialties, A to Z} from `held`, {person id:
    their specialties' ids}, in the database's order of names (specialty_order)."""
    order = specialty_order()
    if not order.keys() >= {pk for ids in held.values() for pk in ids}:
        order = find_specialty_order()  # one added while this request ran
    return {
        person_id: [order[pk][1] for pk in sorted(ids, key=order.__getitem__)]
        for person_id, ids in held.items()
    }


def with_specialty(people, slug):
    """`people` with a specialty of this slug, each once.

    A subquery rather than a join: no duplicate rows to remove, so neither the page
    nor its count needs DISTINCT over every column.
    """
    holders = Person.specialties.through.objects.filter(specialty__slug=slug)
    return people.filter(pk__in=holders.values("person_id"))


def filter_choices(people):
    """The specialties, cities and institutions found among `people`, as choices."""
    choices = {
        "specialty": [
            (s.slug, s.name) for s in Specialty.objects.filter(people__in=people).distinct()
        ]
    }
    for name in ("city", "institution"):
        values = people.exclude(**{name: ""}).order_by(name).values_list(name, flat=True)
        choices[name] = [(v, v) for v in values.distinct()]
    return choices


def public_filter_choices():
    """filter_choices() of the listed people: three scans of the whole directory, so
    kept until public content changes (generation_cached: in this process too, which
    spares a cache round trip per request)."""
    return generation_cached(
        f"smop:directory-choices:{get_language()}",
        lambda: filter_choices(Person.objects.public()),
        DIRECTORY_CHOICES_CACHE_SECONDS,
    )


class PlainChoices(BaseChoiceIterator):
    """Choices already in the form a choice field keeps them, (value, label) pairs
    without groups, which `ChoiceField.choices` then takes as they are: otherwise it
    checks every option of every filter again on each request."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters. Unknown values are dropped, not errors."""

    # Written in Python, not by a template per option (cms/widgets.py).
    q = forms.CharField(label=_("Name"), required=False, max_length=100, widget=PlainTextInput)
    specialty = forms.ChoiceField(label=_("Specialty"), required=False, widget=PlainSelect)
    city = forms.ChoiceField(label=_("City"), required=False, widget=PlainSelect)
    institution = forms.ChoiceField(label=_("Institution"), required=False, widget=PlainSelect)

    def __init__(self, data, people=None, choices=None):
        """The choices are `filter_choices(people)` unless given."""
        super().__init__(data)
        any_choice = [("", _("Any"))]
        for name, values in (choices if choices is not None else filter_choices(people)).items():
            self.fields[name].choices = PlainChoices(any_choice + values)

    def filter(self, people):
        """Apply every valid filter; an invalid one is ignored (and shown as an error)."""
        return filter_people(people, *self.search_terms())

    def search_terms(self):
        """The valid filters: (the words of the name search, {filter name: value})."""
        self.is_valid()
        data = self.cleaned_data
        filters = {name: data[name] for name in DIRECTORY_FILTERS if data.get(name)}
        return name_terms(data.get("q", "")), filters

    @property
    def is_filtered(self):
        return any(self.cleaned_data.get(name) for name in self.fields)

    def fields_html(self):
        """Every field as member_directory_page.html's loop over the form wrote it,
        written in Python: its label, its widget and its errors, if any."""
        return mark_safe("".join(filter_field_html(field) for field in self))


def filter_field_html(field):
    """One field of a filter form (a BoundField), each value escaped as a template
    variable is (people.cards.esc)."""
    errors = field.errors
    if errors:
        errors_html = (
            f'<div class="field__errors" id="{esc(field.auto_id)}-errors">{esc(errors)}</div>'
        )
    else:
        errors_html = ""
    label = f'<label for="{esc(field.id_for_label)}">{esc(field.label)}</label>'
    return (
        '\n                    <div class="field">'
        f"\n                        {label}"
        f"\n                        {esc(field)}"
        f"\n                        {errors_html}"
        "\n                    </div>\n                "
    )


# The directory's filters besides the name, in the order they are applied.
DIRECTORY_FILTERS = ("specialty", "city", "institution")


def filter_people(people, words, filters):
    """`people` with every one of `words` in their name (search_words) and each
    filter of `filters` ({name in DIRECTORY_FILTERS: value}) matched."""
    people = search_words(people, words)
    if "specialty" in filters:
        people = with_specialty(people, filters["specialty"])
    for name in ("city", "institution"):
        if name in filters:
            people = people.filter(**{name: filters[name]})
    return people


def directory_results(words, filters):
    """The listed people a directory search shows, only their cards' fields, by name,
    then id: a stable order, so no one appears on two pages."""
    people = Person.objects.public().only(*CARD_FIELDS)
    return filter_people(people, words, filters).order_by("last_name", "first_name", "pk")


class DirectorySearch:
    """What one request lists: its pages come from a query compiled once per shape
    (how many words, which filters, how the total is counted), see directory_query()."""

    def __init__(self, words, filters, counted_apart=False):
        self.words = tuple(words)
        self.filters = filters
        # For the unfiltered directory: person_public_by_name gives a page by reading
        # just its rows, so the total is counted apart (TotalCount, over the ids) rather
        # than by a window, which would load every listed person first.
        self.counted_apart = counted_apart

    def queryset(self):
        return directory_results(self.words, self.filters)

    def __iter__(self):
        """Every result, as the queryset gives them (a page reads only its rows)."""
        return iter(self.queryset())

    def count(self):
        """Only for a page past the end (an old link): the last page needs the count."""
        return self.queryset().count()

    def rows(self, limit, offset):
        """`limit` people from `offset`, each with `_total_count`, the listing's size,
        and `_specialty_ids` (specialty_ids_sql)."""
        query = directory_query(len(self.words), tuple(self.filters), self.counted_apart)
        return query.run((*self.words, *self.filters.values()), limit, offset)


@functools.lru_cache(maxsize=256)
def directory_query(word_count, filter_names, counted_apart):
    """The page query of a DirectorySearch of this shape, with its total count."""

    def build(*values):
        filters = dict(zip(filter_names, values[word_count:], strict=True))
        results = directory_results(values[:word_count], filters)
        # As CountingPaginator counts, or counted apart (see DirectorySearch).
        total = TotalCount(results) if counted_apart else Window(Count("*"))
        return results.annotate(_total_count=total)

    page_columns = {"_specialty_ids": specialty_ids_sql}
    return PreparedTextQuery(build, word_count + len(filter_names), page_columns)


class DirectoryPaginator(CountingPaginator):
    """Pages of a DirectorySearch, each one query with its total count."""

    def rows(self, limit, offset):
        return self.object_list.rows(limit, offset)


class MemberDirectoryPage(RoutablePageMixin, BasePage):
    """Searchable list of listed members, with a profile page for each."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    empty_message = models.TextField(
        blank=True,
        default=_("No members match your search. Try a shorter name or fewer filters."),
        help_text=_("Shown when a search finds nobody."),
    )
    per_page = models.PositiveSmallIntegerField(
        default=20,
        validators=PAGE_SIZE_VALIDATORS,
        help_text=_("How many members to show on each page of results (1 to 100)."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("empty_message"),
        FieldPanel("per_page"),
    ]

    api_fields = BasePage.api_fields + [APIField("intro"), APIField("per_page")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("member directory page")

    @path("")
    def directory(self, request):
        form = DirectoryFilterForm(request.GET, choices=public_filter_choices())
        words, filters = form.search_terms()
        search = DirectorySearch(words, filters, counted_apart=not form.is_filtered)
        page_obj = paginate(request, search, self.per_page, paginator_class=DirectoryPaginator)
        add_card_photos(page_obj.object_list)
        self.add_card_details(request, page_obj.object_list)
        return self.render(
            request,
            context_overrides={
                "form": form,
                "people": page_obj,
                "cards": cards_html(page_obj.object_list),
                "query_string": filter_query_string(request),
            },
        )

    def add_card_details(self, request, people):
        """Give each person on a page of results `card_body`, their card's text with
        their profile's URL and their specialties (their ids came with the page)."""
        names = specialty_names(
            {person.pk: held_specialty_ids(person._specialty_ids) for person in people}
        )
        profile_url = self.profile_url_builder(request)
        label = gettext("Specialties:")
        for person in people:
            person.card_body = card_body_html(
                person, profile_url(person.slug), names.get(person.pk, []), label
            )

    def profile_url_builder(self, request):
        """A function of a slug giving that profile's URL, as `{% routablepageurl page
        "profile" slug %}` does, with the directory's own URL worked out once."""
        base_url = self.relative_url(Site.find_for_request(request), request)
        if not base_url.endswith("/"):
            base_url += "/"
        return lambda slug: profile_path(base_url, slug)

    def get_sitemap_urls(self, request=None):
        """The directory, then each listed member's profile."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if not base or not self.live:
            return urls
        for person in Person.objects.public().only("slug", "last_published_at"):
            profile = base + self.reverse_subpage("profile", kwargs={"slug": person.slug})
            urls.append({"location": profile, "lastmod": person.last_published_at})
        return urls

    @path("<slug:slug>/", name="profile")
    def profile(self, request, slug):
        # With the photo: the profile shows it, and so does its social card.
        # The slug is unique: get() needs no ORDER BY, where first() would sort by name.
        people = Person.objects.public().defer(*Person.PRIVATE_FIELDS).select_related("photo")
        try:
            person = people.get(slug=slug)
        except Person.DoesNotExist:
            raise Http404(_("No listed member has this address.")) from None
        return self.render(
            request,
            template="people/person_profile.html",
            context_overrides={"person": person},
        )


def public_directory():
    """The live, public member directory page, or None: looked up once per request
    (every profile link on a page needs it), with the request's view restrictions."""
    return memoized("public_directory", find_public_directory)


def find_public_directory():
    return MemberDirectoryPage.objects.live().exclude(private_pages_q()).first()


def public_directory_url():
    """The URL of the live, public member directory page, or "" when there is none.

    Every page naming members links their profiles: kept until content changes
    (generation_cached), so those pages make no query for it. Publishing,
    unpublishing, moving or restricting the directory changes the content generation.
    """
    return memoized(
        "public_directory_url",
        lambda: generation_cached(
            "smop:public-directory-url", find_public_directory_url, SITE_CACHE_SECONDS
        ),
    )


def find_public_directory_url():
    directory = find_public_directory()
    # "" rather than None, which generation_cached() never keeps.
    return (directory.url or "") if directory else ""


def profile_path(directory_url, slug):
    """A profile's URL under the directory's URL ("" without a directory URL), as
    `reverse_subpage("profile", args=[slug])` gives it."""
    if not directory_url:
        return ""
    before, after = profile_route()
    return f"{directory_url}{before}{slug}{after}"


@functools.cache
def profile_route():
    """What the profile route puts before and after a slug, reversed once per process:
    a slug (SlugField: letters, digits, - and _) is never quoted by `reverse()`."""
    sample = "slug"
    path = MemberDirectoryPage.get_resolver().reverse("profile", sample)
    before, _, after = path.partition(sample)
    return before, after


def filter_query_string(request):
    """The current filters, without the page number, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
