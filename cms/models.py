"""The shared core: the image model, the abstract base page and site settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, PageViewRestriction, Site
from wagtail.search import index

from cms.headless import HeadlessPreviewMixin
from cms.request_memo import (
    generation_cached,
    page_view_restrictions,
    private_pages_q,
    request_site_root_paths,
)
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

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        # `page.url` (no request given) reads the site root paths once per request, as
        # `page.get_url(request)` does, not once per page.
        if cache_object is None and not kwargs:
            paths = request_site_root_paths()
            if paths is not None:
                return paths
        return super()._get_site_root_paths(cache_object, **kwargs)

    def get_view_restrictions(self):
        """Wagtail's check before serving, without its two queries when nothing is restricted.

        Whether any page is restricted is read once per request (and shared with the
        listings' `private_pages_q()`); when one is, Wagtail's own lookup decides.
        """
        if not page_view_restrictions():
            return no_view_restrictions()
        return super().get_view_restrictions()

    def child_rows(self, relation, prepared, adapt=lambda rel: rel):
        """A child relation's rows: by its prepared query (`prepared.run(page id)`),
        unless they are in memory.

        A preview (or a page read from a revision) holds its children in memory,
        where the query would not see them: those go through the relation, shaped by
        `adapt` as the prepared query is.
        """
        if self.pk is None or relation in getattr(self, "_cluster_related_objects", {}):
            return list(adapt(getattr(self, relation).all()))
        return prepared.run(self.pk)

    def public_children(self):
        """Live, public child pages as their own types, for cards.

        A page without children (most pages) answers [] without building a query:
        even an empty queryset costs a third of a millisecond to evaluate.
        """
        if not self.numchild:
            return []
        return self.get_children().live().exclude(private_pages_q()).specific()

    @property
    def card_title(self):
        return self.listing_title or self.title

    @property
    def card_summary(self):
        return self.listing_summary or self.search_description


def no_view_restrictions():
    """An empty queryset of restrictions that iterates without compiling a query.

    Wagtail iterates it before serving every page; `.none()` alone still builds the
    SQL to learn that there is nothing to run. Chained methods (`.exists()`,
    `.order_by()`) make a fresh `.none()` queryset as usual.
    """
    restrictions = PageViewRestriction.objects.none()
    restrictions._result_cache = []  # what evaluating it would give
    return restrictions


SITE_SETTINGS_CACHE_SECONDS = 3600


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

    @classmethod
    def for_request(cls, request):
        """Wagtail's per-request settings, taken from the cache until content changes.

        Saving the settings changes the content generation in the key, so an edit shows
        on the next request; the social links are kept with them (prefetched).
        """
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site_settings = cls.cached_for_site(Site.find_for_request(request))
            site_settings._request = request  # as Wagtail's: page URLs reuse the request
            setattr(request, attr_name, site_settings)
        return getattr(request, attr_name)

    @classmethod
    def cached_for_site(cls, site):
        if site is None:
            return cls.for_site(site)  # Wagtail's error for a request without a site
        return generation_cached(
            f"smop:site-settings:{site.pk}",
            lambda: cls.for_site(site),
            SITE_SETTINGS_CACHE_SECONDS,
        )


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
