"""Photo galleries: albums of event photographs with captions and credits."""

import functools

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.images.models import Filter
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import BasePage, SiteImage, SiteRendition
from cms.pagination import PAGE_SIZE_VALIDATORS, CountingPaginator, paginate
from cms.prepared import PreparedQuery
from cms.renditions import renditions_or_not_found
from cms.request_memo import private_pages_q
from cms.serializers import ImageField, PageLinkField

from .serializers import CoverImageField, ImageCountField

# The sizes of an album's cover on its card (gallery_index_page.html, {% picture %}).
COVER_SPECS = Filter.expand_spec("format-{webp,jpeg} fill-{400x250,640x400,960x600}")


class GalleryIndexPage(BasePage):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    per_page = models.PositiveSmallIntegerField(
        default=12,
        validators=PAGE_SIZE_VALIDATORS,
        help_text=_("How many albums to show on each page (1 to 100)."),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["gallery.GalleryPage"]

    class Meta:
        verbose_name = _("gallery index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        galleries = (
            GalleryPage.objects.child_of(self)
            .live()
            .exclude(private_pages_q())  # `.public()`, the restrictions read once per request
            .order_by(models.F("date").desc(nulls_last=True), "title")
            .select_related("listing_image", "event")
            # A card names the event and links to it: not its body and materials.
            .defer("event__body", "event__materials")
            .prefetch_related(renditions_prefetch("listing_image__renditions", COVER_SPECS))
        )
        # The page of albums and their number in one query (COUNT(*) OVER ()).
        page_obj = paginate(request, galleries, self.per_page, paginator_class=CountingPaginator)
        page_obj.object_list = list(page_obj.object_list)
        attach_covers(page_obj.object_list)
        context["galleries"] = page_obj
        return context


def renditions_prefetch(lookup, specs):
    """Prefetch only the renditions of `specs` at `lookup`, as Wagtail's
    `ImageQuerySet.prefetch_renditions()` does: into each image's
    `prefetched_renditions` list, where Wagtail and `{% picture %}` look first."""
    shown = SiteRendition.objects.filter(filter_spec__in=specs)
    return Prefetch(lookup, shown, to_attr="prefetched_renditions")


def attach_renditions(images, specs):
    """Give each of `images` its renditions of `specs` as `prefetched_renditions`, where
    Wagtail and `{% picture %}` look first, in one query for all of them.

    What `renditions_prefetch()` does, without the cost of Django's generic prefetching
    (more than the query's own on an album). A size missing there (an image uploaded
    since) is made as usual.
    """
    by_id = {}
    for image in images:
        # Photos showing the same image share its list of renditions.
        image.prefetched_renditions = by_id.setdefault(image.pk, (image, []))[1]
    if not by_id:
        return
    for rendition in _renditions_query(tuple(specs), len(by_id)).run(*by_id):
        image, renditions = by_id[rendition.image_id]
        rendition.image = image  # as a prefetch sets it: the alt text is the image's
        renditions.append(rendition)


@functools.lru_cache(maxsize=64)
def _renditions_query(specs, count):
    """The renditions of `specs` of `count` images, by the images' ids: its SQL compiled
    once per process (see events.prepared)."""
    shown = SiteRendition.objects.filter(filter_spec__in=specs)
    return PreparedQuery(lambda *ids: shown.filter(image_id__in=ids), arity=count)


def attach_covers(galleries):
    """Give albums without a listing image their first photo as cover.

    Three queries for a whole listing (the photos' image ids, the covers and their
    renditions), rather than every photo of every album with all its renditions.
    """
    without = [g.pk for g in galleries if not g.listing_image_id]
    first_photos = {}
    photos = GalleryImage.objects.filter(page__in=without).order_by("-sort_order")
    for page_id, image_id in photos.values_list("page_id", "image_id") if without else ():
        first_photos[page_id] = image_id  # the lowest sort order is written last
    images = SiteImage.objects.filter(pk__in=set(first_photos.values()))
    by_id = (
        {image.pk: image for image in images.prefetch_renditions(*COVER_SPECS)}
        if first_photos
        else {}
    )
    for gallery in galleries:
        if not gallery.listing_image_id:
            gallery.first_photo = by_id.get(first_photos.get(gallery.pk))


# The large version a photo links to, its filter parsed once per process rather than
# once per photo and request.
LARGE_PHOTO = Filter("max-1600x1600")
LARGE_PHOTO_SPECS = (LARGE_PHOTO.spec,)
# The renditions an album shows of each photo (gallery_page.html): its {% picture %}
# sizes and the large version. Only these are fetched, not every size the image has
# elsewhere on the site (cards, social cards).
ALBUM_PHOTO_SPECS = [
    *Filter.expand_spec("format-{webp,jpeg} fill-{400x300,800x600}"),
    LARGE_PHOTO.spec,
]


class GalleryPage(BasePage):
    date = models.DateField(null=True, blank=True, help_text=_("When the photos were taken."))
    event = models.ForeignKey(
        "events.EventPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="galleries",
        help_text=_("The event these photos are from, if any."),
    )
    intro = models.TextField(blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("event"),
        FieldPanel("intro"),
        InlinePanel("images", heading=_("Photos"), label=_("Photo"), min_num=1),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [
        APIField("date"),
        APIField("event", serializer=PageLinkField()),
        APIField("intro"),
        APIField("cover_image", serializer=CoverImageField()),
        APIField("image_count", serializer=ImageCountField()),
        APIField("images"),
    ]

    parent_page_types = ["gallery.GalleryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("gallery page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["photos"] = self.photos()
        context["event"] = self.live_event()
        return context

    def photos(self):
        """The photos in editor order, with their images and the renditions the album
        shows (two queries), each with `large`: the rendition its link opens."""
        photos = self.child_rows("images", ALBUM_PHOTOS, lambda rel: rel.select_related("image"))
        attach_renditions([photo.image for photo in photos], ALBUM_PHOTO_SPECS)
        for photo in photos:
            photo.large = renditions_or_not_found(photo.image, LARGE_PHOTO_SPECS)[LARGE_PHOTO.spec]
        return photos

    def live_event(self):
        """The linked event if it is live, with only what the album shows of it: its
        title and its URL (one query, none without an event)."""
        if not self.event_id:
            return None
        found = LIVE_EVENT.run(self.event_id)
        return found[0] if found else None

    @property
    def cover_image(self):
        if self.listing_image_id:
            return self.listing_image
        if hasattr(self, "first_photo"):  # found for a whole listing (attach_covers)
            return self.first_photo
        first = self.images.first()
        return first.image if first else None


class GalleryImage(Orderable):
    page = ParentalKey(GalleryPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(max_length=255, blank=True)
    credit = models.CharField(
        max_length=255, blank=True, help_text=_("Defaults to the image's own credit.")
    )

    panels = [FieldPanel("image"), FieldPanel("caption"), FieldPanel("credit")]
    api_fields = [
        APIField("image", serializer=ImageField()),
        APIField("caption"),
        APIField("credit_label"),
    ]

    @property
    def credit_label(self):
        return self.credit or self.image.credit


# An album's photos with their images, and its event's title and URL: the same shapes
# on every album, their SQL compiled once per process.
ALBUM_PHOTOS = PreparedQuery(
    lambda page_id: GalleryImage.objects.filter(page=page_id).select_related("image")
)
LIVE_EVENT = PreparedQuery(
    lambda page_id: Page.objects.live().only("title", "url_path").filter(pk=page_id)
)
