"""Pagination shared by every listing: events, directory, galleries and search."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Count, IntegerField, Subquery, Window

MAX_PAGE_SIZE = 100
# For editor-set page sizes: the admin form keeps them within 1 to MAX_PAGE_SIZE.
PAGE_SIZE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(MAX_PAGE_SIZE)]
# Far past the end of any real listing: such a page number is answered with the last
# page after a count, never turned into an OFFSET too large for the database.
MAX_PAGE_NUMBER = 100_000


class TotalCount(Subquery):
    """How many rows `queryset` has, as a subquery the database runs once per query.

    Unlike `COUNT(*) OVER ()`, it leaves the page free to stop at LIMIT: a window
    count joins and builds every matching row (with its select_related columns) first,
    where this counts the bare ids.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset):
        super().__init__(queryset.order_by().values("pk"))


class CountingPaginator(Paginator):
    """A paginator for a queryset that counts it in the same query as the page.

    Each row carries COUNT(*) OVER (), so a search is scanned once rather than once
    for the count and again for the page. Only a page past the end (an old link) or
    below 1 costs a separate count, to find the last page, as Django's get_page does.
    """

    def validate_number(self, number):
        """Django's checks, less the upper bound (that would need the count first)."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number):
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return self.page(number)

    def total_count(self):
        """The expression giving each row the size of the whole listing.

        A subclass may count in a subquery instead (`TotalCount`) for a
        listing an index can page: the window makes the database build every row first.
        """
        return Window(Count("*"))

    def rows(self, limit, offset):
        """`limit` rows from `offset`, each with `_total_count`, the whole listing's size."""
        counted = self.object_list.annotate(_total_count=self.total_count())
        return list(counted[offset : offset + limit])

    def page(self, number):
        number = self.validate_number(number)
        if number <= MAX_PAGE_NUMBER:
            rows = self.rows(self.per_page, (number - 1) * self.per_page)
            if rows or number == 1:
                self.count = rows[0]._total_count if rows else 0
                return self._get_page(rows, number, self)
        # Past the end (an old link) or far past it: count, then the last page.
        last = self.num_pages
        return self._get_page(self.rows(self.per_page, (last - 1) * self.per_page), last, self)


def paginate(request, items, per_page, param="page", paginator_class=Paginator):
    """The page of `items` the request asks for; bad page numbers give a valid page.

    `param` names the page number's query parameter, for a page with several listings.
    A page size stored outside the admin (0, say) is clamped, so it cannot break a page.
    """
    per_page = min(max(per_page, 1), MAX_PAGE_SIZE)
    return paginator_class(items, per_page).get_page(request.GET.get(param))
