"""Renditions, their URLs and `<picture>` markup, cheaply, from prefetched renditions.

Wagtail's `image.get_renditions()` builds and parses a `Filter` per spec, hashes the
image's focal point once per spec, groups the prefetched renditions anew for every call,
and each `rendition.url` goes through Django's storage (`urljoin` per URL, several per
picture). On a listing with a card per item that is most of the cost of a card. Here:

- a spec list is parsed once per process (`_plan`, a pure function of the specs);
- the focal point key is hashed once per image and call for specs that share it;
- an image's prefetched renditions are indexed once by (filter spec, focal point key);
- URLs on Django's `FileSystemStorage` are the media URL joined once with the quoted
  name, exactly what its `url()` returns; any other storage (S3, which may sign URLs)
  keeps its own `url()`.

Whenever a rendition is not among the prefetched ones (or none were prefetched, or a
spec needs SVG handling), Wagtail's own `get_renditions()` answers, which finds it in
the cache or database or creates it: the results are always Wagtail's. The markup is
byte for byte that of Wagtail's `Picture` (tests compare the two).
"""

import hashlib
import html
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from wagtail.images.image_operations import FormatOperation
from wagtail.images.models import AbstractRendition, Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

# Filter specs with this directive are rewritten per image by Wagtail (SVG handling).
SVG_DIRECTIVE = "preserve-svg"


@dataclass(frozen=True)
class SpecPlan:
    """What a tuple of filter specs means, independent of any image."""

    specs: tuple  # in order, without duplicates (as Wagtail's result is keyed)
    filters: tuple  # a `Filter` per spec
    vary_fields: tuple  # per spec, the image fields its focal point key hashes
    # False when Wagtail rewrites a spec per image (SVG handling): it answers those.
    prefetchable: bool


@lru_cache(maxsize=256)
def _plan(specs):
    """Parse `specs` once per process: their filters and focal point fields."""
    specs = tuple(dict.fromkeys(specs))
    filters = tuple(Filter(spec=spec) for spec in specs)
    if any(SVG_DIRECTIVE in spec for spec in specs):
        return SpecPlan(specs, filters, (), prefetchable=False)
    vary_fields = tuple(
        tuple(
            field
            for operation in image_filter.operations
            for field in getattr(operation, "vary_fields", [])
        )
        for image_filter in filters
    )
    return SpecPlan(specs, filters, vary_fields, prefetchable=True)


@lru_cache(maxsize=256)
def _formats(specs):
    """Group spec indexes by format as `Picture.get_formats` does ({} for one format)."""
    formats = {}
    for index, spec in enumerate(specs):
        for fmt in FormatOperation.supported_formats:
            if f"format-{fmt}" in spec:
                formats.setdefault(fmt, []).append(index)
                break
    return {fmt: tuple(indexes) for fmt, indexes in formats.items()} if len(formats) > 1 else {}


def focal_point_key(image, vary_fields):
    """`Filter.get_cache_key(image)` for a filter whose operations vary on `vary_fields`."""
    vary_string = "-".join(str(getattr(image, field, "")) for field in vary_fields)
    if not vary_string:
        return ""
    return hashlib.sha1(vary_string.encode("utf-8")).hexdigest()[:8]  # noqa: S324 - Wagtail's key


def _prefetched(image):
    """The image's prefetched renditions as a list, or None when none were prefetched."""
    cache = getattr(image, "_prefetched_objects_cache", None)
    if cache and "renditions" in cache:
        return cache["renditions"]._result_cache  # the list Wagtail appends to
    return getattr(image, "prefetched_renditions", None)


def _index(image, prefetched):
    """The prefetched renditions by (filter spec, focal point key), built once per image.

    Rebuilt when Wagtail has since appended a rendition it created to the same list.
    """
    memo = getattr(image, "_smop_rendition_index", None)
    if memo is not None and memo[0] is prefetched and memo[1] == len(prefetched):
        return memo[2]
    index = {}
    for rendition in prefetched:
        index.setdefault((rendition.filter_spec, rendition.focal_point_key), rendition)
    image._smop_rendition_index = (prefetched, len(prefetched), index)
    return index


def _find_prefetched(image, plan):
    """Every rendition of `plan` from the image's prefetched ones, or None if one is missing."""
    prefetched = _prefetched(image) if plan.prefetchable else None
    if prefetched is None:
        return None
    index = _index(image, prefetched)
    keys = {}  # one hash per set of focal point fields (e.g. every fill-* spec)
    found = {}
    for spec, fields in zip(plan.specs, plan.vary_fields, strict=True):
        key = keys.get(fields)
        if key is None:
            key = keys[fields] = focal_point_key(image, fields)
        rendition = index.get((spec, key))
        if rendition is None:
            return None
        found[spec] = rendition
    return found


def renditions_for(image, filter_specs):
    """`image.get_renditions(*filter_specs)`: {spec: rendition}, prefetched ones first.

    Missing renditions are found or created by Wagtail, which raises `SourceImageIOError`
    when the original file is missing.
    """
    plan = _plan(tuple(filter_specs))
    found = _find_prefetched(image, plan)
    return found if found is not None else image.get_renditions(*plan.filters)


def renditions_or_not_found(image, filter_specs):
    """As `renditions_for`, but a missing original gives Wagtail's "not-found" renditions."""
    plan = _plan(tuple(filter_specs))
    found = _find_prefetched(image, plan)
    return found if found is not None else get_renditions_or_not_found(image, plan.filters)


@lru_cache(maxsize=16)
def _joins_plainly(base_url):
    """Whether `urljoin(base_url, name)` is `base_url + name` for a plain relative name."""
    return bool(base_url) and urljoin(base_url, "a/b.jpg") == base_url + "a/b.jpg"


def _plain_name(quoted):
    """A quoted name that `urljoin` appends unchanged: no empty, '.' or '..' segments."""
    return bool(quoted) and "//" not in quoted and "/." not in "/" + quoted


def url_builder(storage):
    """A function name -> URL, equal to `storage.url(name)`, for one storage.

    For Django's `FileSystemStorage` (or a subclass keeping its `url()`) the media URL
    is joined once; anything else, e.g. S3 through django-storages, keeps `url()`.
    """
    if getattr(storage.__class__, "url", None) is not FileSystemStorage.url:
        return storage.url
    base_url = storage.base_url
    if base_url is None or not _joins_plainly(base_url):
        return storage.url

    def url(name):
        quoted = filepath_to_uri(name).lstrip("/")
        return base_url + quoted if _plain_name(quoted) else storage.url(name)

    return url


def rendition_url(rendition, build_url=None):
    """`rendition.url`, without Django's `urljoin` on a local file system.

    `build_url` is a `url_builder` to reuse across renditions of one storage.
    """
    if type(rendition).url is not AbstractRendition.url:
        return rendition.url  # a custom `url`
    file = rendition.file
    if not file.name:
        return rendition.url  # Django's error for a missing file
    return (build_url or url_builder(file.storage))(file.name)


def _escape(value):
    """Django's `conditional_escape`, as `flatatt` applies it."""
    if type(value) is str:
        return html.escape(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def flat_attributes(attrs):
    """Django's `flatatt(attrs)`: sorted `name="value"` pairs, then boolean names."""
    pairs, names = [], []
    for name, value in attrs.items():
        if isinstance(value, bool):
            if value:
                names.append(name)
        elif value is not None:
            pairs.append((name, value))
    pairs.sort(key=lambda pair: pair[0])
    names.sort()
    return "".join(f' {_escape(name)}="{_escape(value)}"' for name, value in pairs) + "".join(
        f" {_escape(name)}" for name in names
    )


def _srcset(renditions, urls):
    """`ResponsiveImage.get_width_srcset`: one URL alone, else URLs with widths."""
    if len(renditions) == 1:
        return urls[0]
    return ", ".join(f"{url} {r.width}w" for r, url in zip(renditions, urls, strict=True))


def _img_tag(rendition, url, attrs):
    """`rendition.img_tag(attrs)` with its URL already built."""
    tag_attrs = {"src": url, "width": rendition.width, "height": rendition.height}
    tag_attrs["alt"] = rendition.alt
    tag_attrs.update(apps.get_app_config("wagtailimages").default_attrs)
    tag_attrs.update(attrs)
    return f"<img{flat_attributes(tag_attrs)}>"


def picture_html(renditions, attrs):
    """Wagtail's `Picture(renditions, attrs).__html__()`, URLs built once each.

    `renditions` is {spec: rendition} as `renditions_for` returns; `attrs` the tag's
    resolved attributes (updated with `srcset`, as Wagtail does).
    """
    formats = _formats(tuple(renditions))
    ordered = list(renditions.values())
    build_url = url_builder(ordered[0].file.storage) if ordered else None
    urls = [rendition_url(r, build_url) for r in ordered]

    if not formats:
        if len(ordered) > 1:
            attrs["srcset"] = _srcset(ordered, urls)
        # Safe: flat_attributes escapes every name and value, as Django's flatatt does.
        return mark_safe(f"<picture>{_img_tag(ordered[0], urls[0], attrs)}</picture>")

    fallback = _fallback_format(formats)
    if fallback is None:
        return Picture(renditions, attrs).__html__()  # Wagtail's own behaviour for odd formats
    sources = []
    for fmt in Picture.source_format_order:
        if fmt.name != fallback and fmt.name in formats:
            indexes = formats[fmt.name]
            source_attrs = {
                "srcset": _srcset([ordered[i] for i in indexes], [urls[i] for i in indexes]),
                "sizes": attrs.get("sizes"),
                "type": fmt.mime_type,
            }
            sources.append(f"<source{flat_attributes(source_attrs)}>")
    indexes = formats[fallback]
    if len(indexes) > 1:
        attrs["srcset"] = _srcset([ordered[i] for i in indexes], [urls[i] for i in indexes])
    img = _img_tag(ordered[indexes[0]], urls[indexes[0]], attrs)
    return mark_safe(f"<picture>{''.join(sources)}{img}</picture>")


def _fallback_format(formats):
    """`Picture.get_fallback_format`: the most widely supported format present."""
    for fmt in reversed(Picture.source_format_order):
        if fmt.name in formats:
            return fmt.name
    return None
