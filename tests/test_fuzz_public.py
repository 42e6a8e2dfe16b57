"""Every public address that reads query parameters, fuzzed for server errors.

Hypothesis sends each one query strings built from its own parameter names (and
names it does not know): unicode, NUL and control characters, huge and negative
numbers, repeated parameters and very long values. Whatever comes in, the answer is
never a 5xx. The seeded site is built once; the run is bounded and derandomized, so
CI sends the same requests every time.
"""

import io
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from events.api import EventsAPIViewSet
from events.models import EventIndexPage, EventPage
from gallery.api import GalleriesAPIViewSet
from gallery.models import GalleryIndexPage
from home.models import ResourceListPage
from people.api import PeopleAPIViewSet
from people.models import MemberDirectoryPage, Person
from search.api import SearchAPIViewSet

# Parameters every v2 listing knows (Wagtail's), plus filters by field.
V2_COMMON = [
    "limit",
    "offset",
    "fields",
    "order",
    "search",
    "search_operator",
    "format",
    "type",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "locale",
    "site",
    "id",
    "slug",
    "title",
    "show_in_menus",
    "html_path",
    "rich_text_format",
]

# Values chosen to break parsers: numbers at and beyond every integer limit, NUL
# and other control characters, markup and SQL-ish text, and very long values.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
    str(2**63),
    str(-(2**63) - 1),
    "\x00",
    "a\x00b",
    "\r\n",
    "%00",
    "'; DROP TABLE wagtailcore_page; --",
    '"',
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "*",
    "-title",
    "title,-id",
    "\u202e\ufeff",
    "اردو",
    "😀" * 50,
    "x" * 5000,
    "1" * 5000,
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
)


def queries(names):
    """Query strings using some of `names` (and unknown names), values repeated at times."""
    name = st.one_of(st.sampled_from(names), st.sampled_from(["page", "zz", "q\x00"]))
    pairs = st.lists(st.tuples(name, st.lists(values, min_size=1, max_size=3)), max_size=5)
    return pairs.map(lambda items: urlencode([(n, v) for n, vs in items for v in vs]))


FUZZ_SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def seeded_site(django_db_setup, django_db_blocker):
    """The demo site, built once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_site", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def page_targets():
    """Public pages and the parameters each reads."""
    event = EventPage.objects.live().first()
    return [
        (EventIndexPage.objects.get().url, ["category", "year", "page"]),
        (MemberDirectoryPage.objects.get().url, ["q", "specialty", "city", "institution", "page"]),
        (GalleryIndexPage.objects.get().url, ["page"]),
        (ResourceListPage.objects.first().url, ["page", "topic"]),
        ("/search/", ["q", "page"]),
        (event.url, ["page"]),
        (EventIndexPage.objects.get().url + "calendar/", ["category", "year"]),
        (EventIndexPage.objects.get().url + "feed/", ["category", "year"]),
        ("/sitemap.xml", ["page", "p"]),
    ]


def api_targets():
    """v2 API addresses and the parameters each reads."""
    page = Page.objects.live().filter(depth__gt=1).first()
    person = Person.objects.public().first()
    return [
        ("/api/v2/pages/", V2_COMMON),
        (f"/api/v2/pages/{page.pk}/", ["fields", "format", "rich_text_format", "site"]),
        ("/api/v2/pages/find/?html_path=/", ["html_path", "id", "site"]),
        ("/api/v2/events/", V2_COMMON + sorted(EventsAPIViewSet.known_query_parameters)),
        ("/api/v2/galleries/", V2_COMMON + sorted(GalleriesAPIViewSet.known_query_parameters)),
        ("/api/v2/people/", V2_COMMON + sorted(PeopleAPIViewSet.known_query_parameters)),
        (f"/api/v2/people/{person.pk}/", ["fields", "format", "rich_text_format"]),
        ("/api/v2/search/?q=cancer", sorted(SearchAPIViewSet.known_query_parameters)),
        ("/api/v2/images/", V2_COMMON),
        ("/api/v2/documents/", V2_COMMON),
        ("/api/v2/resources/", V2_COMMON + ["topic", "audience", "language"]),
        ("/api/v2/navigation/", ["site", "format", "fields"]),
    ]


def fuzz(client, path, names):
    # The address itself works, so the fuzzing reaches the code that reads parameters.
    assert client.get(path, follow=True).status_code == 200, path

    @FUZZ_SETTINGS
    @given(query=queries(names))
    def run(query):
        url = f"{path}{'&' if '?' in path else '?'}{query}"
        response = client.get(url)
        assert response.status_code < 500, f"{url[:300]} -> {response.status_code}"

    run()


@pytest.mark.django_db
def test_public_pages_never_answer_a_server_error(client, seeded_site):
    for path, names in page_targets():
        fuzz(client, path, names)


@pytest.mark.django_db
def test_api_v2_never_answers_a_server_error(client, seeded_site):
    for path, names in api_targets():
        fuzz(client, path, names)
