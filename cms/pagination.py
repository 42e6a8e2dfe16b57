"""Pagination shared by every listing: events, directory, galleries and search."""

from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator

MAX_PAGE_SIZE = 100
# For editor-set page sizes: the admin form keeps them within 1 to MAX_PAGE_SIZE.
PAGE_SIZE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(MAX_PAGE_SIZE)]


def paginate(request, items, per_page, param="page"):
    """The page of `items` the request asks for; bad page numbers give a valid page.

    `param` names the page number's query parameter, for a page with several listings.
    A page size stored outside the admin (0, say) is clamped, so it cannot break a page.
    """
    per_page = min(max(per_page, 1), MAX_PAGE_SIZE)
    return Paginator(items, per_page).get_page(request.GET.get(param))
