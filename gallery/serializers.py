"""How galleries appear inside other API objects (an event's albums, an album's cover)."""

from rest_framework.fields import Field

from cms.serializers import image_lookups, image_representation, page_link_representation


def gallery_summary(gallery, context=None):
    """A linked album: the page link, its date, cover image and number of photos."""
    link = page_link_representation(gallery, context)
    if link is None:
        return None
    images = list(gallery.images.all())
    cover = gallery.listing_image or (images[0].image if images else None)
    return {
        **link,
        "date": gallery.date.isoformat() if gallery.date else None,
        "cover_image": image_representation(cover, context),
        "image_count": len(images),
    }


class _ReadOnlyField(Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance


class EventGalleriesField(_ReadOnlyField):
    """Every live, public album of an event: the one it links and those naming it."""

    def to_representation(self, event):
        galleries = event.public_galleries().prefetch_related(
            "listing_image__renditions", "images__image__renditions"
        )
        return [summary for g in galleries if (summary := gallery_summary(g, self.context))]


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
