"""/api/v2/navigation/: the menu, footer, contact details and social links of the site."""

from django.urls import path
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Site

from cms.api_base import PublicAPIMixin, public_page_queryset
from cms.models import SiteSettings
from cms.serializers import page_link_representation


def menu_representation(request, root, context):
    """Live, public children of the site root that editors chose to show in menus.

    The same pages, in the same order, as the site's own primary navigation.
    """
    pages = public_page_queryset(request).child_of(root).in_menu().order_by("path")
    return [{**page_link_representation(page, context), "slug": page.slug} for page in pages]


def settings_representation(settings):
    return {
        "organisation": {"name": settings.organisation_name, "short_name": settings.short_name},
        "contact": {
            "email": settings.email,
            "phone": settings.phone,
            "address": [line.strip() for line in settings.address.splitlines() if line.strip()],
        },
        "social_links": [
            {"platform": link.platform, "label": link.get_platform_display(), "url": link.url}
            for link in settings.social_links.all()
        ],
        "footer": {"text": settings.footer_text},
    }


class NavigationAPIViewSet(PublicAPIMixin, BaseAPIViewSet):
    """One object: what every page of a frontend shows around its content."""

    name = "navigation"
    model = SiteSettings
    known_query_parameters = frozenset(["site", "format", "_"])

    def listing_view(self, request):
        unknown = set(request.GET) - self.known_query_parameters
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )
        site = Site.find_for_request(request)
        if site is None:
            raise BadRequestError("no site serves this host name")
        context = self.get_serializer_context()
        home = site.root_page
        return Response(
            {
                "site": {"name": site.site_name, "root_url": site.root_url},
                "home": page_link_representation(home, context),
                "menu": menu_representation(request, home, context),
                **settings_representation(SiteSettings.for_site(site)),
            }
        )

    def get_serializer_context(self):
        return {"request": self.request, "view": self, "router": self.request.wagtailapi_router}

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "listing_view"}), name="listing")]
