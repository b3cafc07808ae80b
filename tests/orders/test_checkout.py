import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import signing
from django.urls import resolve, reverse
from django.utils import timezone

from affiliates.factories import AllianceItemFactory, AllianceOfferFactory
from orders import aftersales
from orders.attribution import Attribution, attribution_read, attribution_sign
from orders.buyer_views import ORDER_LINK_SALT, order_link, order_token
from orders.exceptions import CheckoutError
from orders.factories import BUYER, RECEIVER, OrderFactory
from orders.models import AfterSale, AfterSaleType, Channel, Order, OrderStatus, TrafficSource
from orders.services import order_place
from products.exceptions import OutOfStock
from products.factories import SkuFactory
from shops.factories import CreatorFactory

from ..concurrency import refused, run_together
from .checkout_support import RECEIVER_FORM

pytestmark = pytest.mark.django_db

FORM = {"quantity": 1, **RECEIVER_FORM, "buyer_words": "周末送"}


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_the_last_ten_units():
    # given
    sku = SkuFactory(stock=10)

    def buy():
        order_place(shop=sku.shop, lines=[(sku.pk, 1)], receiver=RECEIVER, buyer=BUYER)

    # when
    outcomes = run_together([buy] * 50)
    # then
    sku.refresh_from_db()
    assert outcomes.count(None) == 10 and refused(outcomes, OutOfStock) == 40
    assert sku.stock == 0
    assert Order.objects.filter(shop=sku.shop).count() == 10


# --- attribution ---------------------------------------------------------------------


def test_attribution_round_trip():
    a = Attribution(creator_id=7, channel=Channel.ALLIANCE, traffic_source=TrafficSource.LIVE)
    assert attribution_read(attribution_sign(a)) == a


def test_tampered_attribution_is_refused():
    token = attribution_sign(Attribution(creator_id=7))
    with pytest.raises(CheckoutError, match="无效"):
        attribution_read(token[:-2] + "xx")


# --- pages ---------------------------------------------------------------------------


def test_product_page_offers_checkout(client, sku):
    response = client.get(reverse("buyer:product", args=[sku.shop.slug, sku.product.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "纯棉短袖T恤" in html and reverse("buyer:checkout", args=[sku.product.pk]) in html


def test_product_page_of_another_shop_is_404(client, sku, other_owner):
    url = reverse("buyer:product", args=[other_owner.shop.slug, sku.product.pk])
    assert client.get(url).status_code == 404


def test_checkout_page_lists_the_skus(client, sku, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("buyer:checkout", args=[sku.product.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "颜色:白;尺码:L" in html and "¥99.00" in html and "提交订单" in html


def test_checkout_places_the_order_and_shows_the_pay_page(client, sku):
    # when
    response = client.post(
        reverse("buyer:checkout", args=[sku.product.pk]), {**FORM, "sku": sku.pk}
    )
    # then
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("buyer:pay", args=[order_token(order)])
    assert (order.receiver_name, order.buyer_words, order.channel) == (
        "李四",
        "周末送",
        Channel.SHOP,
    )
    page = client.get(response.url).content.decode()
    assert "¥99.00" in page and "支付" in page and order.order_no in page


def test_checkout_through_a_creators_link_records_the_creator(client, sku):
    # given
    creator = CreatorFactory()
    token = attribution_sign(
        Attribution(
            creator_id=creator.pk,
            channel=Channel.ALLIANCE,
            traffic_source=TrafficSource.SHOWCASE,
        )
    )
    url = reverse("buyer:checkout", args=[sku.product.pk]) + f"?a={token}"
    # when
    client.post(url, {**FORM, "sku": sku.pk})
    # then
    order = Order.objects.get()
    assert (order.creator, order.channel, order.traffic_source) == (
        creator,
        Channel.ALLIANCE,
        TrafficSource.SHOWCASE,
    )


def test_checkout_with_a_tampered_link_starts_over_without_it(client, sku):
    url = reverse("buyer:checkout", args=[sku.product.pk])
    response = client.get(url + "?a=forged")
    assert response.status_code == 302 and response.url == url


def test_checkout_names_each_bad_field(client, sku):
    # when
    response = client.post(
        reverse("buyer:checkout", args=[sku.product.pk]),
        {**FORM, "sku": sku.pk, "receiver_name": "", "receiver_phone": "12"},
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "收件人：" in html and "手机号：" in html
    assert not Order.objects.exists()


def test_checkout_beyond_stock_says_how_many_are_left(client, sku):
    response = client.post(
        reverse("buyer:checkout", args=[sku.product.pk]), {**FORM, "sku": sku.pk, "quantity": 11}
    )
    assert "仅剩 10 件" in response.content.decode()
    assert not Order.objects.exists()


def test_pay_button_pays_through_the_signed_callback(
    client, place, sku, django_capture_on_commit_callbacks
):
    # given
    order = place([(sku.pk, 1)])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("buyer:pay", args=[order_token(order)]), {"pay_method": 1})
    # then
    order.refresh_from_db()
    # (the link is signed with the second it was made in: compare what it names)
    landing = resolve(response.url)
    assert response.status_code == 302 and landing.view_name == "buyer:order"
    assert signing.loads(landing.kwargs["token"], salt=ORDER_LINK_SALT) == order.pk
    assert order.status == OrderStatus.AWAITING_SHIPMENT
    assert order.payments.get().provider == "simulator"


def test_pay_page_without_simulator_has_no_button(client, place, sku, settings):
    settings.PAYMENT_SIMULATOR_ENABLED = False
    order = place([(sku.pk, 1)])
    html = client.get(reverse("buyer:pay", args=[order_token(order)])).content.decode()
    assert "data-pay-form" not in html and "抖音 App" in html


def test_order_page_shows_status_items_and_masked_phone(client, shop):
    # given
    order = OrderFactory(shop=shop)
    # when
    response = client.get(order_link(order))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "备货中" in html and order.order_no in html and "138****5678" in html
    assert 'id="parcels"' in html and "申请售后" in html


def test_forged_order_link_is_404(client, shop):
    order = OrderFactory(shop=shop)
    assert client.get(f"/o/{order.pk}/").status_code == 404


def test_buyer_requests_a_refund_from_the_order_page(client, shop):
    # given
    order = OrderFactory(shop=shop)
    item = order.items.get()
    data = {"item": item.pk, "type": 2, "quantity": 1, "amount": "99", "reason": "不想要了"}
    # when
    response = client.post(reverse("buyer:aftersale_open", args=[order_token(order)]), data)
    # then
    assert response.status_code == 302
    aftersale = AfterSale.objects.get()
    assert (aftersale.refund_fen, aftersale.quantity) == (9900, 1)
    assert aftersale.aftersale_no in client.get(order_link(order)).content.decode()


def test_refund_above_paid_is_shown_on_the_amount_field(client, shop):
    order = OrderFactory(shop=shop)
    data = {
        "item": order.items.get().pk,
        "type": 2,
        "quantity": 1,
        "amount": "100",
        "reason": "其他",
    }
    response = client.post(reverse("buyer:aftersale_open", args=[order_token(order)]), data)
    assert response.status_code == 400
    assert "退款金额（元）：" in response.content.decode()
    assert not AfterSale.objects.exists()


def test_buyer_cancels_an_unpaid_order(client, place, sku):
    order = place([(sku.pk, 1)])
    client.post(reverse("buyer:cancel", args=[order_token(order)]))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_showcase_item_buys_with_the_creators_attribution(client, sku):
    # given
    item = AllianceItemFactory(offer=AllianceOfferFactory(product=sku.product))
    page = client.get(reverse("showcase:item", args=[item.creator.douyin_id, item.pk]))
    buy_url = unescape(re.search(r'href="([^"]+)" data-buy', page.content.decode())[1])
    # when
    client.post(buy_url, {**FORM, "sku": sku.pk})
    # then
    order = Order.objects.get()
    assert (order.creator, order.channel, order.traffic_source) == (
        item.creator,
        Channel.ALLIANCE,
        TrafficSource.SHOWCASE,
    )


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (OrderStatus.AWAITING_SHIPMENT, [AfterSaleType.UNSHIPPED_REFUND_ONLY]),
        (
            OrderStatus.PARTIALLY_SHIPPED,
            [
                AfterSaleType.RETURN_REFUND,
                AfterSaleType.SHIPPED_REFUND_ONLY,
                AfterSaleType.UNSHIPPED_REFUND_ONLY,
                AfterSaleType.EXCHANGE,
            ],
        ),
        (
            OrderStatus.SHIPPED,
            [
                AfterSaleType.RETURN_REFUND,
                AfterSaleType.SHIPPED_REFUND_ONLY,
                AfterSaleType.EXCHANGE,
            ],
        ),
        (OrderStatus.COMPLETED, [AfterSaleType.RETURN_REFUND, AfterSaleType.EXCHANGE]),
    ],
)
def test_after_sale_form_offers_only_the_types_the_state_allows(client, shop, status, offered):
    # given
    order = OrderFactory(shop=shop, status=status)
    # when
    form = client.get(order_link(order)).context["aftersale_form"]
    # then
    assert [value for value, _label in form.fields["type"].choices] == offered
    item = order.items.get()
    assert form["item"].as_widget().count(f'data-types="{" ".join(map(str, offered))}"') == 1
    assert item.pk in dict(form.fields["item"].choices)


def test_after_sale_form_fills_the_refundable_amount(client, shop, sku, shop_context):
    # given: two ¥99.00 units, one refunded already
    order = OrderFactory(shop=shop, lines=[(sku.pk, 2)])
    item = order.items.get()
    first = aftersales.aftersale_open(
        item_id=item.pk, type=2, quantity=1, refund_fen=9900, reason="拍错/多拍"
    )
    aftersales.aftersale_agree(context=shop_context, aftersale_id=first.pk)
    # when
    html = client.get(order_link(order)).content.decode()
    # then: what is left to refund, for the unit left
    assert 'name="amount" value="99.00"' in html
    assert 'name="quantity" value="1"' in html
    assert 'data-refundable="99.00" data-units="1"' in html


def test_no_after_sale_form_once_the_return_window_has_passed(client, shop):
    # given
    order = OrderFactory(shop=shop, status=OrderStatus.COMPLETED)
    Order.objects.filter(pk=order.pk).update(completed_at=timezone.now() - timedelta(days=8))
    # when
    response = client.get(order_link(order))
    # then
    assert response.context["aftersale_form"] is None
