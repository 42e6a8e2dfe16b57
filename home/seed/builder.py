"""Build the demo site from `home.seed.content`, adding only what is missing.

Every record is looked up before it is created, by what an editor is least likely to
change: the page types a site has only one of (home, President's message, values,
member directory) by type; resource lists by audience; the event and gallery indexes
by type under home; other pages by slug under their parent; images by file hash or
title; people by slug or name; roles and specialties by slug. Anything found is left
exactly as it is, so a second run changes nothing and an editor's changes are never
overwritten. A page whose slug is taken by a page of another type is reported and
skipped, with the pages that would go under it.

The caller runs `SiteBuilder.build` inside a transaction. An expected failure is raised
as `SeedError`, naming the record it stopped at; after a rollback the caller calls
`discard_new_files`, since the files of new images are not part of the transaction.
"""

from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from django.db.models import Q
from wagtail.log_actions import registry as log_registry
from wagtail.models import Locale, Page, Site

from cms.models import SiteImage, SiteSettings
from events.models import EventIndexPage, EventPage
from gallery.models import GalleryImage, GalleryIndexPage, GalleryPage
from people.models import MemberDirectoryPage, OfficerRole, OfficerTerm, Person, Specialty

from ..models import (
    HomePage,
    InitiativePage,
    PresidentMessagePage,
    Publication,
    Resource,
    ResourceListPage,
    StandardPage,
    ValuesPage,
)
from . import content
from .images import file_hash, placeholder_data, placeholder_file

NOTHING_TO_DO = "Nothing to do: the site is already seeded."

# What Wagtail's first migration creates under the tree root.
WELCOME_TITLE = "Welcome to your new Wagtail site!"
WELCOME_SLUG = "home"

# Failures that bad data or a bad environment can cause, as opposed to bugs.
EXPECTED_ERRORS = (ValidationError, DatabaseError, OSError)


class SeedError(Exception):
    """An expected failure, with a message that names the record it happened on."""


def describe(error):
    """An error as one readable line; a ValidationError as 'field: message; ...'."""
    if not isinstance(error, ValidationError):
        return str(error)
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )


class SiteBuilder:
    """Creates what is missing and reports each step through `say(message)`."""

    def __init__(self, say=print):
        self.say = say
        self.created = Counter()
        self.present = 0
        self.skipped = 0
        self.changes = 0
        self.new_page_ids = set()
        self.new_images = []

    # --- Running and reporting -------------------------------------------------------

    def build(self):
        images = self.ensure_images()
        roles = self.ensure_roles()
        self.ensure_people(roles, self.ensure_specialties())
        home, home_is_new = self.ensure_home(images)
        pages = self.ensure_home_children(home, images, roles)
        if home_is_new:
            self.publish_home(home, pages)
        else:
            self.note_unlinked_pages(pages)
        site = self.ensure_default_site(home, home_is_new)
        self.ensure_site_settings(site)
        self.say(self.summary())
        return self.created

    def summary(self):
        if not self.created and not self.changes and not self.skipped:
            return NOTHING_TO_DO
        made = ", ".join(f"{kind} ({count})" for kind, count in self.created.items())
        skipped = f"; {self.skipped} skipped" if self.skipped else ""
        return f"Done: created {made or 'nothing new'}; {self.present} already present{skipped}."

    def create(self, kind, label, save):
        """Run `save()` and report the record it returns; a failure names the record."""
        try:
            record = save()
        except EXPECTED_ERRORS as error:
            raise SeedError(f"Could not create {label}: {describe(error)}") from error
        self.note_created(kind, label)
        return record

    def note_created(self, kind, label):
        self.created[kind] += 1
        self.say(f"Created {label}")

    def note_present(self, label):
        self.present += 1
        self.say(f"Already present: {label}")

    def note_skipped(self, message, count=1):
        self.skipped += count
        self.say(f"Skipped: {message}")

    def note_change(self, message):
        self.changes += 1
        self.say(message)

    def discard_new_files(self):
        """Delete the files of images saved by this run, once its rows are rolled back."""
        for image in self.new_images:
            image.file.storage.delete(image.file.name)
        self.new_images = []

    # --- Images, roles, specialties and people ---------------------------------------

    def ensure_images(self):
        return {spec["key"]: self.ensure_image(spec) for spec in content.IMAGES}

    def ensure_image(self, spec):
        data = placeholder_data(spec)
        image = find_image(spec, file_hash(data))
        if image:
            self.note_present(f"image '{image.title}'")
            return image
        return self.create(
            "images", f"image '{spec['title']}'", lambda: self.save_image(spec, data)
        )

    def save_image(self, spec, data):
        image = SiteImage(
            title=spec["title"], alt_text=spec["alt_text"], file=placeholder_file(spec, data)
        )
        # File size and hash, as Wagtail's own upload form records them.
        image._set_image_file_metadata()
        image.save()
        self.new_images.append(image)
        return image

    def ensure_roles(self):
        return {
            spec["slug"]: self.ensure_by_slug(OfficerRole, spec, "officer roles")
            for spec in content.ROLES
        }

    def ensure_specialties(self):
        return {
            spec["slug"]: self.ensure_by_slug(Specialty, spec, "specialties")
            for spec in content.SPECIALTIES
        }

    def ensure_by_slug(self, model, spec, kind):
        """A translatable record in the default locale, found by slug or name, or created."""
        locale = Locale.get_default()
        in_locale = model.objects.filter(locale=locale)
        record = (
            in_locale.filter(slug=spec["slug"]).first()
            or in_locale.filter(name__iexact=spec["name"]).first()
        )
        label = f"{model._meta.verbose_name} '{spec['name']}'"
        if record:
            self.note_present(label)
            return record
        return self.create(kind, label, lambda: model.objects.create(locale=locale, **spec))

    def ensure_people(self, roles, specialties):
        for spec in content.PEOPLE:
            self.ensure_person(spec, roles, specialties)

    def ensure_person(self, spec, roles, specialties):
        person = find_person(spec)
        if person:
            self.note_present(f"person '{person}'")
            return person
        person = new_person(spec, roles, specialties)
        return self.create("people", f"person '{person}'", lambda: publish_person(person))

    # --- The home page and the site --------------------------------------------------

    def ensure_home(self, images):
        """The one HomePage, created under the tree root in place of the welcome page."""
        home = HomePage.objects.first()
        if home:
            self.note_present(f"home page '{home.title}'")
            return home, False
        root = Page.get_first_root_node()
        sites = self.remove_welcome_page(root)
        spec = content.HOME
        # A page kept at depth 2 may still hold the usual slug.
        taken = root.get_children().filter(slug=spec["slug"]).exists()
        home = HomePage(
            title=spec["title"],
            slug="smop" if taken else spec["slug"],
            hero_heading=spec["hero_heading"],
            hero_intro=spec["hero_intro"],
            hero_image=images[content.HERO_IMAGE["key"]],
            listing_summary=spec["listing_summary"],
            search_description=spec["search_description"],
            # Published once its sections can link to the pages below it.
            live=False,
        )
        label = f"page '{home.title}' (home page)"
        self.create("pages", label, lambda: root.add_child(instance=home))
        for site in sites:
            self.point_site(site, home)
        return home, True

    def remove_welcome_page(self, root):
        """Delete Wagtail's default welcome page; return the sites that were rooted there.

        Only the page Wagtail's first migration made is removed: a plain
        `wagtailcore.Page` under the root, with no children, still titled or slugged
        as Wagtail made it. Any other page was made on purpose. Its sites are moved to
        the tree root first so that deleting the page does not delete them (and their
        settings) along with it; they are then pointed at the new home page.
        """
        moved = []
        for page in welcome_pages(root):
            sites = list(Site.objects.filter(root_page=page))
            for site in sites:
                site.root_page = root
                site.save()
            page.delete()
            self.note_change(f"Deleted Wagtail's default page '{page.title}'")
            moved += sites
        return moved

    def point_site(self, site, home):
        site.root_page = home
        site.save()
        self.note_change(f"Pointed site '{site}' at the home page")

    def note_unlinked_pages(self, pages):
        """An existing home page is never edited: name new pages its sections linked to."""
        for key in sorted(linked_page_keys()):
            page = pages[key]
            if page and page.pk in self.new_page_ids:
                self.say(
                    f"Note: the home page was left as it is; link '{page.title}' "
                    "from its sections if it should appear there."
                )

    def publish_home(self, home, pages):
        home.sections = home_sections(pages)
        home.save_revision().publish()

    def ensure_default_site(self, home, home_is_new):
        """The default site: created if there is none, moved to a newly created home."""
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(root_page=home, is_default_site=True, **content.DEFAULT_SITE)
            return self.create("sites", f"site '{site}'", lambda: save_record(site))
        if site.root_page_id != home.pk and home_is_new:
            self.point_site(site, home)
        elif site.root_page_id != home.pk:
            # An existing home and a site pointing elsewhere: someone chose this.
            self.say(f"Left as it is: site '{site}' does not point at the home page")
        return site

    def ensure_site_settings(self, site):
        """Site settings, filled in from `content` only while nobody has edited them.

        A row can exist before the first run: Wagtail creates one holding the model's
        defaults the first time a page or the Settings screen asks for it. Such a row
        is filled in. A row that was ever saved from the Settings screen (it has an
        entry in its history) or that holds anything but the defaults is left alone,
        so a field an editor cleared on purpose stays clear. (An edit made outside the
        admin that leaves exactly the defaults cannot be told from an untouched row.)
        """
        label = f"site settings for '{site}'"
        settings = SiteSettings.objects.filter(site=site).first()
        if settings is None:
            settings = SiteSettings(site=site, **content.SITE_SETTINGS)
            self.create("site settings", label, lambda: save_record(settings))
        elif was_edited(settings):
            self.note_present(label)
        else:
            for name, value in content.SITE_SETTINGS.items():
                setattr(settings, name, value)
            settings.save(update_fields=list(content.SITE_SETTINGS))
            self.note_change(f"Filled in {label}, which had never been edited")

    # --- Pages -----------------------------------------------------------------------

    def ensure_home_children(self, home, images, roles):
        """Every page under home, keyed as in `content` (None if skipped), for links."""
        pages = {
            "about": self.ensure_page(home, content.ABOUT, about_page, by_slug(StandardPage)),
            "president": self.ensure_page(
                home,
                content.PRESIDENT,
                lambda spec: president_page(spec, roles),
                only(PresidentMessagePage),
            ),
            "values": self.ensure_page(home, content.VALUES, values_page, only(ValuesPage)),
            "events": self.ensure_events(home),
            "initiative": self.ensure_page(
                home, content.INITIATIVE, initiative_page, by_slug(InitiativePage)
            ),
            "directory": self.ensure_page(
                home, content.DIRECTORY, directory_page, only(MemberDirectoryPage)
            ),
            "gallery": self.ensure_gallery(home, images),
        }
        for spec in (content.RESOURCES_PHYSICIANS, content.RESOURCES_PATIENTS):
            pages[spec["key"]] = self.ensure_page(
                home, spec, resource_list_page, resource_list_for_audience
            )
        return pages

    def ensure_events(self, home):
        index = self.ensure_page(
            home, content.EVENT_INDEX, event_index_page, first_child(EventIndexPage)
        )
        events = [(spec, smop_event_page) for spec in content.SMOP_EVENTS]
        events += [(spec, international_event_page) for spec in content.INTERNATIONAL_EVENTS]
        if index is None:
            self.note_skipped(f"the {len(events)} event pages that go under it", len(events))
            return None
        for spec, make in events:
            self.ensure_page(index, spec, make, by_slug(EventPage), in_menus=False)
        return index

    def ensure_gallery(self, home, images):
        index = self.ensure_page(
            home, content.GALLERY_INDEX, gallery_index_page, first_child(GalleryIndexPage)
        )
        if index is None:
            self.note_skipped(f"page '{content.GALLERY_ALBUM['title']}', which goes under it")
            return None
        self.ensure_page(
            index,
            content.GALLERY_ALBUM,
            lambda spec: gallery_page(spec, images),
            by_slug(GalleryPage),
            in_menus=False,
        )
        return index

    def ensure_page(self, parent, spec, make, find, in_menus=True):
        """The page `find(parent, spec)` finds, or a new one published under `parent`.

        Returns None, and reports it, when the spec's slug under `parent` is taken by
        a page of another type: that page is not ours to change, and nothing is put
        under it, since the page tree would not allow it there.
        """
        existing = find(parent, spec)
        if existing:
            self.note_present(f"page '{existing.title}'")
            return existing
        clash = parent.get_children().filter(slug=spec["slug"]).first()
        if clash:
            self.note_skipped(
                f"page '{spec['title']}': the page '{clash.title}' at slug '{clash.slug}' "
                f"under '{parent.title}' exists as a {clash.content_type.name}"
            )
            return None
        page = make(spec)
        page.title = spec["title"]
        page.slug = spec["slug"]
        page.listing_summary = spec.get("listing_summary") or spec.get("summary", "")
        page.search_description = spec.get("search_description") or page.listing_summary
        page.show_in_menus = in_menus
        page.live = False
        label = f"page '{page.title}' ({page._meta.verbose_name})"
        self.create("pages", label, lambda: add_published_page(parent, page))
        self.new_page_ids.add(page.pk)
        return page


# --- Finding what a previous run made ------------------------------------------------


def find_image(spec, data_hash):
    """A placeholder by its file's hash (an editor may rename it), else by title."""
    return (
        SiteImage.objects.filter(file_hash=data_hash).first()
        or SiteImage.objects.filter(title=spec["title"]).first()
    )


def find_person(spec):
    """A person by slug, else by name (an editor may change the profile address)."""
    names = {"first_name__iexact": spec["first_name"], "last_name__iexact": spec["last_name"]}
    return (
        Person.objects.filter(slug=spec["slug"]).first()
        or Person.objects.filter(locale=Locale.get_default(), **names).first()
    )


def was_edited(settings):
    """Whether site settings were ever saved from the admin or differ from the defaults."""
    if log_registry.get_logs_for_instance(settings).exists():
        return True
    if settings.social_links.exists():
        return True
    return any(
        getattr(settings, field.attname) != field.get_default()
        for field in SiteSettings._meta.concrete_fields
        if field.editable and not field.primary_key and not field.is_relation
    )


def welcome_pages(root):
    """Wagtail's default welcome page, if it is still under the root as Wagtail made it."""
    return (
        root.get_children()
        .exact_type(Page)
        .filter(numchild=0)
        .filter(Q(title=WELCOME_TITLE) | Q(slug=WELCOME_SLUG))
    )


# Page finders: each takes (parent, spec) and returns the existing page, or None.


def only(model):
    """The site's one page of a type it may have only one of (`max_count = 1`)."""
    return lambda parent, spec: model.objects.first()


def first_child(model):
    """The first page of this type under the parent, whatever its slug."""
    return lambda parent, spec: model.objects.child_of(parent).first()


def by_slug(model):
    """The parent's child with the spec's slug, if it is of this type."""

    def find(parent, spec):
        page = parent.get_children().filter(slug=spec["slug"]).first()
        return page.specific if page and page.specific_class is model else None

    return find


def resource_list_for_audience(parent, spec):
    """The resource list for the spec's audience: the site allows one per audience."""
    return ResourceListPage.objects.filter(audience=spec["audience"]).first()


# --- Saving new records ----------------------------------------------------------------


def save_record(record):
    """Save after the checks an editor's form runs (`full_clean`), and return it."""
    record.full_clean()
    record.save()
    return record


def add_published_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def new_person(spec, roles, specialties):
    """An unsaved draft person with their specialties and officer terms."""
    fields = {k: v for k, v in spec.items() if k not in ("specialties", "terms")}
    person = Person(live=False, **fields)
    person.specialties = [specialties[slug] for slug in spec["specialties"]]
    person.officer_terms = [
        OfficerTerm(
            role=roles[term["role"]], start_date=term["start_date"], end_date=term["end_date"]
        )
        for term in spec["terms"]
    ]
    return person


def publish_person(person):
    # Saved as a draft first, then published from a revision like any reviewed edit.
    person.save()
    person.save_revision().publish()
    return person


# --- Unsaved pages from their specs ----------------------------------------------------


def about_page(spec):
    return StandardPage(intro=spec["intro"], body=stream(spec["body"]))


def stream(blocks):
    return [{"type": name, "value": value} for name, value in blocks]


def president_page(spec, roles):
    return PresidentMessagePage(
        excerpt=spec["excerpt"],
        message=spec["message"],
        signatory_role=roles[spec["signatory_role"]],
    )


def values_page(spec):
    return ValuesPage(
        intro=spec["intro"], values=stream(("value", value) for value in spec["values"])
    )


def event_index_page(spec):
    return EventIndexPage(intro=spec["intro"])


EVENT_FIELDS = (
    "summary",
    "format",
    "date_precision",
    "start_date",
    "start_time",
    "end_date",
    "timezone",
    "venue",
    "city",
    "country",
)


def event_fields(spec):
    # A format the brief does not give stays blank ("not known") rather than defaulting.
    return {"format": "", **{name: spec[name] for name in EVENT_FIELDS if name in spec}}


def smop_event_page(spec):
    return EventPage(
        category=spec["category"], organiser=EventPage.Organiser.SMOP, **event_fields(spec)
    )


def international_event_page(spec):
    return EventPage(
        category=EventPage.Category.INTERNATIONAL,
        organiser=EventPage.Organiser.EXTERNAL,
        organiser_name=spec["organiser_name"],
        **event_fields(spec),
    )


def initiative_page(spec):
    page = InitiativePage(summary=spec["summary"], status=spec["status"], aims=spec["aims"])
    page.publications = [Publication(**publication) for publication in spec["publications"]]
    return page


def directory_page(spec):
    return MemberDirectoryPage(intro=spec["intro"])


def gallery_index_page(spec):
    return GalleryIndexPage(intro=spec["intro"])


def gallery_page(spec, images):
    page = GalleryPage(intro=spec["intro"])
    count = len(spec["images"])
    page.images = [
        GalleryImage(image=images[key], caption=f"Placeholder image {number} of {count}")
        for number, key in enumerate(spec["images"], start=1)
    ]
    return page


def resource_list_page(spec):
    page = ResourceListPage(
        audience=spec["audience"], intro=spec["intro"], empty_message=spec["empty_message"]
    )
    page.resources = [Resource(**resource) for resource in spec["resources"]]
    return page


def home_sections(pages):
    """The home page's StreamField sections, linking to the pages built below it."""
    spec = content.HOME_SECTIONS
    links = [page_link(link, pages) for link in spec["featured_links"]]
    return [
        section(
            "pillars",
            heading=spec["pillars_heading"],
            pillars=[pillar(item, pages) for item in content.PILLARS],
        ),
        section("president_message", heading=spec["president_heading"]),
        section("upcoming_events", heading=spec["events_heading"], count=spec["events_count"]),
        # A skipped page has no link.
        section("featured_links", heading=spec["links_heading"], links=[x for x in links if x]),
    ]


def linked_page_keys():
    """The keys of the pages the home page's sections link to."""
    keys = {link["page"] for link in content.HOME_SECTIONS["featured_links"]}
    return keys | {pillar["link"]["page"] for pillar in content.PILLARS}


def section(name, **value):
    return {"type": name, "value": value}


# A pillar's link is optional: left empty when its page was skipped.
NO_LINK = {"label": "", "page": None, "url": ""}


def pillar(item, pages):
    link = page_link(item["link"], pages) or NO_LINK
    return {"title": item["title"], "text": item["text"], "link": link}


def page_link(link, pages):
    """A link block's value, or None if the page it names was skipped."""
    page = pages[link["page"]]
    if page is None:
        return None
    return {"label": link["label"], "page": page.pk, "url": ""}
