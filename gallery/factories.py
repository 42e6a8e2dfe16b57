"""Factories for photo galleries."""

import factory
import wagtail_factories

from cms.factories import SiteImageFactory
from gallery.models import GalleryImage, GalleryIndexPage, GalleryPage


class GalleryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Gallery"

    class Meta:
        model = GalleryIndexPage


class GalleryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Test album {n}")
    intro = ""

    class Meta:
        model = GalleryPage


class GalleryImageFactory(factory.django.DjangoModelFactory):
    """A photo in an album; pass `page`."""

    image = factory.SubFactory(SiteImageFactory)
    caption = factory.Sequence(lambda n: f"Photo caption {n}")
    credit = ""

    class Meta:
        model = GalleryImage
