"""The shared pagination: any page number or stored page size gives a valid page."""

import pytest
from django.test import RequestFactory

from cms.pagination import MAX_PAGE_SIZE, paginate


def page_of(items, per_page, page=None):
    params = {} if page is None else {"page": page}
    return paginate(RequestFactory().get("/", params), items, per_page)


@pytest.mark.parametrize(
    ("page", "number"), [(None, 1), ("2", 2), ("abc", 1), ("-1", 3), ("0", 3), ("999", 3)]
)
def test_bad_page_numbers_give_a_valid_page(page, number):
    assert page_of(list(range(25)), 10, page).number == number


@pytest.mark.parametrize(("stored", "size"), [(0, 1), (-5, 1), (7, 7), (10_000, MAX_PAGE_SIZE)])
def test_a_page_size_out_of_bounds_is_clamped(stored, size):
    assert page_of(list(range(500)), stored).paginator.per_page == size
