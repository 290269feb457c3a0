"""Size advice for a page of products in a fixed number of queries (``sizing.selectors``)."""

import pytest

from sizing.selectors import size_advice_for_products
from sizing.tests.factories import measured_user, top_with_chart

pytestmark = pytest.mark.django_db


def test_advice_for_a_page_of_products_takes_two_queries(django_assert_num_queries):
    user = measured_user(chest=93.0, waist=79.0)
    products = [top_with_chart() for _ in range(5)]

    with django_assert_num_queries(2):  # the measurements, the charts
        advice = size_advice_for_products(user=user, products=products)

    assert [a.size for a in advice.values()] == ["M"] * 5
