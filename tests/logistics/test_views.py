from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from logistics.factories import ShipmentFactory
from logistics.models import PrintRecord, Shipment, TrackingNoCorrection
from orders.buyer_views import order_link
from orders.factories import RECEIVER
from orders.models import Order, OrderStatus
from tests.orders.aftersale_support import refund_request

pytestmark = pytest.mark.django_db

MERGE_RECEIVER = {**RECEIVER, "name": "李小红", "phone": "13911112222"}


@pytest.fixture
def logged_in(client, owner):
    client.force_login(owner.user)
    return client


def _overdue(order, hours):
    Order.objects.filter(pk=order.pk).update(exp_ship_time=timezone.now() + timedelta(hours=hours))


def test_to_ship_lists_overdue_first_with_the_countdown(logged_in, make_order):
    # given: one due in 10 hours, one 2 hours overdue
    later, overdue = make_order(1), make_order(1)
    _overdue(later, 10)
    _overdue(overdue, -2)
    # when
    response = logged_in.get(reverse("logistics:to_ship"))
    # then
    rows = [row["order"].pk for row in response.context["rows"]]
    assert rows == [overdue.pk, later.pk]
    assert "已超时 2 小时" in response.content.decode()


def test_to_ship_query_budget(logged_in, make_order, django_assert_max_num_queries):
    # given: 12 orders, some of one receiver
    for n in range(12):
        make_order(1, 2, receiver=MERGE_RECEIVER if n < 3 else {**RECEIVER, "detail": f"{n} 号"})
    # when / then
    with django_assert_max_num_queries(14):
        response = logged_in.get(reverse("logistics:to_ship"))
    assert response.status_code == 200


def test_to_ship_shows_merge_groups_without_open_aftersales(logged_in, make_order):
    # given: three orders of one receiver, one with an open refund
    orders = [make_order(1, receiver=MERGE_RECEIVER) for _ in range(3)]
    refund_request(orders[2])
    # when
    response = logged_in.get(reverse("logistics:to_ship"))
    # then
    (entry,) = response.context["groups"]
    assert {o.pk for o in entry["group"].orders} == {orders[0].pk, orders[1].pk}


def test_merge_ship_from_the_page(logged_in, make_order, sf):
    # given
    first, second = make_order(1, receiver=MERGE_RECEIVER), make_order(1, receiver=MERGE_RECEIVER)
    # when
    response = logged_in.post(
        reverse("logistics:merge_ship"),
        {
            "prefix": "m1",
            "m1-order_ids": [first.pk, second.pk],
            "m1-carrier": sf.pk,
            "m1-tracking_no": "SF1000000000011",
        },
        follow=True,
    )
    # then
    assert "已合并发货 2 个订单" in response.content.decode()
    shipment = Shipment.objects.get()
    assert shipment.lines.count() == 2


def test_order_ship_from_the_detail_form_partially(logged_in, make_order, sf):
    # given
    order = make_order(3)
    item = order.items.get()
    # when
    response = logged_in.post(
        reverse("logistics:order_ship", args=[order.pk]),
        {"carrier": sf.pk, "tracking_no": "SF1000000000012", f"qty_{item.pk}": 2},
    )
    # then
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_SHIPPED


def test_order_ship_error_is_shown_on_the_detail(logged_in, make_order, sf):
    # given
    order = make_order(1)
    # when
    response = logged_in.post(
        reverse("logistics:order_ship", args=[order.pk]),
        {"carrier": sf.pk, "tracking_no": "12345", f"qty_{order.items.get().pk}": 1},
        follow=True,
    )
    # then
    assert "不符合顺丰速运的单号格式" in response.content.decode()
    assert not Shipment.objects.exists()


def test_order_detail_shows_the_ship_form_and_parcels(logged_in, make_order, shop_context):
    # given: a partly shipped order
    order = make_order(2)
    shipment = ShipmentFactory(
        order=order, context=shop_context, quantities={order.items.get().pk: 1}
    )
    # when
    response = logged_in.get(reverse("orders:detail", args=[order.pk]))
    # then
    html = response.content.decode()
    assert 'data-testid="ship-form"' in html
    assert shipment.tracking_no in html


def test_buyer_order_page_shows_the_parcels(client, make_order, shop_context):
    # given
    order = make_order(1)
    shipment = ShipmentFactory(order=order, context=shop_context)
    # when
    response = client.get(order_link(order))
    # then
    assert shipment.tracking_no in response.content.decode()


def _multi_ship_form(*parcels):
    """The 多单发货 form's fields for (order, carrier, tracking number) parcels."""
    form = {"order_ids": [order.pk for order, _carrier, _number in parcels]}
    for order, carrier, number in parcels:
        form[f"carrier_{order.pk}"] = carrier.pk
        form[f"tracking_{order.pk}"] = number
    return form


def test_multi_ship_form_ships_each_order_with_its_number(logged_in, make_order, sf, zto):
    # given
    first, second = make_order(1), make_order(1, receiver={**RECEIVER, "detail": "2 号"})
    url = reverse("logistics:multi_ship")
    # when: opened from the order list's selection
    page = logged_in.get(url, {"order_ids": [first.pk, second.pk]})
    # then
    assert len(page.context["rows"]) == 2
    # when: submitted
    response = logged_in.post(
        url, _multi_ship_form((first, sf, "SF1000000000013"), (second, zto, "75000000000013"))
    )
    # then
    assert response.status_code == 302
    assert set(Shipment.objects.values_list("tracking_no", flat=True)) == {
        "SF1000000000013",
        "75000000000013",
    }


def test_multi_ship_error_ships_nothing(logged_in, make_order, sf):
    # given
    first, second = make_order(1), make_order(1)
    # when: the second number is wrong
    response = logged_in.post(
        reverse("logistics:multi_ship"),
        _multi_ship_form((first, sf, "SF1000000000014"), (second, sf, "oops")),
    )
    # then
    assert response.status_code == 200
    assert "第 2 个包裹" in response.content.decode()
    assert not Shipment.objects.exists()


def test_shipments_search_by_tracking_number(logged_in, make_order, shop_context):
    # given
    wanted = ShipmentFactory(order=make_order(1), context=shop_context)
    ShipmentFactory(order=make_order(1), context=shop_context)
    # when
    response = logged_in.get(reverse("logistics:shipments"), {"q": wanted.tracking_no.lower()})
    # then
    assert [row["shipment"] for row in response.context["rows"]] == [wanted]


def test_shipments_flags_no_scan_after_24_hours(logged_in, make_order, shop_context):
    # given: one parcel shipped 25 hours ago, never scanned; one fresh
    old = ShipmentFactory(order=make_order(1), context=shop_context)
    Shipment.objects.filter(pk=old.pk).update(shipped_at=timezone.now() - timedelta(hours=25))
    ShipmentFactory(order=make_order(1), context=shop_context)
    # when
    response = logged_in.get(reverse("logistics:shipments"), {"no_scan": "on"})
    # then
    rows = response.context["rows"]
    assert [row["shipment"].pk for row in rows] == [old.pk]
    assert rows[0]["no_scan"]
    assert "无揽收记录" in response.content.decode()


def test_shipments_query_budget(logged_in, make_order, shop_context, django_assert_max_num_queries):
    # given
    for _ in range(8):
        ShipmentFactory(order=make_order(1, 1), context=shop_context)
    # when / then
    with django_assert_max_num_queries(10):
        response = logged_in.get(reverse("logistics:shipments"))
    assert len(response.context["rows"]) == 8


def test_home_card_counts_parcels_without_scan(logged_in, make_order, shop_context):
    # given
    old = ShipmentFactory(order=make_order(1), context=shop_context)
    Shipment.objects.filter(pk=old.pk).update(shipped_at=timezone.now() - timedelta(hours=30))
    # when
    response = logged_in.get(reverse("console:home"))
    # then
    card = next(c for c in response.context["cards"] if c.label == "无揽收记录")
    assert card.value == "1" and card.tone == "danger"


def test_correct_tracking_page(logged_in, make_order, shop_context, zto):
    # given
    shipment = ShipmentFactory(order=make_order(1), context=shop_context)
    # when
    response = logged_in.post(
        reverse("logistics:shipment_correct", args=[shipment.pk]),
        {"carrier": zto.pk, "tracking_no": "75000000000015"},
    )
    # then
    assert response.status_code == 302
    assert TrackingNoCorrection.objects.filter(shipment=shipment).exists()


def test_print_view_answers_a_pdf_and_logs(logged_in, make_order, shop_context):
    # given
    shipment = ShipmentFactory(order=make_order(1), context=shop_context)
    # when
    response = logged_in.post(reverse("logistics:print"), {"shipment_ids": [shipment.pk]})
    # then
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert PrintRecord.objects.filter(shop=shop_context.shop).count() == 1


def test_print_view_needs_the_permission(client, make_order, shop_context, make_member, shop):
    # given: customer service (no 打印面单)
    shipment = ShipmentFactory(order=make_order(1), context=shop_context)
    client.force_login(make_member("service", shop=shop).user)
    # when
    response = client.post(reverse("logistics:print"), {"shipment_ids": [shipment.pk]})
    # then
    assert response.status_code == 403
    assert not PrintRecord.objects.exists()


def test_another_shops_parcel_and_order_are_404(
    logged_in, make_order, other_owner, context_for, sf
):
    # given
    foreign_order = make_order(1, shop=other_owner.shop)
    foreign = ShipmentFactory(
        order=make_order(1, shop=other_owner.shop), context=context_for(other_owner)
    )
    # when / then
    assert (
        logged_in.get(reverse("logistics:shipment_correct", args=[foreign.pk])).status_code == 404
    )
    response = logged_in.post(
        reverse("logistics:order_ship", args=[foreign_order.pk]),
        {"carrier": sf.pk, "tracking_no": "SF1000000000016"},
    )
    assert response.status_code == 404
    assert (
        logged_in.post(reverse("logistics:print"), {"shipment_ids": [foreign.pk]}).status_code
        == 404
    )
