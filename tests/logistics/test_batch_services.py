"""批量发货 services: preview judges every row, confirm ships the good rows through the
shipping service, re-uploads ship nothing twice, big files go through the Celery task."""

import pytest

from core.exceptions import PermissionRefused
from logistics import batch as batch_module
from logistics.batch import ship_batch_confirm, ship_batch_preview, ship_batch_process
from logistics.exceptions import ShipBatchFileRejected, ShipBatchRefused, ShipRequestInvalid
from logistics.factories import carrier
from logistics.models import ShipBatch, ShipBatchRowResult, ShipBatchStatus, Shipment
from logistics.services import shipments_create
from logistics.tasks import ship_batch_process_task
from orders.aftersales import aftersale_open
from orders.factories import OrderFactory
from orders.models import AfterSaleType, OrderStatus
from shops.models import Membership

from .batch_support import csv_bytes, sf_no, two_item_order, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _carriers():
    carrier("shunfeng")  # seeded again if a transactional test flushed them


R = ShipBatchRowResult


@pytest.fixture
def context(owner, context_for):
    return context_for(owner)


@pytest.fixture
def order(owner):
    return OrderFactory(shop=owner.shop)


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Confirm and run what confirming starts once it commits (inline or the task)."""

    def run(context, batch):
        with django_capture_on_commit_callbacks(execute=True):
            ship_batch_confirm(context=context, batch_id=batch.pk)
        return ShipBatch.objects.get(pk=batch.pk)

    return run


def _rows(batch):
    return {row.row_number: row for row in batch.rows.all()}


def _preview(context, rows, **kwargs):
    return ship_batch_preview(context=context, upload=upload(csv_bytes(rows, **kwargs)))


# --- preview -----------------------------------------------------------------------------


def test_preview_marks_a_good_row_ready_and_ships_nothing(context, order):
    # when
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), "", ""]])

    # then
    row = _rows(batch)[2]
    assert (row.result, row.message) == (R.READY, f"可发货：顺丰速运 {sf_no(1)}，1 件。")
    assert batch.status == ShipBatchStatus.PREVIEWED and batch.total_rows == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT and not Shipment.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_preview_reads_every_text_encoding(context, order, encoding):
    # when
    batch = _preview(
        context, [[order.order_no, "中通快递", "731234567890", "", ""]], encoding=encoding
    )

    # then
    assert _rows(batch)[2].result == R.READY


def test_preview_reads_xlsx_and_accepts_carrier_code(context, order):
    # given
    content = xlsx_bytes(
        [[order.order_no, "shunfeng", sf_no(1)]], header=["订单号", "快递公司", "快递单号"]
    )

    # when
    batch = ship_batch_preview(context=context, upload=upload(content, "发货.xlsx"))

    # then
    assert _rows(batch)[2].result == R.READY


def test_preview_cleans_excel_tab_and_formula_wrapping(context, order):
    # given
    content = csv_bytes([[f"\t{order.order_no}", "  顺丰 ", f'"=""{sf_no(1).lower()}"""', "", ""]])

    # when
    batch = ship_batch_preview(context=context, upload=upload(content))

    # then
    row = _rows(batch)[2]
    assert (row.order_no, row.result) == (order.order_no, R.READY)


def test_unknown_order_number_is_not_found(context):
    # when
    batch = _preview(context, [["6900000000000000001", "顺丰", sf_no(1), "", ""]])

    # then
    assert _rows(batch)[2].message == (
        "订单号 6900000000000000001 不存在，请核对是否为本店订单的主订单编号。"
    )


def test_another_shops_order_reads_as_not_found(context, other_owner):
    # given
    foreign = OrderFactory(shop=other_owner.shop)

    # when
    batch = _preview(context, [[foreign.order_no, "顺丰", sf_no(1), "", ""]])

    # then
    row = _rows(batch)[2]
    assert row.result == R.INVALID
    assert row.message == f"订单号 {foreign.order_no} 不存在，请核对是否为本店订单的主订单编号。"


def test_child_order_number_in_the_order_column_is_explained(context, order):
    # given
    item_no = order.items.get().item_no

    # when
    batch = _preview(context, [[item_no, "顺丰", sf_no(1), "", ""]])

    # then
    assert _rows(batch)[2].message.startswith(f"{item_no} 是子订单编号")


def test_order_not_waiting_for_shipment_names_its_status(owner, context):
    # given
    cancelled = OrderFactory(shop=owner.shop, status=OrderStatus.CANCELLED)

    # when
    batch = _preview(context, [[cancelled.order_no, "顺丰", sf_no(1), "", ""]])

    # then
    assert _rows(batch)[2].message == f"订单 {cancelled.order_no} 当前为“已取消”，不能发货。"


def test_unknown_carrier_lists_accepted_names(context, order):
    # when
    batch = _preview(context, [[order.order_no, "闪电快递", sf_no(1), "", ""]])

    # then
    row = _rows(batch)[2]
    assert row.result == R.INVALID
    assert row.message.startswith(
        "快递公司“闪电快递”无法识别，可填写名称、简称或编码，例如：顺丰速运、中通快递"
    )


def test_tracking_number_not_matching_the_carrier_is_invalid(context, order):
    # when
    batch = _preview(context, [[order.order_no, "顺丰", "12345", "", ""]])

    # then
    assert "不符合顺丰速运的单号格式" in _rows(batch)[2].message


def test_missing_cells_are_named(context, order):
    # when
    batch = _preview(context, [[order.order_no, "", "", "", ""]])

    # then
    assert _rows(batch)[2].message == "缺少快递公司、快递单号。"


def test_number_mangled_by_excel_is_reported(context):
    # when
    batch = _preview(context, [["6.9E+18", "顺丰", sf_no(1), "", ""]])

    # then
    assert "科学计数法" in _rows(batch)[2].message


def test_duplicate_row_in_the_file_is_reported(context, order):
    # when
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), "", ""]] * 2)

    # then
    rows = _rows(batch)
    assert rows[2].result == R.READY
    assert (rows[3].result, rows[3].message) == (
        R.INVALID,
        "与第 2 行重复（同一订单、子订单和快递单号），只按第 2 行处理。",
    )


def test_second_whole_order_row_with_another_number_has_nothing_left(context, order):
    # when
    batch = _preview(
        context,
        [[order.order_no, "顺丰", sf_no(1), "", ""], [order.order_no, "顺丰", sf_no(2), "", ""]],
    )

    # then
    assert _rows(batch)[3].message == (
        f"订单 {order.order_no} 的商品已由第 2 行安排发货，这一行没有可发的数量。"
    )


def test_item_not_in_the_order_is_invalid(owner, context, order):
    # given
    other = OrderFactory(shop=owner.shop)
    item_no = other.items.get().item_no

    # when
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), item_no, 1]])

    # then
    assert _rows(batch)[2].message == f"子订单编号 {item_no} 不属于订单 {order.order_no}。"


def test_quantity_beyond_what_is_owed_is_invalid(owner, context):
    # given
    order, (first, _second) = two_item_order(owner.shop)

    # when
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), first.item_no, 3]])

    # then
    assert _rows(batch)[2].message == f"子订单 {first.item_no} 待发货 2 件，不能发 3 件。"


def test_quantities_of_earlier_rows_count_against_later_ones(owner, context):
    # given
    order, (first, _second) = two_item_order(owner.shop)

    # when
    batch = _preview(
        context,
        [
            [order.order_no, "顺丰", sf_no(1), first.item_no, 2],
            [order.order_no, "顺丰", sf_no(2), first.item_no, 1],
        ],
    )

    # then
    assert _rows(batch)[3].message == (
        f"子订单 {first.item_no} 待发货 0 件，不能发 1 件。（第 2 行已安排发货 2 件）"
    )


def test_quantity_without_item_number_is_invalid(context, order):
    # when
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), "", 1]])

    # then
    assert _rows(batch)[2].message == "填写了发货数量时，请同时填写子订单编号。"


def test_item_with_an_open_aftersale_is_refused_naming_it(owner, context):
    # given
    order, (first, _second) = two_item_order(owner.shop)
    aftersale = aftersale_open(
        item_id=first.pk,
        type=AfterSaleType.UNSHIPPED_REFUND_ONLY,
        quantity=1,
        refund_fen=100,
        reason="拍错了",
    )

    # when
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), "", ""]])

    # then
    assert _rows(batch)[2].message == (
        f"子订单 {first.item_no} 有进行中的售后单 {aftersale.aftersale_no}"
        "（未发货仅退款，待商家同意），处理完成前不能发货。其他商品可填写子订单编号分别发货。"
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(
            csv_bytes([["1", "顺丰"]], header=["订单号", "快递公司"]), id="missing-column"
        ),
        pytest.param(b"%PDF-1.4 renamed.csv", id="pdf"),
    ],
)
def test_malformed_file_writes_nothing(context, content):
    # when / then
    with pytest.raises(ShipBatchFileRejected):
        ship_batch_preview(context=context, upload=upload(content))
    assert not ShipBatch.objects.exists()


def test_preview_needs_the_ship_permission(make_member, context_for):
    # given
    service = make_member("service")

    # when / then
    with pytest.raises(PermissionRefused):
        _preview(context_for(service), [["1", "顺丰", sf_no(1), "", ""]])


# --- confirm and process -----------------------------------------------------------------


def test_mixed_file_ships_good_rows_and_reports_bad_ones(owner, context, confirm):
    # given
    good, also_good = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    batch = _preview(
        context,
        [
            [good.order_no, "顺丰", sf_no(1), "", ""],
            ["6900000000000000001", "顺丰", sf_no(2), "", ""],
            [also_good.order_no, "ZTO", "731234567890", "", ""],
        ],
    )

    # when
    batch = confirm(context, batch)

    # then
    rows = _rows(batch)
    assert [rows[n].result for n in (2, 3, 4)] == [R.SHIPPED, R.INVALID, R.SHIPPED]
    assert rows[2].shipment.tracking_no == sf_no(1) and rows[2].shipment.batch_id == batch.pk
    assert rows[2].message == f"已发货：顺丰速运 {sf_no(1)}。"
    good.refresh_from_db()
    assert good.status == OrderStatus.SHIPPED
    assert (batch.status, batch.processed_rows, batch.shipped_rows, batch.failed_rows) == (
        ShipBatchStatus.DONE,
        3,
        2,
        1,
    )
    assert batch.finished_at is not None


def test_partial_shipping_by_child_order_and_quantity(owner, context, confirm):
    # given
    order, (first, second) = two_item_order(owner.shop)
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), first.item_no, 1]])

    # when
    confirm(context, batch)

    # then
    first.refresh_from_db(), second.refresh_from_db(), order.refresh_from_db()
    assert (first.shipped_quantity, second.shipped_quantity) == (1, 0)
    assert order.status == OrderStatus.PARTIALLY_SHIPPED


def test_rows_of_one_order_and_number_become_one_parcel(owner, context, confirm):
    # given
    order, (first, second) = two_item_order(owner.shop)
    batch = _preview(
        context,
        [
            [order.order_no, "顺丰", sf_no(1), first.item_no, 2],
            [order.order_no, "顺丰", sf_no(1), second.item_no, 1],
        ],
    )

    # when
    confirm(context, batch)

    # then
    shipment = Shipment.objects.get()
    assert sorted(shipment.lines.values_list("quantity", flat=True)) == [1, 2]
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_uploading_the_same_file_again_ships_nothing_twice(owner, context, confirm):
    # given
    order = OrderFactory(shop=owner.shop)
    content = csv_bytes([[order.order_no, "顺丰", sf_no(1), "", ""]])
    confirm(context, ship_batch_preview(context=context, upload=upload(content)))

    # when
    again = ship_batch_preview(context=context, upload=upload(content))
    row = _rows(again)[2]
    again = confirm(context, again)

    # then
    assert (row.result, row.message) == (
        R.ALREADY_SHIPPED,
        f"订单 {order.order_no} 已用快递单号 {sf_no(1)} 发过货，未重复发货。",
    )
    assert (again.skipped_rows, again.shipped_rows) == (1, 0)
    assert Shipment.objects.count() == 1


def test_already_shipped_is_recognised_per_row_in_a_different_file(owner, context, confirm):
    # given: shipped in one file, then listed again among new rows
    first, second = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    confirm(context, _preview(context, [[first.order_no, "顺丰", sf_no(1), "", ""]]))

    # when
    batch = confirm(
        context,
        _preview(
            context,
            [
                [second.order_no, "顺丰", sf_no(2), "", ""],
                [first.order_no, "顺丰速运", sf_no(1), "", ""],
            ],
        ),
    )

    # then
    rows = _rows(batch)
    assert (rows[2].result, rows[3].result) == (R.SHIPPED, R.ALREADY_SHIPPED)
    assert Shipment.objects.count() == 2


def test_order_changed_after_preview_fails_only_its_row(owner, context, confirm):
    # given: an after-sale opened between preview and confirm
    changed, fine = OrderFactory(shop=owner.shop), OrderFactory(shop=owner.shop)
    batch = _preview(
        context,
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
    batch = confirm(context, batch)

    # then
    rows = _rows(batch)
    assert rows[2].result == R.FAILED and "售后单" in rows[2].message
    assert rows[3].result == R.SHIPPED
    assert (batch.shipped_rows, batch.failed_rows) == (1, 1)


def test_refused_chunk_is_retried_parcel_by_parcel(owner, context, confirm, monkeypatch):
    # given: the shipping service refuses one parcel the preview could not foresee
    orders = [OrderFactory(shop=owner.shop) for _ in range(3)]
    calls = []

    def picky(*, context, requests, batch=None):
        calls.append(len(requests))
        if any(request.tracking_no == sf_no(2) for request in requests):
            raise ShipRequestInvalid("快递公司拒收了这个单号。")
        return shipments_create(context=context, requests=requests, batch=batch)

    monkeypatch.setattr(batch_module, "shipments_create", picky)
    batch = _preview(
        context, [[o.order_no, "顺丰", sf_no(n), "", ""] for n, o in enumerate(orders, 1)]
    )

    # when
    batch = confirm(context, batch)

    # then
    rows = _rows(batch)
    assert [rows[n].result for n in (2, 3, 4)] == [R.SHIPPED, R.FAILED, R.SHIPPED]
    assert rows[3].message == "快递公司拒收了这个单号。"
    assert calls == [3, 1, 1, 1]


def test_rows_ship_in_chunks_with_progress_counted(owner, context, confirm, monkeypatch):
    # given
    monkeypatch.setattr(batch_module, "CHUNK_ROWS", 2)
    orders = [OrderFactory(shop=owner.shop) for _ in range(5)]
    batch = _preview(
        context, [[o.order_no, "顺丰", sf_no(n), "", ""] for n, o in enumerate(orders)]
    )

    # when
    batch = confirm(context, batch)

    # then
    assert Shipment.objects.filter(batch=batch).count() == 5
    assert (batch.total_rows, batch.processed_rows, batch.shipped_rows) == (5, 5, 5)


def test_file_above_the_inline_limit_runs_as_the_celery_task(
    owner, context, confirm, settings, monkeypatch
):
    # given
    settings.SHIP_BATCH_INLINE_MAX_ROWS = 2
    orders = [OrderFactory(shop=owner.shop) for _ in range(3)]
    batch = _preview(
        context, [[o.order_no, "顺丰", sf_no(n), "", ""] for n, o in enumerate(orders)]
    )
    queued = []
    delay = ship_batch_process_task.delay
    monkeypatch.setattr(
        ship_batch_process_task,
        "delay",
        lambda batch_id: queued.append(batch_id) or delay(batch_id),
    )

    # when
    batch = confirm(context, batch)

    # then
    assert queued == [batch.pk]
    assert (batch.status, batch.shipped_rows) == (ShipBatchStatus.DONE, 3)


def test_file_within_the_inline_limit_does_not_queue_a_task(context, order, confirm, monkeypatch):
    # given
    queued = []
    monkeypatch.setattr(ship_batch_process_task, "delay", queued.append)
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), "", ""]])

    # when
    batch = confirm(context, batch)

    # then
    assert queued == [] and batch.shipped_rows == 1


def test_progress_before_processing_counts_rows_judged_at_preview(context, order, monkeypatch):
    # given
    monkeypatch.setattr(batch_module, "inline_max_rows", lambda: 0)
    monkeypatch.setattr(ship_batch_process_task, "delay", lambda batch_id: None)
    batch = _preview(
        context,
        [
            [order.order_no, "顺丰", sf_no(1), "", ""],
            ["6900000000000000001", "顺丰", sf_no(2), "", ""],
        ],
    )

    # when: confirmed, the worker has not started yet
    ship_batch_confirm(context=context, batch_id=batch.pk)

    # then
    batch.refresh_from_db()
    assert (batch.status, batch.processed_rows, batch.failed_rows) == (ShipBatchStatus.QUEUED, 1, 1)


def test_a_batch_is_confirmed_only_once(context, order, confirm):
    # given
    batch = confirm(context, _preview(context, [[order.order_no, "顺丰", sf_no(1), "", ""]]))

    # when / then
    with pytest.raises(ShipBatchRefused, match="已经确认过"):
        ship_batch_confirm(context=context, batch_id=batch.pk)


def test_another_shops_batch_cannot_be_confirmed(context, other_owner, context_for):
    # given
    foreign = _preview(context_for(other_owner), [["1", "顺丰", sf_no(1), "", ""]])

    # when / then
    with pytest.raises(ShipBatchRefused, match="不存在"):
        ship_batch_confirm(context=context, batch_id=foreign.pk)


def test_processing_twice_ships_nothing_more(context, order, confirm):
    # given
    batch = confirm(context, _preview(context, [[order.order_no, "顺丰", sf_no(1), "", ""]]))

    # when
    again = ship_batch_process(batch_id=batch.pk)

    # then
    assert again.shipped_rows == 1 and Shipment.objects.count() == 1


def test_uploader_who_lost_the_permission_ships_nothing(owner, context, order, monkeypatch):
    # given
    monkeypatch.setattr(ship_batch_process_task, "delay", lambda batch_id: None)
    monkeypatch.setattr(batch_module, "inline_max_rows", lambda: 0)
    batch = _preview(context, [[order.order_no, "顺丰", sf_no(1), "", ""]])
    ship_batch_confirm(context=context, batch_id=batch.pk)
    Membership.objects.filter(pk=owner.pk).update(role="service")

    # when
    batch = ship_batch_process(batch_id=batch.pk)

    # then
    assert batch.status == ShipBatchStatus.FAILED and "没有发货权限" in batch.error
    assert not Shipment.objects.exists()
