"""`{% picture %}` and cms.renditions: Wagtail's markup and renditions, found cheaply.

Every markup test renders the same tag through Wagtail's own `{% picture %}` and ours
and compares the two byte for byte.
"""

import pytest
from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.forms.utils import flatatt
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from wagtail.images.models import Filter, Picture
from wagtail.images.rect import Rect

from cms import renditions
from cms.factories import SiteImageFactory
from cms.models import SiteImage, SiteRendition
from cms.prepared import PreparedQuery, Row
from events import cards
from events.cards import RENDITION_ROW_FIELDS
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from home.factories import make_site_root

pytestmark = pytest.mark.django_db

PICTURE_TAGS = [
    'format-{webp,jpeg} fill-{400x300,800x600} sizes="(min-width: 80rem) 19rem, 100vw" '
    'loading="lazy"',
    'format-{webp,jpeg} fill-{400x225,640x360,960x540} sizes="22rem" loading="lazy"',
    'format-{avif,webp,png} width-{100,200} class="photo" data-index="3"',
    'fill-{160x160,320x320} sizes="5rem"',
    "width-480",
    "format-webp fill-100x100",
    'width-{480,800,1200} format-{webp,jpeg} alt=alt sizes="100vw"',
    "format-{webp,jpeg} fill-{200x200,400x400} alt=safe_alt hidden=flag title=missing",
    "fill-{100x100,200x200} preserve-svg",
    "format-{webp,jpeg} width-{300,300}",
]
CONTEXT = {
    "alt": 'Delegates say "<welcome>" & more',
    "safe_alt": mark_safe("Already &amp; escaped"),
    "flag": True,
}


def render(library, tag, image, **context):
    template = engines["django"].from_string(f"{{% load {library} %}}{{% picture image {tag} %}}")
    return template.render({"image": image, **CONTEXT, **context})


def wagtails(tag, image, **context):
    return render("wagtailimages_tags", tag, image, **context)


def ours(tag, image, **context):
    return render("image_tags", tag, image, **context)


def prefetched(image, how="wagtail"):
    queryset = SiteImage.objects.filter(pk=image.pk)
    if how == "wagtail":
        return queryset.prefetch_renditions().get()  # image.prefetched_renditions
    if how == "related":
        return queryset.prefetch_related("renditions").get()  # _prefetched_objects_cache
    return queryset.get()


@pytest.fixture
def photo():
    return SiteImageFactory(file__width=1000, file__height=750, title="Hall")


@pytest.mark.parametrize("tag", PICTURE_TAGS)
@pytest.mark.parametrize("how", ["wagtail", "related", "none"])
def test_the_markup_is_wagtails_with_and_without_prefetching(photo, tag, how):
    expected = wagtails(tag, photo)  # makes the renditions
    assert ours(tag, prefetched(photo, how)) == expected
    assert expected.startswith("<picture>")


@pytest.mark.parametrize("tag", PICTURE_TAGS)
def test_missing_renditions_are_made_by_wagtail_then_reused(photo, tag, django_assert_num_queries):
    image = prefetched(photo)
    assert image.prefetched_renditions == []
    html = ours(tag, image)
    assert SiteRendition.objects.filter(image=photo).exists()
    assert html == wagtails(tag, prefetched(photo))
    # Renditions Wagtail made were added to the prefetched ones: found there next time.
    with django_assert_num_queries(0):
        assert ours(tag, image) == html


def test_prefetched_renditions_cost_no_query(photo, django_assert_num_queries):
    tag = PICTURE_TAGS[0]
    expected = wagtails(tag, photo)
    images = list(SiteImage.objects.filter(pk=photo.pk).prefetch_related("renditions"))
    with django_assert_num_queries(0):
        assert ours(tag, images[0]) == expected


def test_a_missing_image_renders_nothing():
    assert ours(PICTURE_TAGS[0], None) == "" == wagtails(PICTURE_TAGS[0], None)


def test_a_missing_original_gives_wagtails_not_found_markup(photo):
    photo.file.storage.delete(photo.file.name)
    html = ours(PICTURE_TAGS[0], prefetched(photo))
    assert html == wagtails(PICTURE_TAGS[0], prefetched(photo))
    assert "not-found" in html


def test_the_picture_object_of_an_as_variable_is_wagtails(photo):
    tag = "format-{webp,jpeg} fill-{400x300,800x600} as pic"
    suffix = "{{ pic }}|{{ pic.formats.webp.0.url }}"
    wagtail_html = engines["django"].from_string(
        "{% load wagtailimages_tags %}{% picture image " + tag + " %}" + suffix
    )
    our_html = engines["django"].from_string(
        "{% load image_tags %}{% picture image " + tag + " %}" + suffix
    )
    expected = wagtail_html.render({"image": photo})
    assert our_html.render({"image": prefetched(photo)}) == expected


def test_a_new_focal_point_picks_the_renditions_made_for_it(photo):
    tag = PICTURE_TAGS[0]
    before = wagtails(tag, photo)
    old_key = fill_key(photo)
    photo.set_focal_point(Rect(600, 450, 900, 700))
    photo.save()
    after = wagtails(tag, prefetched(photo, "none"))  # makes renditions for the new point
    assert after != before
    # Renditions for both focal points are prefetched; those for the current one are used.
    image = prefetched(photo)
    new_key = fill_key(image)
    assert {r.focal_point_key for r in image.prefetched_renditions} == {old_key, new_key}
    assert ours(tag, image) == after
    found = renditions.renditions_for(image, ["format-webp|fill-400x300"])
    assert found["format-webp|fill-400x300"].focal_point_key == new_key


def fill_key(image):
    return Filter("fill-1x1").get_cache_key(image)


@pytest.mark.parametrize("spec", ["fill-400x300", "width-480", "format-webp|fill-10x10"])
@pytest.mark.parametrize("focal_point", [None, Rect(10, 20, 110, 220)])
def test_focal_point_keys_are_wagtails(photo, spec, focal_point):
    if focal_point:
        photo.set_focal_point(focal_point)
    plan = renditions._plan((spec,))
    assert renditions.focal_point_key(photo, plan.vary_fields[0]) == Filter(spec).get_cache_key(
        photo
    )


@pytest.mark.parametrize("how", ["wagtail", "related", "none"])
def test_renditions_for_returns_what_wagtail_returns(photo, how):
    specs = ["width-400", "width-400|format-webp", "fill-80x80", "width-400"]
    expected = photo.get_renditions(*specs)
    found = renditions.renditions_for(prefetched(photo, how), specs)
    assert list(found) == list(expected)
    assert [identity(r) for r in found.values()] == [identity(r) for r in expected.values()]


def identity(rendition):
    # Renditions Wagtail has just bulk-created carry no primary key.
    return rendition.filter_spec, rendition.focal_point_key, rendition.file.name


class SignedStorage(FileSystemStorage):
    """Like S3 with signed URLs: its own `url()`, which must be used."""

    calls = 0

    def url(self, name):
        SignedStorage.calls += 1
        return f"https://bucket.example.org/{name}?X-Signature=a1&Expires=60"


def test_another_storage_builds_its_own_urls(photo, monkeypatch):
    tag = PICTURE_TAGS[0]
    wagtails(tag, photo)
    storage = SignedStorage(location=photo.file.storage.location)
    monkeypatch.setattr(SiteRendition._meta.get_field("file"), "storage", storage)
    expected = wagtails(tag, prefetched(photo))
    SignedStorage.calls = 0
    html = ours(tag, prefetched(photo))
    assert html == expected
    assert SignedStorage.calls == 4  # once per rendition
    assert "&amp;Expires=60" in html


@pytest.mark.parametrize(
    "base_url", ["/media/", "https://cdn.example.org/media/", "/media//", "media", "/m/?v=1"]
)
@pytest.mark.parametrize(
    "name",
    [
        "images/a.fill-10x10.jpg",
        "images/Ürdu name (1) & co.webp",
        "/images/leading.jpg",
        "images//double.jpg",
        "images/../up.jpg",
        "images/./here.jpg",
        "images/.hidden.jpg",
        "images/a%20b;c?d#e:f.jpg",
    ],
)
def test_local_urls_are_the_storages(base_url, name):
    storage = FileSystemStorage(base_url=base_url)
    assert renditions.url_builder(storage)(name) == storage.url(name)


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"src": "/a.jpg?x=1&y=2", "width": 400, "height": 300, "alt": "'quoted' \"<b>\""},
        {"alt": mark_safe("<b>safe</b>"), "hidden": True, "open": False, "title": None},
        {"alt": gettext_lazy("Photo"), "data-z": "z", "class": "a b", "aria-label": ""},
    ],
)
def test_attributes_are_flattened_as_django_does(attrs):
    assert renditions.flat_attributes(attrs) == flatatt(attrs)


def test_rendition_url_is_the_files_url(photo):
    rendition = photo.get_rendition("width-100")
    assert renditions.rendition_url(rendition) == rendition.url
    assert rendition.url.startswith("/media/images/")


# Renditions read as rows (cms.renditions.RenditionRow), as a listing's cards read them.
ROWS = PreparedQuery(
    lambda pk: SiteRendition.objects.filter(image=pk).only(*RENDITION_ROW_FIELDS),
    rows=renditions.RenditionRow,
)


def with_rows(image):
    """`image` with its renditions as rows (`rendition_rows`), as events.cards keeps them."""
    image.rendition_rows = ROWS.run(image.pk)
    for row in image.rendition_rows:
        row.image = image
    return image


@pytest.mark.parametrize("tag", PICTURE_TAGS)
def test_the_markup_of_rendition_rows_is_wagtails(photo, tag, django_assert_num_queries):
    expected = wagtails(tag, photo)  # makes the renditions
    image = with_rows(prefetched(photo, "none"))
    if "preserve-svg" in tag:
        assert ours(tag, image) == expected  # Wagtail answers SVG handling itself
        return
    with django_assert_num_queries(0):
        assert ours(tag, image) == expected


@pytest.mark.parametrize("tag", PICTURE_TAGS)
def test_renditions_missing_from_the_rows_are_made_by_wagtail(photo, tag):
    image = with_rows(prefetched(photo, "none"))
    assert image.rendition_rows == []  # a new image: no renditions yet
    html = ours(tag, image)
    assert SiteRendition.objects.filter(image=photo).exists()
    assert html == wagtails(tag, prefetched(photo))
    assert not hasattr(image, "prefetched_renditions")


def test_rows_and_renditions_write_the_same_markup_for_any_attributes(photo):
    specs = tuple(Filter.expand_spec("format-{webp,jpeg} fill-{400x300,800x600}"))
    made = photo.get_renditions(*specs)
    image = with_rows(prefetched(photo, "none"))
    rows = renditions.renditions_for(image, specs)
    assert {type(row) for row in rows.values()} == {renditions.RenditionRow}
    for attrs in (
        {"sizes": "10rem", "loading": "lazy"},
        {"alt": gettext_lazy("Photo & co"), "sizes": gettext_lazy("10rem")},  # not kept
        {"alt": mark_safe("<b>safe</b>"), "hidden": True, "open": False, "title": None},
        {"data-index": 3, "srcset": "given.jpg 1w"},
    ):
        expected = Picture(made, dict(attrs)).__html__()
        assert renditions.picture_html(rows, dict(attrs)) == expected
        assert renditions.picture_html(made, dict(attrs)) == expected


def test_a_row_stands_for_its_rendition(photo):
    rendition = photo.get_rendition("fill-100x100")
    image = with_rows(prefetched(photo, "none"))
    (row,) = image.rendition_rows
    assert row.alt == rendition.alt == "Alt text for Hall"
    made = row.as_rendition()
    assert (made.url, made.width, made.height, made.filter_spec, made.image) == (
        rendition.url,
        rendition.width,
        rendition.height,
        rendition.filter_spec,
        image,
    )
    image.decorative = True
    assert row.alt == ""
    image.decorative, image.contextual_alt_text = False, "In context"
    assert row.alt == "In context"
    assert renditions.rows_can_stand_for(SiteRendition)


@pytest.mark.parametrize("tag", PICTURE_TAGS[:4])
def test_default_attributes_are_written_as_wagtail_writes_them(photo, tag, monkeypatch):
    expected_before = wagtails(tag, photo)
    config = apps.get_app_config("wagtailimages")
    monkeypatch.setattr(config, "default_attrs", {"decoding": "async", "data-zoom": True})
    expected = wagtails(tag, prefetched(photo))
    assert expected != expected_before
    assert ours(tag, with_rows(prefetched(photo, "none"))) == expected
    assert ours(tag, prefetched(photo)) == expected


def test_the_layout_of_a_picture_is_worked_out_once(photo):
    tag = PICTURE_TAGS[1]
    wagtails(tag, photo)
    renditions._layout.cache_clear()
    for _ in range(3):
        ours(tag, with_rows(prefetched(photo, "none")))
    info = renditions._layout.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_an_alt_text_of_none_is_left_out_as_wagtail_leaves_it(photo, monkeypatch):
    specs = tuple(Filter.expand_spec("format-{webp,jpeg} fill-{400x300,800x600}"))
    made = photo.get_renditions(*specs)
    monkeypatch.setattr(SiteRendition, "alt", property(lambda rendition: None))
    expected = Picture(made, {"sizes": "10rem"}).__html__()
    assert "alt=" not in expected
    assert renditions.picture_html(made, {"sizes": "10rem"}) == expected


# Images read as rows of their columns, as the events index's cards read them.
IMAGE_ROWS = PreparedQuery(
    lambda page_id: EventPage.objects.filter(pk=page_id).select_related("listing_image"),
    rows=Row,
    related_rows={"listing_image": renditions.ImageRow},
)


def image_row(photo):
    event = EventPageFactory(parent=EventIndexPageFactory(parent=make_site_root()))
    EventPage.objects.filter(pk=event.pk).update(listing_image=photo)
    (row,) = IMAGE_ROWS.run(event.pk)
    return row.listing_image


# The events index's card picture, as `{% picture %}` wrote it.
CARD_TAG = (
    "format-{webp,jpeg} fill-{400x225,640x360,960x540} "
    f'sizes="{cards.CARD_PICTURE_SIZES}" loading="lazy"'
)


def test_an_image_read_as_a_row_has_wagtails_card_picture(photo, django_assert_num_queries):
    expected = wagtails(CARD_TAG, photo)  # makes the renditions
    image = image_row(photo)
    assert type(image) is renditions.ImageRow
    cards.attach_card_renditions([image])
    with django_assert_num_queries(0):
        assert cards._card_picture(image) == expected


def test_an_image_read_as_a_row_gets_its_missing_renditions_made(photo):
    image = image_row(photo)
    cards.attach_card_renditions([image])
    assert image.rendition_rows == []  # a new image: no renditions yet
    html = cards._card_picture(image)
    assert SiteRendition.objects.filter(image=photo).count() == len(cards.CARD_RENDITION_SPECS)
    assert html == wagtails(CARD_TAG, prefetched(photo))
