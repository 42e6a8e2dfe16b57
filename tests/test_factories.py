"""The factories make content an editor could have saved, and that renders."""

import pytest

from cms.factories import DocumentFactory, SiteImageFactory
from events.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    EventSpeakerFactory,
    ProgrammeSessionFactory,
)
from gallery.factories import GalleryImageFactory, GalleryIndexPageFactory, GalleryPageFactory
from home.factories import (
    InitiativeInvestigatorFactory,
    InitiativePageFactory,
    ParticipatingCentreFactory,
    PresidentMessagePageFactory,
    PublicationFactory,
    ResourceFactory,
    ResourceListPageFactory,
    StandardPageFactory,
    ValuesPageFactory,
)
from people.factories import (
    MemberDirectoryPageFactory,
    OfficerTermFactory,
    PersonFactory,
    SpecialtyFactory,
)

pytestmark = pytest.mark.django_db


def build_every_page(home):
    """One page of every type below `home`, with the related records each can have."""
    events = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=events, materials__0="slides", materials__1="recording")
    EventSpeakerFactory(page=event)
    ProgrammeSessionFactory(page=event)
    album = GalleryPageFactory(parent=GalleryIndexPageFactory(parent=home))
    GalleryImageFactory(page=album)
    initiative = InitiativePageFactory(parent=home)
    InitiativeInvestigatorFactory(page=initiative)
    ParticipatingCentreFactory(page=initiative)
    PublicationFactory(page=initiative)
    resources = ResourceListPageFactory(parent=home)
    ResourceFactory(page=resources)
    return [
        home,
        StandardPageFactory(
            parent=home,
            body__0__heading__value="Heading",
            body__1="paragraph",
            body__2="image",
            body__3="quote",
            body__4="document",
            body__5="link",
        ),
        PresidentMessagePageFactory(parent=home),
        ValuesPageFactory(parent=home, values__0="value", values__1="value"),
        MemberDirectoryPageFactory(parent=home),
        events,
        event,
        album.get_parent().specific,
        album,
        initiative,
        resources,
    ]


def test_every_page_factory_makes_valid_pages_that_render(home_page, client):
    pages = build_every_page(home_page)
    assert len({type(page) for page in pages}) == 11
    for page in pages:
        page.full_clean()
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()


def test_images_and_documents_have_files_and_alt_text():
    image = SiteImageFactory()
    assert image.alt_text
    assert image.file.name and (image.width, image.height) == (64, 48)
    assert DocumentFactory().file.read().startswith(b"%PDF")


def test_people_are_live_and_listed_unless_told_otherwise():
    person = PersonFactory(specialties=[SpecialtyFactory(name="Haematology")])
    assert person.is_public
    assert [s.name for s in person.specialties.all()] == ["Haematology"]
    assert not PersonFactory(draft=True).is_public
    assert not PersonFactory(unlisted=True).is_public


def test_an_officer_term_makes_its_person_the_current_holder():
    term = OfficerTermFactory()
    assert term.role.name == "President"
    assert term.role.current_holder() == term.person
