"""`{% picture %}` and cms.renditions: Wagtail's markup and renditions, found cheaply.

Every markup test renders the same tag through Wagtail's own `{% picture %}` and ours
and compares the two byte for byte.
"""

import pytest
from django.core.files.storage import FileSystemStorage
from django.forms.utils import flatatt
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from wagtail.images.models import Filter
from wagtail.images.rect import Rect

from cms import renditions
from cms.factories import SiteImageFactory
from cms.models import SiteImage, SiteRendition

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
