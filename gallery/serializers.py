"""How galleries appear inside other API objects (an event's albums, an album's cover)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from rest_framework.fields import Field
from wagtail.images import get_image_model

from cms.serializers import (
    api_renditions,
    image_lookups,
    image_representation,
    page_link_representation,
)


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

    The first photos take one query, the covers' renditions another.
    """
    missing = {g.first_photo_id for g in galleries if g.listing_image is None and g.first_photo_id}
    photos = get_image_model().objects.in_bulk(missing) if missing else {}
    covers = {g.pk: g.listing_image or photos.get(g.first_photo_id) for g in galleries}
    prefetch_related_objects(
        [cover for cover in covers.values() if cover is not None], api_renditions("renditions")
    )
    return covers


class _ReadOnlyField(Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance


class EventGalleriesField(_ReadOnlyField):
    """Every live, public album of an event: the one it links and those naming it."""

    def to_representation(self, event):
        galleries = list(with_first_photo_and_count(event.public_galleries()))
        covers = album_covers(galleries)
        return [
            summary
            for g in galleries
            if (summary := album_summary(g, covers[g.pk], g.photo_count, self.context))
        ]

    @staticmethod
    def prefetch_lookups(name):
        return []  # `public_galleries()` is a query of its own (not the `galleries` relation)


class CoverImageField(_ReadOnlyField):
    """The album's listing image, or else its first photo."""

    def to_representation(self, gallery):
        images = list(gallery.images.all())
        cover = gallery.listing_image or (images[0].image if images else None)
        return image_representation(cover, self.context)

    @staticmethod
    def prefetch_lookups(name):
        return [*image_lookups("listing_image"), "images", *image_lookups("images__image")]


class ImageCountField(_ReadOnlyField):
    def to_representation(self, gallery):
        return len(gallery.images.all())

    @staticmethod
    def prefetch_lookups(name):
        return ["images"]
