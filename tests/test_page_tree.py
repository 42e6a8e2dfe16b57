"""Where each page type may go in the tree, and which pages are one per site."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from events.factories import EventIndexPageFactory
from events.models import EventIndexPage, EventPage
from gallery.factories import GalleryIndexPageFactory
from gallery.models import GalleryIndexPage, GalleryPage
from home.factories import (
    PresidentMessagePageFactory,
    ValuesPageFactory,
    make_site_root,
)
from home.models import (
    HomePage,
    InitiativePage,
    PresidentMessagePage,
    ResourceListPage,
    StandardPage,
    ValuesPage,
)
from people.factories import MemberDirectoryPageFactory
from people.models import MemberDirectoryPage

HOME_CHILDREN = {
    StandardPage,
    PresidentMessagePage,
    ValuesPage,
    InitiativePage,
    ResourceListPage,
    EventIndexPage,
    MemberDirectoryPage,
    GalleryIndexPage,
}
ALL_PAGE_TYPES = HOME_CHILDREN | {HomePage, EventPage, GalleryPage}


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_goes_only_at_the_tree_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedSubpageTypes(HomePage, HOME_CHILDREN)
        self.assertEqual(set(HomePage.creatable_subpage_models()), HOME_CHILDREN)

    def test_sections_go_under_the_home_page(self):
        for model in HOME_CHILDREN - {StandardPage}:
            with self.subTest(model=model.__name__):
                self.assertAllowedParentPageTypes(model, {HomePage})
                self.assertCanCreateAt(HomePage, model)
                self.assertCanNotCreateAt(Page, model)

    def test_standard_pages_nest_under_home_standard_and_initiative_pages(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage, InitiativePage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertAllowedSubpageTypes(InitiativePage, {StandardPage})

    def test_events_go_only_under_an_event_index(self):
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        for parent in ALL_PAGE_TYPES - {EventIndexPage}:
            with self.subTest(parent=parent.__name__):
                self.assertCanNotCreateAt(parent, EventPage)

    def test_albums_go_only_under_a_gallery_index(self):
        self.assertAllowedSubpageTypes(GalleryIndexPage, {GalleryPage})
        self.assertAllowedParentPageTypes(GalleryPage, {GalleryIndexPage})
        for parent in ALL_PAGE_TYPES - {GalleryIndexPage}:
            with self.subTest(parent=parent.__name__):
                self.assertCanNotCreateAt(parent, GalleryPage)

    def test_leaf_pages_have_no_children(self):
        leaves = {
            PresidentMessagePage,
            ValuesPage,
            ResourceListPage,
            MemberDirectoryPage,
            EventPage,
            GalleryPage,
        }
        for model in leaves:
            with self.subTest(model=model.__name__):
                self.assertAllowedSubpageTypes(model, set())

    def test_no_page_type_goes_anywhere_else(self):
        expected_parents = {
            HomePage: {Page},
            StandardPage: {HomePage, StandardPage, InitiativePage},
            EventPage: {EventIndexPage},
            GalleryPage: {GalleryIndexPage},
        }
        for model in ALL_PAGE_TYPES:
            with self.subTest(model=model.__name__):
                self.assertAllowedParentPageTypes(model, expected_parents.get(model, {HomePage}))


class SingletonPageTests(WagtailPageTestCase):
    """HomePage, PresidentMessagePage, ValuesPage and MemberDirectoryPage: one each."""

    @classmethod
    def setUpTestData(cls):
        cls.home = make_site_root()
        cls.root = Page.get_first_root_node()

    def test_a_second_home_page_cannot_be_created(self):
        self.assertFalse(HomePage.can_create_at(self.root))

    def test_sections_can_be_created_until_one_exists(self):
        singletons = {
            PresidentMessagePage: PresidentMessagePageFactory,
            ValuesPage: ValuesPageFactory,
            MemberDirectoryPage: MemberDirectoryPageFactory,
        }
        for model, factory in singletons.items():
            with self.subTest(model=model.__name__):
                self.assertTrue(model.can_create_at(self.home))
                factory(parent=self.home)
                self.assertFalse(model.can_create_at(self.home))

    def test_other_sections_can_be_created_more_than_once(self):
        EventIndexPageFactory(parent=self.home)
        GalleryIndexPageFactory(parent=self.home)
        for model in (
            StandardPage,
            InitiativePage,
            ResourceListPage,
            EventIndexPage,
            GalleryIndexPage,
        ):
            with self.subTest(model=model.__name__):
                self.assertTrue(model.can_create_at(self.home))
