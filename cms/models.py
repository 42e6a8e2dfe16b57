"""The shared core: the image model, the abstract base page and site settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.headless import HeadlessPreviewMixin
from cms.serializers import ImageField, SiteImageRenditionsField


class SiteImage(AbstractImage):
    """An image with the alt text and credit every public image needs."""

    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        help_text=_(
            "What the image shows, for people using screen readers "
            "(e.g. 'Delegates at the 2021 Breast Cancer Symposium')."
        ),
    )
    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Photographer or source, shown under the image."),
    )

    # Wagtail's own `description` doubles as alt text; ours is required and named
    # plainly, so the form shows one alt text field, not two.
    admin_form_fields = tuple(
        name for name in Image.admin_form_fields if name != "description"
    ) + ("alt_text", "credit")

    search_fields = AbstractImage.search_fields + [index.SearchField("alt_text")]
    api_fields = [
        APIField("alt_text"),
        APIField("credit"),
        APIField("renditions", serializer=SiteImageRenditionsField()),
    ]

    @property
    def default_alt_text(self):
        return self.alt_text or self.title

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class BasePage(HeadlessPreviewMixin, Page):
    """Fields every page shares: how it looks in listings, cards and the API.

    SEO title and description come from Wagtail's own `seo_title` and
    `search_description`, shown on the Promote tab next to these.
    """

    listing_title = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("A shorter title for cards and lists. Defaults to the page title."),
    )
    listing_summary = models.TextField(
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for cards, lists and search results."),
    )
    listing_image = models.ForeignKey(
        SiteImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown on cards and when the page is shared on social media."),
    )

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
            ],
            heading=_("For search engines"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("listing_title"),
                FieldPanel("listing_summary"),
                FieldPanel("listing_image"),
            ],
            heading=_("For cards and listings"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading=_("For site menus")),
    ]

    search_fields = Page.search_fields + [index.SearchField("listing_summary")]

    api_fields = [
        APIField("listing_title"),
        APIField("listing_summary"),
        APIField("listing_image", serializer=ImageField()),
        APIField("seo_title"),
        APIField("search_description"),
    ]

    class Meta:
        abstract = True

    @property
    def card_title(self):
        return self.listing_title or self.title

    @property
    def card_summary(self):
        return self.listing_summary or self.search_description


@register_setting(icon="site")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    """Contact details, social links and footer text, edited under Settings."""

    organisation_name = models.CharField(
        max_length=255, default="Society of Medical Oncology Pakistan"
    )
    short_name = models.CharField(max_length=20, default="SMOP")
    email = models.EmailField(blank=True, help_text=_("Public contact address."))
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True, help_text=_("Postal address, one line per row."))
    footer_text = models.TextField(
        blank=True, help_text=_("A short line shown at the foot of every page.")
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("short_name")],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("address")],
            heading=_("Contact details"),
        ),
        InlinePanel("social_links", heading=_("Social links"), label=_("Social link")),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def base_queryset(cls):
        # Every page reads the social links (footer, social cards) more than once.
        return super().base_queryset().prefetch_related("social_links")


class SocialLink(Orderable):
    class Platform(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        X = "x", "X (Twitter)"
        LINKEDIN = "linkedin", "LinkedIn"
        YOUTUBE = "youtube", "YouTube"
        INSTAGRAM = "instagram", "Instagram"
        OTHER = "other", _("Other")

    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="social_links")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    url = models.URLField(_("URL"))

    panels = [FieldPanel("platform"), FieldPanel("url")]

    def __str__(self):
        return self.get_platform_display()


class ContentGeneration(models.Model):
    """One row whose token changes whenever public content changes (cms.page_cache).

    Read by the full-page cache when its cache is local to each process, so that a
    publish in any process (web worker, task worker, scheduler) invalidates them all.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("content generation")

    def __str__(self):
        return self.token
