"""`manage.py seed_site`: the demo site it builds, and that it only ever adds what is missing.

The command runs once for the whole module (it builds some thirty records); each test
then runs in its own savepoint, so tests that delete or edit content do not leak.
"""

import datetime as dt
import os
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page, Revision, Site

from cms.models import SiteImage, SiteSettings
from events.models import EventIndexPage, EventPage
from gallery.models import GalleryIndexPage, GalleryPage
from home.models import (
    HomePage,
    InitiativePage,
    PresidentMessagePage,
    ResourceListPage,
    StandardPage,
    ValuesPage,
)
from home.seed import content
from home.seed.builder import NOTHING_TO_DO, WELCOME_TITLE
from home.seed.images import file_hash, placeholder_data
from people.models import MemberDirectoryPage, OfficerRole, OfficerTerm, Person, Specialty

HOME_CHILDREN = {
    "what-is-smop": StandardPage,
    "presidents-message": PresidentMessagePage,
    "our-values": ValuesPage,
    "events": EventIndexPage,
    "dlbcl-research-initiative": InitiativePage,
    "member-directory": MemberDirectoryPage,
    "photo-gallery": GalleryIndexPage,
    "resources-for-physicians": ResourceListPage,
    "resources-for-patients": ResourceListPage,
}

# slug: (precision, start, end) exactly as in the society's brief.
SMOP_EVENTS = {
    "2nd-annual-virtual-conference-on-hematology": (
        "day",
        dt.date(2021, 2, 5),
        dt.date(2021, 2, 7),
    ),
    "breast-cancer-symposium": ("day", dt.date(2021, 2, 20), None),
    "best-of-asco21-pakistan-virtual-meeting": ("day", dt.date(2021, 8, 6), dt.date(2021, 8, 8)),
    "acord21-protocol-development-workshop": ("time", dt.date(2021, 8, 29), dt.date(2021, 9, 3)),
    "comprehensive-review-of-hormone-positive-breast-cancer": ("unknown", None, None),
    "new-frontier-in-immuno-oncology": ("unknown", None, None),
    "best-of-asco2022-pakistan": ("year", dt.date(2022, 1, 1), None),
    "3rd-annual-conference-on-hematological-malignancies-2022": (
        "year",
        dt.date(2022, 1, 1),
        None,
    ),
}

# slug: (start, end, time zone, city)
INTERNATIONAL_EVENTS = {
    "asco-2022-annual-meeting": (
        dt.date(2022, 6, 3),
        dt.date(2022, 6, 7),
        "America/Chicago",
        "Chicago, IL",
    ),
    "aos-2022": (dt.date(2022, 6, 16), dt.date(2022, 6, 18), "Asia/Seoul", "Seoul"),
    "esmo-congress-2022": (dt.date(2022, 9, 9), dt.date(2022, 9, 13), "Asia/Karachi", ""),
    "protocol-development-workshop-2022": (
        dt.date(2022, 9, 25),
        dt.date(2022, 9, 30),
        "Asia/Karachi",
        "",
    ),
    "ehoc-2022": (dt.date(2022, 10, 5), dt.date(2022, 10, 8), "Europe/Istanbul", ""),
    "jsco-frontier-symposium-2022": (
        dt.date(2022, 10, 20),
        dt.date(2022, 10, 22),
        "Asia/Tokyo",
        "Kobe",
    ),
}


def seed():
    """Run the command and return what it printed."""
    out = StringIO()
    call_command("seed_site", stdout=out)
    return out.getvalue()


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": SiteImage.objects.count(),
        "people": Person.objects.count(),
        "terms": OfficerTerm.objects.count(),
        "roles": OfficerRole.objects.count(),
        "specialties": Specialty.objects.count(),
        "sites": Site.objects.count(),
        "settings": SiteSettings.objects.count(),
    }


def created_lines(output):
    return [line for line in output.splitlines() if line.startswith("Created")]


def last_line(output):
    return output.rstrip().splitlines()[-1]


def rename(page, slug):
    """Change a page's slug as an editor does on the Promote tab."""
    page.slug = slug
    page.save_revision().publish()


def media_files():
    found = set()
    for folder, _dirs, files in os.walk(django_settings.MEDIA_ROOT):
        found |= {os.path.join(folder, name) for name in files}
    return found


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield seed()
            transaction.set_rollback(True)
    # Wagtail caches site root paths; they pointed at pages that no longer exist.
    cache.clear()


@pytest.fixture
def home(first_run, db):
    return HomePage.objects.get()


@pytest.fixture
def events(home):
    return EventPage.objects.child_of(EventIndexPage.objects.get())


class TestTree:
    def test_home_replaces_the_welcome_page_as_the_default_site_root(self, home, first_run):
        assert Site.objects.get(is_default_site=True).root_page_id == home.pk
        assert not Page.objects.filter(depth=2).exact_type(Page).exists()
        assert "Deleted Wagtail's default page" in first_run
        assert home.live
        assert home.hero_image.title.startswith("Placeholder")

    def test_every_section_page_is_a_live_menu_child_of_home(self, home):
        children = {page.slug: page for page in home.get_children().specific()}
        assert set(children) == set(HOME_CHILDREN)
        for slug, model in HOME_CHILDREN.items():
            page = children[slug]
            assert type(page) is model, slug
            assert page.live and page.show_in_menus, slug

    def test_every_page_is_published_once_with_listing_text(self, home):
        for page in home.get_descendants(inclusive=True).specific():
            assert page.live and page.live_revision_id, page.slug
            assert page.revisions.count() == 1, page.slug
            assert page.listing_summary and page.search_description, page.slug

    def test_every_page_passes_the_editors_validation(self, home):
        # So that an editor can open any seeded page and save it unchanged.
        for page in home.get_descendants(inclusive=True).specific():
            page.full_clean()
            for field in page._meta.get_fields():
                if isinstance(field, StreamField):
                    field.stream_block.clean(getattr(page, field.name))

    def test_home_sections_link_to_the_pages_below_it(self, home):
        assert [block.block_type for block in home.sections] == [
            "pillars",
            "president_message",
            "upcoming_events",
            "featured_links",
        ]
        pillars = home.sections[0].value["pillars"]
        assert [pillar["title"] for pillar in pillars] == [
            "Advancing Cancer Awareness",
            "Fostering Professional Growth",
            "Global Presence",
        ]
        assert all(pillar["text"] for pillar in pillars)
        linked = {link["page"].slug for link in home.sections[3].value["links"]}
        assert linked == {
            "member-directory",
            "dlbcl-research-initiative",
            "photo-gallery",
            "resources-for-physicians",
            "resources-for-patients",
        }

    def test_values_page_has_the_four_values_with_icons(self, home):
        values = [block.value for block in ValuesPage.objects.get().values]
        assert [(v["name"], v["icon"]) for v in values] == [
            ("Integrity", "shield"),
            ("Commitment", "heart"),
            ("Accountability", "scales"),
            ("Excellence", "star"),
        ]
        assert all(v["statement"] for v in values)

    def test_every_seeded_page_renders(self, home, client):
        for page in home.get_descendants(inclusive=True):
            assert client.get(page.url).status_code == 200, page.url


class TestEvents:
    def test_smop_events_have_the_dates_in_the_brief(self, events):
        smop = events.filter(organiser=EventPage.Organiser.SMOP)
        found = {e.slug: (e.date_precision, e.start_date, e.end_date) for e in smop}
        assert found == SMOP_EVENTS
        assert not smop.filter(category=EventPage.Category.INTERNATIONAL).exists()

    def test_undated_events_are_archived_not_upcoming(self, events):
        undated = events.filter(date_precision="unknown")
        assert undated.count() == 2
        assert all(e.starts_at is None and e.ends_at is None for e in undated)
        assert set(events.past()) == set(events)

    def test_acord21_workshop_starts_at_seven_in_lahore(self, events):
        workshop = events.get(slug="acord21-protocol-development-workshop")
        karachi = ZoneInfo("Asia/Karachi")
        assert workshop.starts_at == dt.datetime(2021, 8, 29, 7, tzinfo=karachi)
        assert workshop.ends_at == dt.datetime(2021, 9, 4, tzinfo=karachi)
        assert workshop.place_label == "Falettis Hotel, Lahore, Pakistan"
        assert workshop.category == EventPage.Category.WORKSHOP

    def test_international_events_are_external_with_their_places(self, events):
        international = events.international()
        found = {e.slug: (e.start_date, e.end_date, e.timezone, e.city) for e in international}
        assert found == INTERNATIONAL_EVENTS
        for event in international:
            assert event.organiser == EventPage.Organiser.EXTERNAL
            assert event.organiser_name and event.date_precision == "day", event.slug

    def test_formats_follow_the_brief(self, events):
        formats = dict(events.values_list("slug", "format"))
        assert formats["asco-2022-annual-meeting"] == "hybrid"
        assert formats["protocol-development-workshop-2022"] == "virtual"
        assert formats["2nd-annual-virtual-conference-on-hematology"] == "virtual"
        assert formats["best-of-asco21-pakistan-virtual-meeting"] == "virtual"
        asco = events.get(slug="asco-2022-annual-meeting")
        assert (asco.country, asco.website_url) == ("United States", "")


class TestContent:
    def test_initiative_lists_the_two_publications(self, home):
        initiative = InitiativePage.objects.get()
        guideline, study = initiative.publications.all()
        assert (guideline.journal, guideline.year) == ("JCO Global Oncology", 2021)
        assert guideline.link == "https://doi.org/10.1200/GO.21.00320"
        assert "Pakistan Society of Hematology" in guideline.title
        assert "Pakistan Society of Clinical Oncology" in guideline.title
        assert study.title == "Real-World Challenges of Managing DLBCL in a Developing Country"
        assert (study.journal, study.year, study.doi) == ("", None, "")
        assert "738 patients" in study.note and "12 centres" in study.note
        assert not initiative.investigators.exists()
        assert not initiative.centres.exists()

    def test_physician_resources_list_the_who_essential_medicines(self, home):
        page = ResourceListPage.objects.get(audience="physicians")
        (resource,) = page.resources.all()
        assert resource.title == "World Health Organization Model List of Essential Medicines"
        assert resource.publisher == "World Health Organization"
        assert resource.language == "en"
        assert resource.link.startswith("https://www.who.int/groups/expert-committee-on-")

    def test_patient_resources_are_empty_with_an_honest_message(self, home):
        page = ResourceListPage.objects.get(audience="patients")
        assert not page.resources.exists()
        assert "not added any patient resources yet" in page.empty_message

    def test_president_resolves_to_zeba_aziz_through_the_role(self, home):
        page = PresidentMessagePage.objects.get()
        assert page.signatory_role.slug == "president"
        president = page.signatory
        assert president.full_name == "Dr. Zeba Aziz"
        assert president.designation == (
            "Professor of Oncology, Consultant Oncologist / Hematologist"
        )
        assert ">50%" not in page.message and "above 50%" in page.message
        assert "more than 30%" in page.message

    def test_the_one_person_is_published_and_listed(self, home):
        (person,) = Person.objects.all()
        assert person.is_public and person.live_revision_id
        assert person.revisions.count() == 1
        assert {s.slug for s in person.specialties.all()} == {"medical-oncology", "haematology"}
        (term,) = person.officer_terms.all()
        assert (term.start_date, term.end_date) == (None, None)
        assert (person.city, person.institution) == ("", "")

    def test_placeholder_images_say_what_they_are(self, home):
        images = SiteImage.objects.all()
        assert images.count() == 5
        for image in images:
            assert "Placeholder" in image.title and "Placeholder" in image.alt_text
            assert image.file_size and image.file_hash
        assert {(i.width, i.height) for i in images} == {(1600, 900), (1200, 800)}

    def test_gallery_album_holds_placeholders_and_no_event(self, home):
        album = GalleryPage.objects.get()
        assert album.event is None
        assert album.images.count() == 4
        assert all(item.image.title.startswith("Placeholder") for item in album.images.all())

    def test_site_settings_have_no_invented_contact_details(self, home):
        settings = SiteSettings.objects.get(site__is_default_site=True)
        assert settings.organisation_name == "Society of Medical Oncology Pakistan"
        assert settings.short_name == "SMOP"
        assert settings.footer_text
        assert (settings.email, settings.phone, settings.address) == ("", "", "")
        assert not settings.social_links.exists()


class TestIdempotency:
    def test_first_run_reports_what_it_created(self, first_run):
        assert "Created page 'Events' (event index page)" in first_run
        assert "Created person 'Dr. Zeba Aziz'" in first_run
        assert first_run.rstrip().splitlines()[-1].startswith("Done: created")

    def test_second_run_changes_nothing_and_says_so(self, home):
        before = counts()
        output = seed()
        assert counts() == before
        assert created_lines(output) == []
        assert output.rstrip().splitlines()[-1] == NOTHING_TO_DO

    def test_a_deleted_page_is_the_only_thing_added_back(self, home):
        ResourceListPage.objects.get(slug="resources-for-patients").delete()
        before = counts()
        output = seed()
        assert created_lines(output) == [
            "Created page 'Resources for patients' (resource list page)"
        ]
        after = counts()
        assert after["pages"] == before["pages"] + 1
        assert after["revisions"] == before["revisions"] + 1
        assert {k: v for k, v in after.items() if k not in ("pages", "revisions")} == {
            k: v for k, v in before.items() if k not in ("pages", "revisions")
        }
        restored = ResourceListPage.objects.get(slug="resources-for-patients")
        assert restored.live and restored.get_parent().pk == home.pk
        # The home page is not edited to link the new page; the command says so.
        assert "Note: the home page was left as it is; link 'Resources for patients'" in output

    def test_editor_changes_are_never_overwritten(self, home, events):
        home.hero_heading = "Edited heading"
        home.save_revision().publish()
        event = events.get(slug="breast-cancer-symposium")
        event.summary = "Edited summary"
        event.save_revision().publish()
        settings = SiteSettings.objects.get()
        settings.footer_text = "Edited footer"
        settings.save()

        output = seed()

        assert output.rstrip().splitlines()[-1] == NOTHING_TO_DO
        assert HomePage.objects.get().hero_heading == "Edited heading"
        assert EventPage.objects.get(pk=event.pk).summary == "Edited summary"
        assert SiteSettings.objects.get().footer_text == "Edited footer"

    def test_rebuilds_beside_a_welcome_page_that_has_children(self, home):
        # Deleting home takes its site with it: the command must create a new one.
        home.delete()
        welcome = Page.get_first_root_node().add_child(title="Welcome", slug="home")
        welcome.add_child(title="Kept", slug="kept")

        output = seed()

        new_home = HomePage.objects.get()
        assert new_home.slug == "smop"
        assert Page.objects.filter(pk=welcome.pk).exists()
        site = Site.objects.get(is_default_site=True)
        assert site.root_page_id == new_home.pk
        assert SiteSettings.objects.filter(site=site).exists()
        assert "Created site" in output
        # Images and people were kept, not duplicated.
        assert SiteImage.objects.count() == 5
        assert Person.objects.count() == 1


class TestRecordsAnEditorChanged:
    def test_renamed_slugs_and_titles_are_found_again(self, home):
        for model in (PresidentMessagePage, ValuesPage, MemberDirectoryPage, ResourceListPage):
            for page in model.objects.all():
                rename(page, f"renamed-{page.slug}")
        rename(EventIndexPage.objects.get(), "whats-on")
        rename(GalleryIndexPage.objects.get(), "photos")
        Person.objects.update(slug="prof-zeba-aziz")
        OfficerRole.objects.update(slug="society-president")
        Specialty.objects.filter(slug="haematology").update(slug="hematology")
        for image in SiteImage.objects.all():
            image.title = f"Renamed {image.pk}"
            image.save()
        before = counts()

        output = seed()

        assert created_lines(output) == []
        assert last_line(output) == NOTHING_TO_DO
        assert counts() == before

    def test_an_image_is_found_by_title_when_its_file_was_replaced(self, home):
        SiteImage.objects.update(file_hash="")
        before = counts()
        assert created_lines(seed()) == []
        assert counts() == before

    def test_placeholders_are_drawn_the_same_every_time(self, home):
        for spec in content.IMAGES:
            data = placeholder_data(spec)
            assert placeholder_data(spec) == data, spec["key"]
            assert SiteImage.objects.filter(file_hash=file_hash(data)).count() == 1

    def test_a_page_of_another_type_at_the_events_slug_is_skipped(self, home):
        EventIndexPage.objects.get().delete()
        squatter = home.add_child(instance=StandardPage(title="Events", slug="events"))
        before = counts()

        output = seed()

        assert "Skipped: page 'Events'" in output
        assert "exists as a standard page" in output
        assert "Skipped: the 14 event pages that go under it" in output
        assert created_lines(output) == []
        assert last_line(output).endswith("; 15 skipped.")
        assert counts() == before
        assert not squatter.get_children().exists()
        assert not EventPage.objects.exists()

    def test_footer_text_cleared_in_the_admin_stays_cleared(self, home, client, django_user_model):
        client.force_login(django_user_model.objects.create_superuser("editor", "", "pw"))
        settings = SiteSettings.objects.get()
        url = reverse("wagtailsettings:edit", args=["cms", "sitesettings", settings.site_id])
        response = client.post(url, settings_form(settings, footer_text=""))
        assert response.status_code == 302
        assert SiteSettings.objects.get().footer_text == ""

        output = seed()

        assert last_line(output) == NOTHING_TO_DO
        assert SiteSettings.objects.get().footer_text == ""

    def test_settings_nobody_edited_are_filled_in(self, home):
        # Wagtail makes a row of defaults the first time a page asks for the settings.
        site = Site.objects.get(is_default_site=True)
        SiteSettings.objects.all().delete()
        SiteSettings.for_site(site)

        output = seed()

        assert "Filled in site settings" in output
        assert SiteSettings.objects.get().footer_text == content.SITE_SETTINGS["footer_text"]


def settings_form(settings, **changes):
    """The Settings screen's POST data for these settings, with `changes` applied."""
    fields = ("organisation_name", "short_name", "email", "phone", "address", "footer_text")
    data = {name: getattr(settings, name) for name in fields}
    prefix = "social_links"
    data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data |= {f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    return data | changes


class TestWelcomePage:
    def test_only_the_welcome_page_is_removed_and_only_its_sites_moved(self, home):
        home.delete()  # takes the default site with it
        root = Page.get_first_root_node()
        welcome = root.add_child(title=WELCOME_TITLE, slug="welcome")
        landing = root.add_child(title="Landing", slug="landing")
        default = Site.objects.create(
            hostname="localhost", port=80, root_page=welcome, is_default_site=True
        )
        other = Site.objects.create(hostname="landing.example", port=80, root_page=landing)

        output = seed()

        new_home = HomePage.objects.get()
        assert not Page.objects.filter(pk=welcome.pk).exists()
        assert f"Deleted Wagtail's default page '{WELCOME_TITLE}'" in output
        assert Page.objects.filter(pk=landing.pk, numchild=0).exists()
        assert Site.objects.get(pk=default.pk).root_page_id == new_home.pk
        assert Site.objects.get(pk=other.pk).root_page_id == landing.pk
        assert new_home.slug == "home"


class TestFailure:
    def test_invalid_content_stops_with_a_command_error_and_saves_nothing(self, home, monkeypatch):
        # Missing records are made before the failing page: all must be rolled back.
        SiteImage.objects.get(title=content.HERO_IMAGE["title"]).delete()
        Person.objects.all().delete()
        ResourceListPage.objects.get(audience="patients").delete()
        monkeypatch.setitem(content.RESOURCES_PATIENTS, "audience", "nobody")
        before, files = counts(), media_files()

        with pytest.raises(CommandError) as failure:
            seed()

        message = str(failure.value)
        assert message.startswith("Could not create page 'Resources for patients'")
        assert "audience: Value 'nobody' is not a valid choice." in message
        assert message.endswith("Nothing was saved.")
        assert counts() == before
        assert media_files() == files
