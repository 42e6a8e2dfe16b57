"""How galleries appear inside other API objects (an event's albums, an album's cover)."""

import functools

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from wagtail.images import get_image_model

from cms.api_loading import InstanceQuery
from cms.serializers import (
    ALL_RENDITION_SPECS,
    PAGE_LINK_COLUMNS,
    InstanceField,
    image_lookups,
    image_representation,
    page_link_representation,
    public_pages,
)

# What an album's summary reads: its link, date and listing image (joined).
ALBUM_SUMMARY_COLUMNS = (*PAGE_LINK_COLUMNS, "date", "listing_image")


def gallery_summary(gallery, context=None):
    """A linked album: the page link, its date, cover image and number of photos."""
    images = list(gallery.images.all())
    cover = gallery.listing_image or (images[0].image if images else None)
    return album_summary(gallery, cover, len(images), context)


def album_summary(gallery, cover, image_count, context):
    """`gallery_summary` with the cover and the number of photos already known."""
    link = page_link_representation(gallery, context)
    if link is None:
        return None
    return {
        **link,
        "date": gallery.date.isoformat() if gallery.date else None,
        "cover_image": image_representation(cover, context),
        "image_count": image_count,
    }


def with_first_photo_and_count(galleries):
    """Albums annotated with their first photo's image id and their number of photos.

    Instead of prefetching every photo of every album, for a cover and a count.
    """
    from gallery.models import GalleryImage  # noqa: PLC0415 - models import this module

    photos = GalleryImage.objects.filter(page=OuterRef("pk"))
    first_photo = photos.order_by("sort_order").values("image")[:1]
    count = photos.order_by().values("page").annotate(count=Count("pk")).values("count")
    return galleries.prefetch_related(None).annotate(
        first_photo_id=Subquery(first_photo),
        photo_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
    )


def album_covers(galleries):
    """Each album's cover by album id: its listing image, or else its first photo.

    One query reads the covers' renditions and, joined to them, the first photos;
    only a first photo without any of those renditions yet costs one more.
    """
    missing = {g.first_photo_id for g in galleries if g.listing_image is None and g.first_photo_id}
    listed = [g.listing_image for g in galleries if g.listing_image is not None]
    photos = images_with_api_renditions({image.pk for image in listed} | missing)
    for image in listed:
        found = photos.get(image.pk)
        image.prefetched_renditions = found.prefetched_renditions if found else []
    unrendered = missing - photos.keys()
    if unrendered:
        for photo in get_image_model().objects.in_bulk(unrendered).values():
            photo.prefetched_renditions = []  # Wagtail makes them when asked
            photos[photo.pk] = photo
    return {g.pk: g.listing_image or photos.get(g.first_photo_id) for g in galleries}


def images_with_api_renditions(ids):
    """{id: image} of the images with any rendition the API shows, with those renditions.

    One query: the renditions, each with its image joined. Images with none are left out.
    """
    if not ids:
        return {}
    ids = sorted(ids)
    images = {}
    for rendition in renditions_with_images_query(len(ids)).run(*ids):
        image = images.setdefault(rendition.image_id, rendition.image)
        if image is rendition.image:
            image.prefetched_renditions = []  # as Wagtail's `prefetch_renditions()`
        else:
            rendition.image = image  # one image object for all of its renditions
        image.prefetched_renditions.append(rendition)
    return images


@functools.lru_cache(maxsize=64)
def renditions_with_images_query(count):
    """The API's renditions of `count` images by id, each with its image joined: its SQL
    compiled once per number of images."""

    def build(*ids):
        renditions = get_image_model().get_rendition_model().objects
        shown = renditions.filter(image_id__in=ids, filter_spec__in=ALL_RENDITION_SPECS)
        return shown.select_related("image")

    rendition_model = get_image_model().get_rendition_model()
    return InstanceQuery(rendition_model, build, ("image",), arity=count)


@functools.cache
def event_albums_query(chosen, named):
    """An event's live albums as summaries show them, each with its first photo and count.

    `chosen`: the event names an album; `named`: albums may name the event (it is
    saved). Run with the album's id, then the event's, as far as they are given.
    """
    from events.models import galleries_of  # noqa: PLC0415 - models import this module
    from gallery.models import GalleryPage  # noqa: PLC0415 - models import this module

    def build(*ids):
        gallery_id = ids[0] if chosen else None
        event_id = ids[-1] if named else None
        albums = galleries_of(gallery_id, event_id).only(*ALBUM_SUMMARY_COLUMNS)
        return with_first_photo_and_count(albums.select_related("listing_image"))

    return InstanceQuery(GalleryPage, build, ("listing_image",), arity=chosen + named)


class EventGalleriesField(InstanceField):
    """Every live, public album of an event: the one it links and those naming it."""

    def to_representation(self, event):
        ids = [value for value in (event.gallery_id, event.pk) if value]
        if not ids:
            return []  # an unsaved page (a first preview) has no album
        albums = event_albums_query(bool(event.gallery_id), bool(event.pk)).run(*ids)
        # `.public()` in Python (`public_galleries()` does it in SQL): the query's SQL
        # stays the same whatever pages are restricted.
        galleries = [album for album in albums if public_pages(self.context)(album)]
        covers = album_covers(galleries)
        return [
            summary
            for g in galleries
            if (summary := album_summary(g, covers[g.pk], g.photo_count, self.context))
        ]

    @staticmethod
    def prefetch_lookups(name):
        return []  # `public_galleries()` is a query of its own (not the `galleries` relation)


class CoverImageField(InstanceField):
    """The album's listing image, or else its first photo."""

    def to_representation(self, gallery):
        images = list(gallery.images.all())
        cover = gallery.listing_image or (images[0].image if images else None)
        return image_representation(cover, self.context)

    @staticmethod
    def prefetch_lookups(name):
        return [*image_lookups("listing_image"), "images", *image_lookups("images__image")]


class ImageCountField(InstanceField):
    def to_representation(self, gallery):
        return len(gallery.images.all())

    @staticmethod
    def prefetch_lookups(name):
        return ["images"]
