from datetime import timedelta

import pytest
from django.utils import timezone

from logistics.factories import ShipmentFactory
from logistics.models import Shipment
from orders.factories import RECEIVER
from orders.models import OrderStatus

pytestmark = pytest.mark.django_db

SHIPMENTS = "/api/v1/logistics/shipments/"


def test_create_with_lines(shop_api, owner, make_order):
    # given
    order = make_order(2)
    item = order.items.get()
    # when
    response = shop_api(owner).post(
        SHIPMENTS,
        {
            "carrier": "shunfeng",
            "tracking_no": "SF1000000000021",
            "lines": [{"item_id": item.pk, "quantity": 1}],
        },
        format="json",
    )
    # then
    assert response.status_code == 201
    (shipment,) = response.json()["shipments"]
    assert shipment["tracking_no"] == "SF1000000000021"
    assert shipment["lines"] == [
        {
            "order_id": order.pk,
            "order_no": order.order_no,
            "item_id": item.pk,
            "item_no": item.item_no,
            "quantity": 1,
        }
    ]
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_SHIPPED


def test_create_by_order_ships_everything_owed(shop_api, owner, make_order):
    # given
    order = make_order(1, 2)
    # when
    response = shop_api(owner).post(
        SHIPMENTS, {"carrier": "zto", "tracking_no": "x"}, format="json"
    )
    # then: unknown carrier code is a field error
    assert response.status_code == 400
    assert "carrier" in response.json()["fields"]
    # when
    response = shop_api(owner).post(
        SHIPMENTS,
        {"carrier": "zhongtong", "tracking_no": "75000000000021", "order_id": order.pk},
        format="json",
    )
    # then
    assert response.status_code == 201
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_create_refusal_is_a_readable_400(shop_api, owner, make_order):
    # given
    order = make_order(1)
    # when
    response = shop_api(owner).post(
        SHIPMENTS,
        {"carrier": "shunfeng", "tracking_no": "123", "order_id": order.pk},
        format="json",
    )
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "ship_invalid" and "顺丰速运" in body["message"]
    assert not Shipment.objects.exists()


def test_duplicate_number_answers_with_a_warning(shop_api, owner, make_order):
    # given
    shop_api(owner).post(
        SHIPMENTS,
        {"carrier": "shunfeng", "tracking_no": "SF1000000000022", "order_id": make_order(1).pk},
        format="json",
    )
    other = make_order(1, receiver={**RECEIVER, "name": "赵六"})
    # when
    response = shop_api(owner).post(
        SHIPMENTS,
        {"carrier": "shunfeng", "tracking_no": "SF1000000000022", "order_id": other.pk},
        format="json",
    )
    # then
    assert response.status_code == 201
    assert len(response.json()["warnings"]) == 1


def test_list_and_search(shop_api, owner, make_order, shop_context):
    # given
    wanted = ShipmentFactory(order=make_order(1), context=shop_context)
    ShipmentFactory(order=make_order(1), context=shop_context)
    # when
    everything = shop_api(owner).get(SHIPMENTS).json()
    found = shop_api(owner).get(SHIPMENTS, {"q": wanted.tracking_no}).json()
    # then
    assert everything["count"] == 2
    assert [s["id"] for s in found["results"]] == [wanted.pk]


def test_correct(shop_api, owner, make_order, shop_context):
    # given
    shipment = ShipmentFactory(order=make_order(1), context=shop_context)
    # when
    response = shop_api(owner).post(
        f"{SHIPMENTS}{shipment.pk}/correct/",
        {"carrier": "yuantong", "tracking_no": "YT1000000000023"},
        format="json",
    )
    # then
    assert response.status_code == 200
    assert (response.json()["carrier"], response.json()["tracking_no"]) == (
        "yuantong",
        "YT1000000000023",
    )


def test_correct_after_24_hours_is_refused(shop_api, owner, make_order, shop_context):
    # given
    shipment = ShipmentFactory(order=make_order(1), context=shop_context)
    Shipment.objects.filter(pk=shipment.pk).update(shipped_at=timezone.now() - timedelta(days=2))
    # when
    response = shop_api(owner).post(
        f"{SHIPMENTS}{shipment.pk}/correct/",
        {"carrier": "shunfeng", "tracking_no": "SF1000000000024"},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "correction_refused"


def test_role_without_ship_permission_is_403(shop_api, make_member, shop, make_order):
    # given
    service = make_member("service", shop=shop)
    # when
    response = shop_api(service).post(
        SHIPMENTS,
        {"carrier": "shunfeng", "tracking_no": "SF1000000000025", "order_id": make_order(1).pk},
        format="json",
    )
    # then
    assert response.status_code == 403


def test_another_shops_parcel_and_order_are_404(
    shop_api, owner, other_owner, make_order, context_for
):
    # given
    foreign = ShipmentFactory(
        order=make_order(1, shop=other_owner.shop), context=context_for(other_owner)
    )
    foreign_order = make_order(1, shop=other_owner.shop)
    client = shop_api(owner)
    # when / then
    assert client.get(f"{SHIPMENTS}{foreign.pk}/").status_code == 404
    assert (
        client.post(
            f"{SHIPMENTS}{foreign.pk}/correct/",
            {"carrier": "shunfeng", "tracking_no": "SF1000000000026"},
            format="json",
        ).status_code
        == 404
    )
    response = client.post(
        SHIPMENTS,
        {"carrier": "shunfeng", "tracking_no": "SF1000000000027", "order_id": foreign_order.pk},
        format="json",
    )
    assert response.status_code == 404
    assert client.get(SHIPMENTS).json()["count"] == 0


def test_carriers_list(shop_api, owner):
    # when
    response = shop_api(owner).get("/api/v1/logistics/carriers/")
    # then
    codes = [c["code"] for c in response.json()]
    assert {
        "shunfeng",
        "zhongtong",
        "yuantong",
        "shentong",
        "yunda",
        "jtexpress",
        "ems",
        "jd",
    } <= set(codes)
