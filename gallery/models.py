"""Photo galleries: albums of event photographs with captions and credits."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from cms.models import BasePage, SiteImage
from cms.pagination import PAGE_SIZE_VALIDATORS, paginate
from cms.serializers import ImageField, PageLinkField

from .serializers import CoverImageField, ImageCountField


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
            .public()
            .order_by(models.F("date").desc(nulls_last=True), "title")
            .select_related("listing_image", "event")
            .prefetch_related(
                "listing_image__renditions", "images__image", "images__image__renditions"
            )
        )
        context["galleries"] = paginate(request, galleries, self.per_page)
        return context


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

    def photos(self):
        """The photos in editor order, with their images and renditions (three queries)."""
        return self.images.select_related("image").prefetch_related("image__renditions")

    @property
    def cover_image(self):
        first = self.images.first()
        return self.listing_image or (first.image if first else None)


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
