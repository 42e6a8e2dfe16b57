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
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS
from django.db.models import DEFERRED
from django.utils.encoding import filepath_to_uri
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.images.image_operations import FormatOperation
from wagtail.images.models import AbstractRendition, Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from cms.prepared import Row

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
    """The image's prefetched renditions as a list, or None when none were prefetched.

    Renditions read as rows (`RenditionRow`, kept as the image's `rendition_rows`)
    come first: Wagtail never sees those.
    """
    rows = getattr(image, "rendition_rows", None)
    if rows is not None:
        return rows
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
    return found if found is not None else _instance(image).get_renditions(*plan.filters)


def renditions_or_not_found(image, filter_specs):
    """As `renditions_for`, but a missing original gives Wagtail's "not-found" renditions."""
    plan = _plan(tuple(filter_specs))
    found = _find_prefetched(image, plan)
    if found is not None:
        return found
    return get_renditions_or_not_found(_instance(image), plan.filters)


# A file name `filepath_to_uri` returns unchanged: the characters `quote()` never
# quotes and those it is told are safe, no backslash.
_UNQUOTED_NAME = re.compile(r"[A-Za-z0-9_.\-~/!*()']*")


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
        if _UNQUOTED_NAME.fullmatch(name):
            quoted = name  # what filepath_to_uri leaves as it is (most names)
        else:
            quoted = filepath_to_uri(name)
        quoted = quoted.lstrip("/")
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
    if type(value) is int:
        return str(value)  # what escaping its text gives
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


class RenditionRow(Row):
    """A rendition read as a row of its columns (cms.prepared `rows=`), for `<picture>`.

    A listing's cards need a rendition's file name, size, spec and focal point key
    only; a model instance per size of every card's image (signals, file descriptors,
    dimension fields) costs more than writing the markup. Its `image` is set by
    whoever reads it (see events.cards). Only for rendition models keeping Wagtail's
    `url` (`rows_can_stand_for`); `file` is the file's name.
    """

    @property
    def alt(self):
        """`AbstractRendition.alt`."""
        image = self.image
        if getattr(image, "decorative", False):
            return ""
        return getattr(image, "contextual_alt_text", None) or image.default_alt_text

    def as_rendition(self):
        """The rendition model's instance of this row (for Wagtail's own code)."""
        fields = {name: value for name, value in self.__dict__.items() if name != "image_id"}
        fields["image"] = _instance(self.image)
        return fields["image"].get_rendition_model()(**fields)


class ImageRow(Row):
    """An image read as a row of its columns (cms.prepared `related_rows=`), standing
    for the image in a card's `<picture>`: its focal point, alt text and renditions.

    Whatever else needs the image (Wagtail making a missing rendition) gets the
    instance these columns make (`as_image`). The image model is Wagtail's
    `get_image_model()`, whose `default_alt_text` is read from the columns.
    """

    @property
    def pk(self):
        return getattr(self, get_image_model()._meta.pk.attname)

    @property
    def default_alt_text(self):
        """The image model's `default_alt_text`, read from these columns."""
        found = getattr(get_image_model(), "default_alt_text", None)
        if isinstance(found, property):
            return found.fget(self)
        return self.as_image().default_alt_text

    @staticmethod
    def get_rendition_model():
        return get_image_model().get_rendition_model()

    def as_image(self):
        """The image model's instance of these columns, made once."""
        image = self.__dict__.get("_image")
        if image is None:
            model = get_image_model()
            fields = model._meta.concrete_fields
            values = [self.__dict__.get(field.attname, DEFERRED) for field in fields]
            names = [field.attname for field in fields]
            image = model.from_db(DEFAULT_DB_ALIAS, names, values)
            self._image = image
        return image


def _instance(image):
    """The image itself, or the instance of an ImageRow's columns."""
    return image.as_image() if type(image) is ImageRow else image


def rows_can_stand_for(rendition_model):
    """Whether `RenditionRow`s can stand for renditions of `rendition_model`: its URL
    is its file's, as Wagtail's (not a `url` of its own)."""
    return rendition_model.url is AbstractRendition.url


def _urls(renditions):
    """Each rendition's URL (`rendition.url`), the storage's URL builder made once."""
    first = renditions[0]
    if type(first) is RenditionRow:
        field = first.image.get_rendition_model()._meta.get_field("file")
        build_url = url_builder(field.storage)
        return [build_url(r.file) if type(r) is RenditionRow else r.url for r in renditions]
    build_url = url_builder(first.file.storage)
    return [rendition_url(r, build_url) for r in renditions]


def picture_html(renditions, attrs):
    """Wagtail's `Picture(renditions, attrs).__html__()`, URLs built once each.

    `renditions` is {spec: rendition} as `renditions_for` returns (renditions or
    `RenditionRow`s); `attrs` the tag's resolved attributes (updated with `srcset`,
    as Wagtail does). The markup around the URLs, sizes and alt text is worked out
    once per set of specs and attributes (`_layout`).
    """
    if not renditions:
        return _picture_html(renditions, attrs)
    layout = _layout_for(tuple(renditions), attrs)
    if layout is None:
        return _picture_html(renditions, attrs)
    ordered = list(renditions.values())
    image = ordered[layout.img]
    alt = image.alt if layout.needs_alt else ""
    if not _written_always(image.width, image.height, alt):
        return _picture_html(renditions, attrs)
    urls = _urls(ordered)
    values = [_srcset_text(ordered, urls, indexes) for indexes in layout.sources]
    values += _NO_SOURCES[len(values) :]  # a field per possible source, in order
    values.append(_escape(urls[layout.img]))
    values.append(_escape(image.width))
    values.append(_escape(image.height))
    values.append(_escape(alt))
    if layout.img_srcset is not None:
        srcset = _srcset(
            [ordered[i] for i in layout.img_srcset], [urls[i] for i in layout.img_srcset]
        )
        attrs["srcset"] = srcset
        values.append(html.escape(srcset))
    # Safe: the layout's constants and every value were escaped as flatatt escapes.
    return mark_safe(layout.template.format(*values))


def _written_always(*values):
    """Whether `flat_attributes` writes each value as `name="value"` (a layout's fields
    are): not None or a boolean, which it leaves out or writes as a bare name."""
    return not any(value is None or isinstance(value, bool) for value in values)


def _srcset_text(ordered, urls, indexes):
    return html.escape(_srcset([ordered[i] for i in indexes], [urls[i] for i in indexes]))


# Stand-ins for a picture's values in its layout, each `flat_attributes` would escape.
_SRCSET_VALUES = tuple(object() for _ in range(len(Picture.source_format_order)))
_SRC, _WIDTH, _HEIGHT, _ALT, _IMG_SRCSET = (object() for _ in range(5))
_NO_SOURCES = [""] * len(_SRCSET_VALUES)
# Attribute values a layout may keep as constants (hashable, escaped the same each time).
_CONSTANT_TYPES = (str, bool, int, type(None))


@dataclass(frozen=True)
class PictureLayout:
    """A `<picture>`'s markup as a format string of its values, in this order: each
    `<source>`'s srcset (`sources`, the indexes of its renditions), then the `<img>`'s
    src, width, height, alt and srcset (`img`, `img_srcset`: indexes)."""

    template: str
    sources: tuple
    img: int
    img_srcset: tuple | None
    needs_alt: bool


def _layout_for(specs, attrs):
    """The layout for `specs` and `attrs`, or None when its values are not constants
    (a lazy translation, say) or Wagtail's own `Picture` writes it (odd formats)."""
    try:
        key = tuple((name, type(value), value) for name, value in attrs.items())
        defaults = tuple(apps.get_app_config("wagtailimages").default_attrs.items())
        if not all(isinstance(value, _CONSTANT_TYPES) for _n, _t, value in key):
            return None
        if not all(isinstance(value, _CONSTANT_TYPES) for _n, value in defaults):
            return None
        return _layout(specs, key, defaults)
    except TypeError:  # an unhashable value
        return None


@lru_cache(maxsize=256)
def _layout(specs, attrs_key, defaults):
    """Work out a `PictureLayout` once per specs, attributes and default attributes."""
    attrs = {name: value for name, _type, value in attrs_key}
    formats = _formats(specs)
    count = len(specs)
    sources = []
    if not formats:
        img, img_indexes = 0, tuple(range(count))
    else:
        fallback = _fallback_format(formats)
        if fallback is None:
            return None
        for fmt in Picture.source_format_order:
            if fmt.name != fallback and fmt.name in formats:
                source_attrs = {
                    "srcset": _SRCSET_VALUES[len(sources)],
                    "sizes": attrs.get("sizes"),
                    "type": fmt.mime_type,
                }
                sources.append((formats[fmt.name], _tag("source", source_attrs)))
        img_indexes = formats[fallback]
        img = img_indexes[0]
    img_srcset = img_indexes if len(img_indexes) > 1 else None
    tag_attrs = {"src": _SRC, "width": _WIDTH, "height": _HEIGHT, "alt": _ALT}
    tag_attrs.update(defaults)
    tag_attrs.update(attrs)
    if img_srcset is not None:
        tag_attrs["srcset"] = _IMG_SRCSET
    img_tag = _tag("img", tag_attrs)
    template = f"<picture>{''.join(markup for _i, markup in sources)}{img_tag}</picture>"
    return PictureLayout(
        template=template,
        sources=tuple(indexes for indexes, _markup in sources),
        img=img,
        img_srcset=img_srcset,
        needs_alt=tag_attrs["alt"] is _ALT,
    )


def _tag(name, attrs):
    """`<name ...>` as `flat_attributes` writes it, a `{n}` field for each stand-in."""
    fields = {id(value): index for index, value in enumerate(_SRCSET_VALUES)}
    base = len(_SRCSET_VALUES)
    fields.update({id(v): base + i for i, v in enumerate((_SRC, _WIDTH, _HEIGHT, _ALT))})
    fields[id(_IMG_SRCSET)] = base + 4
    constants = {k: v for k, v in attrs.items() if id(v) not in fields}
    standins = {k: v for k, v in attrs.items() if id(v) in fields}
    written = flat_attributes({**constants, **dict.fromkeys(standins, "\0")})
    written = written.replace("{", "{{").replace("}", "}}")
    for attr_name, standin in standins.items():
        written = written.replace(
            f' {attr_name}="\0"', f' {attr_name}="{{{fields[id(standin)]}}}"', 1
        )
    return f"<{name}{written}>"


def _picture_html(renditions, attrs):
    """`picture_html` worked out anew (for values a layout cannot keep)."""
    renditions = {
        spec: r.as_rendition() if type(r) is RenditionRow else r for spec, r in renditions.items()
    }
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
