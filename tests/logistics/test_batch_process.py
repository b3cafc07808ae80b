"""批量发货 confirm and processing: good rows ship through the shipping service, bad
ones are reported, re-uploads ship nothing twice, big files go through the Celery task."""

import pytest

from logistics.batch import process as batch_process
from logistics.batch import services as batch_services
from logistics.batch.process import ship_batch_process
from logistics.batch.services import ship_batch_confirm, ship_batch_preview
from logistics.exceptions import ShipBatchRefused, ShipRequestInvalid
from logistics.models import ShipBatchRowResult, ShipBatchStatus, Shipment
from logistics.services import shipments_create
from logistics.tasks import ship_batch_process_task
from orders.aftersales import aftersale_open
from orders.factories import OrderFactory
from orders.models import AfterSaleType, OrderStatus
from shops.models import Membership

from .batch_support import csv_bytes, preview, rows_of, sf_no, two_item_order, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_carriers")]

R = ShipBatchRowResult


def test_mixed_file_ships_good_rows_and_reports_bad_ones(owner, shop_context, confirm):
    # given
    good, also_good = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    batch = preview(
        shop_context,
        [
            [good.order_no, "顺丰", sf_no(1), "", ""],
            ["6900000000000000001", "顺丰", sf_no(2), "", ""],
            [also_good.order_no, "ZTO", "731234567890", "", ""],
        ],
    )

    # when
    batch = confirm(shop_context, batch)

    # then
    rows = rows_of(batch)
    assert [rows[n].result for n in (2, 3, 4)] == [R.SHIPPED, R.INVALID, R.SHIPPED]
    assert rows[2].shipment.tracking_no == sf_no(1) and rows[2].shipment.batch_id == batch.pk
    assert rows[2].text == f"已发货：顺丰速运 {sf_no(1)}。"
    good.refresh_from_db()
    assert good.status == OrderStatus.SHIPPED
    assert (batch.status, batch.processed_rows, batch.shipped_rows, batch.failed_rows) == (
        ShipBatchStatus.DONE,
        3,
        2,
        1,
    )
    assert batch.finished_at is not None


def test_partial_shipping_by_child_order_and_quantity(owner, shop_context, confirm):
    # given
    order, (first, second) = two_item_order(owner.shop)
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), first.item_no, 1]])

    # when
    confirm(shop_context, batch)

    # then
    first.refresh_from_db(), second.refresh_from_db(), order.refresh_from_db()
    assert (first.shipped_quantity, second.shipped_quantity) == (1, 0)
    assert order.status == OrderStatus.PARTIALLY_SHIPPED


def test_rows_of_one_order_and_number_become_one_parcel(owner, shop_context, confirm):
    # given
    order, (first, second) = two_item_order(owner.shop)
    batch = preview(
        shop_context,
        [
            [order.order_no, "顺丰", sf_no(1), first.item_no, 2],
            [order.order_no, "顺丰", sf_no(1), second.item_no, 1],
        ],
    )

    # when
    confirm(shop_context, batch)

    # then
    shipment = Shipment.objects.get()
    assert sorted(shipment.lines.values_list("quantity", flat=True)) == [1, 2]
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_uploading_the_same_file_again_ships_nothing_twice(owner, shop_context, confirm):
    # given
    order = OrderFactory(shop=owner.shop)
    content = csv_bytes([[order.order_no, "顺丰", sf_no(1), "", ""]])
    confirm(shop_context, ship_batch_preview(context=shop_context, upload=upload(content)))

    # when
    again = ship_batch_preview(context=shop_context, upload=upload(content))
    row = rows_of(again)[2]
    again = confirm(shop_context, again)

    # then
    assert (row.result, row.text) == (
        R.ALREADY_SHIPPED,
        f"订单 {order.order_no} 已用快递单号 {sf_no(1)} 发过货，未重复发货。",
    )
    assert (again.skipped_rows, again.shipped_rows) == (1, 0)
    assert Shipment.objects.count() == 1


def test_already_shipped_is_recognised_per_row_in_a_different_file(owner, shop_context, confirm):
    # given: shipped in one file, then listed again among new rows
    first, second = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    confirm(shop_context, preview(shop_context, [[first.order_no, "顺丰", sf_no(1), "", ""]]))

    # when
    batch = confirm(
        shop_context,
        preview(
            shop_context,
            [
                [second.order_no, "顺丰", sf_no(2), "", ""],
                [first.order_no, "顺丰速运", sf_no(1), "", ""],
            ],
        ),
    )

    # then
    rows = rows_of(batch)
    assert (rows[2].result, rows[3].result) == (R.SHIPPED, R.ALREADY_SHIPPED)
    assert Shipment.objects.count() == 2


def test_order_changed_after_preview_fails_only_its_row(owner, shop_context, confirm):
    # given: an after-sale opened between preview and confirm
    changed, fine = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    batch = preview(
        shop_context,
        [[changed.order_no, "顺丰", sf_no(1), "", ""], [fine.order_no, "顺丰", sf_no(2), "", ""]],
    )
    aftersale_open(
        item_id=changed.items.get().pk,
        type=AfterSaleType.UNSHIPPED_REFUND_ONLY,
        quantity=1,
        refund_fen=100,
        reason="不想要了",
    )

    # when
    batch = confirm(shop_context, batch)

    # then
    rows = rows_of(batch)
    assert rows[2].result == R.FAILED and "售后单" in rows[2].text
    assert rows[3].result == R.SHIPPED
    assert (batch.shipped_rows, batch.failed_rows) == (1, 1)


def test_refused_chunk_is_retried_parcel_by_parcel(owner, shop_context, confirm, monkeypatch):
    # given: the shipping service refuses one parcel the preview could not foresee
    orders = [OrderFactory(shop=owner.shop) for _ in range(3)]
    calls = []

    def picky(*, context, requests, batch=None):
        calls.append(len(requests))
        if any(request.tracking_no == sf_no(2) for request in requests):
            raise ShipRequestInvalid("快递公司拒收了这个单号。")
        return shipments_create(context=context, requests=requests, batch=batch)

    monkeypatch.setattr(batch_process, "shipments_create", picky)
    batch = preview(
        shop_context, [[o.order_no, "顺丰", sf_no(n), "", ""] for n, o in enumerate(orders, 1)]
    )

    # when
    batch = confirm(shop_context, batch)

    # then
    rows = rows_of(batch)
    assert [rows[n].result for n in (2, 3, 4)] == [R.SHIPPED, R.FAILED, R.SHIPPED]
    assert rows[3].text == "快递公司拒收了这个单号。"
    assert calls == [3, 1, 1, 1]


def test_rows_ship_in_chunks_with_progress_counted(owner, shop_context, confirm, monkeypatch):
    # given
    monkeypatch.setattr(batch_process, "CHUNK_ROWS", 2)
    orders = [OrderFactory(shop=owner.shop) for _ in range(5)]
    batch = preview(
        shop_context, [[o.order_no, "顺丰", sf_no(n), "", ""] for n, o in enumerate(orders)]
    )

    # when
    batch = confirm(shop_context, batch)

    # then
    assert Shipment.objects.filter(batch=batch).count() == 5
    assert (batch.total_rows, batch.processed_rows, batch.shipped_rows) == (5, 5, 5)


def test_file_above_the_inline_limit_runs_as_the_celery_task(
    owner, shop_context, confirm, settings, monkeypatch
):
    # given
    settings.SHIP_BATCH_INLINE_MAX_ROWS = 2
    orders = [OrderFactory(shop=owner.shop) for _ in range(3)]
    batch = preview(
        shop_context, [[o.order_no, "顺丰", sf_no(n), "", ""] for n, o in enumerate(orders)]
    )
    queued = []
    delay = ship_batch_process_task.delay
    monkeypatch.setattr(
        ship_batch_process_task,
        "delay",
        lambda batch_id: queued.append(batch_id) or delay(batch_id),
    )

    # when
    batch = confirm(shop_context, batch)

    # then
    assert queued == [batch.pk]
    assert (batch.status, batch.shipped_rows) == (ShipBatchStatus.DONE, 3)


def test_file_within_the_inline_limit_does_not_queue_a_task(
    shop_context, order, confirm, monkeypatch
):
    # given
    queued = []
    monkeypatch.setattr(ship_batch_process_task, "delay", queued.append)
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), "", ""]])

    # when
    batch = confirm(shop_context, batch)

    # then
    assert queued == [] and batch.shipped_rows == 1


def test_progress_before_processing_counts_rows_judged_at_preview(shop_context, order, monkeypatch):
    # given
    monkeypatch.setattr(batch_services, "inline_max_rows", lambda: 0)
    monkeypatch.setattr(ship_batch_process_task, "delay", lambda batch_id: None)
    batch = preview(
        shop_context,
        [
            [order.order_no, "顺丰", sf_no(1), "", ""],
            ["6900000000000000001", "顺丰", sf_no(2), "", ""],
        ],
    )

    # when: confirmed, the worker has not started yet
    ship_batch_confirm(context=shop_context, batch_id=batch.pk)

    # then
    batch.refresh_from_db()
    assert (batch.status, batch.processed_rows, batch.failed_rows) == (ShipBatchStatus.QUEUED, 1, 1)


def test_a_batch_is_confirmed_only_once(shop_context, order, confirm):
    # given
    batch = confirm(
        shop_context, preview(shop_context, [[order.order_no, "顺丰", sf_no(1), "", ""]])
    )

    # when / then
    with pytest.raises(ShipBatchRefused, match="已经确认过"):
        ship_batch_confirm(context=shop_context, batch_id=batch.pk)


def test_another_shops_batch_cannot_be_confirmed(shop_context, other_owner, context_for):
    # given
    foreign = preview(context_for(other_owner), [["1", "顺丰", sf_no(1), "", ""]])

    # when / then
    with pytest.raises(ShipBatchRefused, match="不存在"):
        ship_batch_confirm(context=shop_context, batch_id=foreign.pk)


def test_processing_twice_ships_nothing_more(shop_context, order, confirm):
    # given
    batch = confirm(
        shop_context, preview(shop_context, [[order.order_no, "顺丰", sf_no(1), "", ""]])
    )

    # when
    again = ship_batch_process(batch_id=batch.pk)

    # then
    assert again.shipped_rows == 1 and Shipment.objects.count() == 1


def test_uploader_who_lost_the_permission_ships_nothing(owner, shop_context, order, monkeypatch):
    # given
    monkeypatch.setattr(ship_batch_process_task, "delay", lambda batch_id: None)
    monkeypatch.setattr(batch_services, "inline_max_rows", lambda: 0)
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), "", ""]])
    ship_batch_confirm(context=shop_context, batch_id=batch.pk)
    Membership.objects.filter(pk=owner.pk).update(role="service")

    # when
    batch = ship_batch_process(batch_id=batch.pk)

    # then
    assert batch.status == ShipBatchStatus.FAILED and "没有发货权限" in batch.error
    assert not Shipment.objects.exists()
