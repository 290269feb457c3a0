import pytest

from accounts.tests.factories import UserFactory
from catalog.models import ProductVariant
from orders.models import Order, OrderStatus
from orders.services import cart_item_add, order_place
from orders.tests.factories import SHIPPING, variant_in_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _status_form(order, status: str) -> dict:
    lines = list(order.lines.all())
    data = {"status": status, "lines-TOTAL_FORMS": len(lines), "lines-INITIAL_FORMS": len(lines)}
    data.update({f"lines-{n}-id": line.pk for n, line in enumerate(lines)})
    data.update({f"lines-{n}-order": order.pk for n, line in enumerate(lines)})
    return data


def _order(stock=5, quantity=2, email="ada@example.com"):
    user = UserFactory()
    variant = variant_in_stock(stock=stock)
    cart_item_add(user=user, session=None, variant=variant, quantity=quantity)
    return order_place(user=user, **{**SHIPPING, "email": email}), variant


def test_the_merchant_marks_an_order_paid_on_its_page(merchant_client):
    # given
    order, _ = _order()
    url = f"/admin/orders/order/{order.pk}/change/"
    assert order.number in merchant_client.get(url).content.decode()

    # when
    response = merchant_client.post(url, _status_form(order, "paid"))

    # then
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.paid_at is not None, order.email) == (
        OrderStatus.PAID,
        True,
        "ada@example.com",
    )


def test_the_admin_refuses_a_status_change_the_shop_does_not_allow(merchant_client):
    order, variant = _order()
    url = f"/admin/orders/order/{order.pk}/change/"
    response = merchant_client.post(url, _status_form(order, "shipped"))
    assert response.status_code == 200
    assert "can only become: " in response.content.decode()
    order.refresh_from_db()
    assert (order.status, ProductVariant.objects.get(pk=variant.pk).stock) == (
        OrderStatus.AWAITING_PAYMENT,
        3,
    )


def test_the_cancel_action_returns_the_stock(merchant_client):
    # given two orders, one of them already shipped
    open_order, open_variant = _order(stock=5, quantity=2)
    shipped, shipped_variant = _order(stock=5, quantity=1)
    Order.objects.filter(pk=shipped.pk).update(status=OrderStatus.SHIPPED)

    # when the merchant cancels both
    response = merchant_client.post(
        "/admin/orders/order/",
        {"action": "cancel", "_selected_action": [open_order.pk, shipped.pk]},
        follow=True,
    )

    # then only the open one is cancelled and its stock is back; the shipped one is refused
    page = response.content.decode()
    assert "1 order(s) marked cancelled." in page
    assert f"{shipped.number}: An order that is shipped cannot become cancelled." in page
    assert Order.objects.get(pk=open_order.pk).status == OrderStatus.CANCELLED
    assert Order.objects.get(pk=shipped.pk).status == OrderStatus.SHIPPED
    assert ProductVariant.objects.get(pk=open_variant.pk).stock == 5
    assert ProductVariant.objects.get(pk=shipped_variant.pk).stock == 4


def test_the_order_list_filters_by_status_and_searches(merchant_client):
    paid, _ = _order(email="paid@example.com")
    waiting, _ = _order(email="waiting@example.com")
    Order.objects.filter(pk=paid.pk).update(status=OrderStatus.PAID)
    page = merchant_client.get("/admin/orders/order/", {"status__exact": "paid"}).content.decode()
    assert paid.number in page and waiting.number not in page
    found = merchant_client.get("/admin/orders/order/", {"q": "waiting@"}).content.decode()
    assert waiting.number in found and paid.number not in found


def test_the_product_page_in_the_admin_edits_variants_inline(merchant_client):
    # given a product with one size
    variant = variant_in_stock(stock=1, size="S")
    product = variant.product
    url = f"/admin/catalog/product/{product.pk}/change/"
    page = merchant_client.get(url).content.decode()
    assert 'name="variants-0-sku"' in page and 'name="add_sizes"' in page
    add_page = merchant_client.get("/admin/catalog/product/add/")
    assert add_page.status_code == 200 and 'name="variants-TOTAL_FORMS"' in add_page.content.decode()
    assert merchant_client.get("/admin/catalog/product/").status_code == 200

    # when the merchant restocks S and types a size list
    data = {
        "category": product.category_id,
        "name": product.name,
        "slug": product.slug,
        "description": "",
        "price": "49.00",
        "currency": "EUR",
        "garment_kind": "top",
        "is_active": "on",
        "add_sizes": "S, M, L",
        "add_sizes_stock": "2",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "1",
        "variants-0-id": variant.pk,
        "variants-0-product": product.pk,
        "variants-0-size": "S",
        "variants-0-colour": "",
        "variants-0-sku": variant.sku,
        "variants-0-stock": "7",
        "variants-0-price_override": "",
        "variants-0-order": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "size_chart-TOTAL_FORMS": "0",
        "size_chart-INITIAL_FORMS": "0",
    }
    response = merchant_client.post(url, data)

    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(v.size, v.stock) for v in product.variants.all()] == [("S", 7), ("M", 2), ("L", 2)]


def test_a_bad_size_list_is_a_form_error_and_changes_nothing(merchant_client):
    variant = variant_in_stock(stock=1, size="S")
    product = variant.product
    response = merchant_client.post(
        f"/admin/catalog/product/{product.pk}/change/",
        {
            "category": product.category_id,
            "name": product.name,
            "slug": product.slug,
            "price": "49.00",
            "currency": "EUR",
            "garment_kind": "top",
            "add_sizes": "M, a-size-label-much-too-long",
            "variants-TOTAL_FORMS": "0",
            "variants-INITIAL_FORMS": "0",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "size_chart-TOTAL_FORMS": "0",
            "size_chart-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "is longer than 16 characters" in response.content.decode()
    assert list(product.variants.values_list("size", flat=True)) == ["S"]
