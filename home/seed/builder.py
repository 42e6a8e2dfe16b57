"""Build the demo site from `home.seed.content`, adding only what is missing.

Every record is looked up by a stable key before it is created: pages by slug under
their parent, images by title, people, roles and specialties by slug. Anything found
is left exactly as it is, so a second run changes nothing and an editor's changes are
never overwritten. The caller runs `SiteBuilder.build` inside a transaction.
"""

from collections import Counter

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
from .images import placeholder_file

NOTHING_TO_DO = "Nothing to do: the site is already seeded."


class SiteBuilder:
    """Creates what is missing and reports each step through `say(message)`."""

    def __init__(self, say=print):
        self.say = say
        self.created = Counter()
        self.present = 0
        self.changes = 0
        self.new_page_ids = set()

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
        if not self.created and not self.changes:
            return NOTHING_TO_DO
        made = ", ".join(f"{kind} ({count})" for kind, count in self.created.items())
        return f"Done: created {made or 'nothing new'}; {self.present} already present."

    def note_created(self, kind, label):
        self.created[kind] += 1
        self.say(f"Created {label}")

    def note_present(self, label):
        self.present += 1
        self.say(f"Already present: {label}")

    def note_change(self, message):
        self.changes += 1
        self.say(message)

    # --- Images, roles, specialties and people ---------------------------------------

    def ensure_images(self):
        return {spec["key"]: self.ensure_image(spec) for spec in content.IMAGES}

    def ensure_image(self, spec):
        image = SiteImage.objects.filter(title=spec["title"]).first()
        if image:
            self.note_present(f"image '{image.title}'")
            return image
        image = SiteImage(
            title=spec["title"], alt_text=spec["alt_text"], file=placeholder_file(spec)
        )
        # File size and hash, as Wagtail's own upload form records them.
        image._set_image_file_metadata()
        image.save()
        self.note_created("images", f"image '{image.title}'")
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
        """A translatable record in the default locale, found by slug or created."""
        locale = Locale.get_default()
        record = model.objects.filter(slug=spec["slug"], locale=locale).first()
        label = f"{model._meta.verbose_name} '{spec['name']}'"
        if record:
            self.note_present(label)
            return record
        record = model.objects.create(locale=locale, **spec)
        self.note_created(kind, label)
        return record

    def ensure_people(self, roles, specialties):
        for spec in content.PEOPLE:
            self.ensure_person(spec, roles, specialties)

    def ensure_person(self, spec, roles, specialties):
        person = Person.objects.filter(slug=spec["slug"]).first()
        if person:
            self.note_present(f"person '{person}'")
            return person
        fields = {k: v for k, v in spec.items() if k not in ("specialties", "terms")}
        # Saved as a draft first, then published from a revision like any reviewed edit.
        person = Person(live=False, **fields)
        person.specialties = [specialties[slug] for slug in spec["specialties"]]
        person.officer_terms = [
            OfficerTerm(
                role=roles[term["role"]],
                start_date=term["start_date"],
                end_date=term["end_date"],
            )
            for term in spec["terms"]
        ]
        person.save()
        person.save_revision().publish()
        self.note_created("people", f"person '{person}'")
        return person

    # --- The home page and the site --------------------------------------------------

    def ensure_home(self, images):
        """The one HomePage, created under the tree root in place of the welcome page."""
        home = HomePage.objects.first()
        if home:
            self.note_present(f"home page '{home.title}'")
            return home, False
        root = Page.get_first_root_node()
        sites = self.remove_welcome_pages(root)
        spec = content.HOME
        # A welcome page kept for its children still holds the usual slug.
        taken = root.get_children().filter(slug=spec["slug"]).exists()
        slug = "smop" if taken else spec["slug"]
        home = HomePage(
            title=spec["title"],
            slug=slug,
            hero_heading=spec["hero_heading"],
            hero_intro=spec["hero_intro"],
            hero_image=images[content.HERO_IMAGE["key"]],
            listing_summary=spec["listing_summary"],
            search_description=spec["search_description"],
            # Published once its sections can link to the pages below it.
            live=False,
        )
        root.add_child(instance=home)
        self.note_created("pages", f"page '{home.title}' (home page)")
        for site in sites:
            self.point_site(site, home)
        return home, True

    def remove_welcome_pages(self, root):
        """Delete Wagtail's default welcome page; return the sites that were rooted there.

        Only a plain `wagtailcore.Page` with no children is removed: anything else was
        made on purpose. Its sites are moved to the tree root first so that deleting
        the page does not delete them (and their settings) along with it.
        """
        moved = []
        for page in root.get_children().filter(numchild=0).exact_type(Page):
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
        keys = {link["page"] for link in content.HOME_SECTIONS["featured_links"]}
        keys |= {pillar["link"]["page"] for pillar in content.PILLARS}
        for key in sorted(keys):
            if pages[key].pk in self.new_page_ids:
                self.say(
                    f"Note: the home page was left as it is; link '{pages[key].title}' "
                    "from its sections if it should appear there."
                )

    def publish_home(self, home, pages):
        home.sections = home_sections(pages)
        home.save_revision().publish()

    def ensure_default_site(self, home, home_is_new):
        """The default site: created if there is none, moved to a newly created home."""
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                root_page=home, is_default_site=True, **content.DEFAULT_SITE
            )
            self.note_created("sites", f"site '{site}'")
        elif site.root_page_id != home.pk and home_is_new:
            self.point_site(site, home)
        elif site.root_page_id != home.pk:
            # An existing home and a site pointing elsewhere: someone chose this.
            self.say(f"Left as it is: site '{site}' does not point at the home page")
        return site

    def ensure_site_settings(self, site):
        """Site settings, filling in only fields that are blank."""
        settings = SiteSettings.objects.filter(site=site).first()
        if settings is None:
            SiteSettings.objects.create(site=site, **content.SITE_SETTINGS)
            self.note_created("site settings", f"site settings for '{site}'")
            return
        blanks = {k: v for k, v in content.SITE_SETTINGS.items() if not getattr(settings, k)}
        if not blanks:
            self.note_present(f"site settings for '{site}'")
            return
        for name, value in blanks.items():
            setattr(settings, name, value)
        settings.save(update_fields=list(blanks))
        self.note_change(f"Filled in blank site settings: {', '.join(blanks)}")

    # --- Pages -----------------------------------------------------------------------

    def ensure_home_children(self, home, images, roles):
        """Every page under home, keyed as in `content`, for links between them."""
        pages = {
            "about": self.ensure_page(home, content.ABOUT, about_page),
            "president": self.ensure_page(
                home, content.PRESIDENT, lambda spec: president_page(spec, roles)
            ),
            "values": self.ensure_page(home, content.VALUES, values_page),
            "events": self.ensure_events(home),
            "initiative": self.ensure_page(home, content.INITIATIVE, initiative_page),
            "directory": self.ensure_page(home, content.DIRECTORY, directory_page),
            "gallery": self.ensure_gallery(home, images),
        }
        for spec in (content.RESOURCES_PHYSICIANS, content.RESOURCES_PATIENTS):
            pages[spec["key"]] = self.ensure_page(home, spec, resource_list_page)
        return pages

    def ensure_events(self, home):
        index = self.ensure_page(home, content.EVENT_INDEX, event_index_page)
        for spec in content.SMOP_EVENTS:
            self.ensure_page(index, spec, smop_event_page, in_menus=False)
        for spec in content.INTERNATIONAL_EVENTS:
            self.ensure_page(index, spec, international_event_page, in_menus=False)
        return index

    def ensure_gallery(self, home, images):
        index = self.ensure_page(home, content.GALLERY_INDEX, gallery_index_page)
        self.ensure_page(
            index,
            content.GALLERY_ALBUM,
            lambda spec: gallery_page(spec, images),
            in_menus=False,
        )
        return index

    def ensure_page(self, parent, spec, make, in_menus=True):
        """The child of `parent` with the spec's slug, created and published if missing."""
        existing = parent.get_children().filter(slug=spec["slug"]).first()
        if existing:
            self.note_present(f"page '{existing.title}'")
            return existing.specific
        page = make(spec)
        page.title = spec["title"]
        page.slug = spec["slug"]
        page.listing_summary = spec.get("listing_summary") or spec.get("summary", "")
        page.search_description = spec.get("search_description") or page.listing_summary
        page.show_in_menus = in_menus
        page.live = False
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.new_page_ids.add(page.pk)
        self.note_created("pages", f"page '{page.title}' ({page._meta.verbose_name})")
        return page


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
    return [
        section(
            "pillars",
            heading=spec["pillars_heading"],
            pillars=[pillar(item, pages) for item in content.PILLARS],
        ),
        section("president_message", heading=spec["president_heading"]),
        section("upcoming_events", heading=spec["events_heading"], count=spec["events_count"]),
        section(
            "featured_links",
            heading=spec["links_heading"],
            links=[page_link(link, pages) for link in spec["featured_links"]],
        ),
    ]


def section(name, **value):
    return {"type": name, "value": value}


def pillar(item, pages):
    return {"title": item["title"], "text": item["text"], "link": page_link(item["link"], pages)}


def page_link(link, pages):
    return {"label": link["label"], "page": pages[link["page"]].pk, "url": ""}
