"""批量发货 preview: every row of a file is judged (why it may not ship, in words),
nothing ships, and a file that cannot be read writes nothing."""

import pytest

from core.exceptions import PermissionRefused
from logistics.batch.services import ship_batch_preview
from logistics.exceptions import ShipBatchFileRejected
from logistics.models import ShipBatch, ShipBatchRowResult, ShipBatchStatus, Shipment
from orders.aftersales import aftersale_open
from orders.factories import OrderFactory
from orders.models import AfterSaleType, OrderStatus

from .batch_support import csv_bytes, preview, rows_of, sf_no, two_item_order, upload, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_carriers")]

R = ShipBatchRowResult


def test_preview_marks_a_good_row_ready_and_ships_nothing(shop_context, order):
    # when
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), "", ""]])

    # then
    row = rows_of(batch)[2]
    assert (row.result, row.text) == (R.READY, f"可发货：顺丰速运 {sf_no(1)}，1 件。")
    assert batch.status == ShipBatchStatus.PREVIEWED and batch.total_rows == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT and not Shipment.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_preview_reads_every_text_encoding(shop_context, order, encoding):
    # when
    batch = preview(
        shop_context, [[order.order_no, "中通快递", "731234567890", "", ""]], encoding=encoding
    )

    # then
    assert rows_of(batch)[2].result == R.READY


def test_preview_reads_xlsx_and_accepts_carrier_code(shop_context, order):
    # given
    content = xlsx_bytes(
        [[order.order_no, "shunfeng", sf_no(1)]], header=["订单号", "快递公司", "快递单号"]
    )

    # when
    batch = ship_batch_preview(context=shop_context, upload=upload(content, "发货.xlsx"))

    # then
    assert rows_of(batch)[2].result == R.READY


def test_preview_cleans_excel_tab_and_formula_wrapping(shop_context, order):
    # given
    content = csv_bytes([[f"\t{order.order_no}", "  顺丰 ", f'"=""{sf_no(1).lower()}"""', "", ""]])

    # when
    batch = ship_batch_preview(context=shop_context, upload=upload(content))

    # then
    row = rows_of(batch)[2]
    assert (row.order_no, row.result) == (order.order_no, R.READY)


def test_unknown_order_number_is_not_found(shop_context):
    # when
    batch = preview(shop_context, [["6900000000000000001", "顺丰", sf_no(1), "", ""]])

    # then
    assert rows_of(batch)[2].text == (
        "订单号 6900000000000000001 不存在，请核对是否为本店订单的主订单编号。"
    )


def test_another_shops_order_reads_as_not_found(shop_context, other_owner):
    # given
    foreign = OrderFactory(shop=other_owner.shop)

    # when
    batch = preview(shop_context, [[foreign.order_no, "顺丰", sf_no(1), "", ""]])

    # then
    row = rows_of(batch)[2]
    assert row.result == R.INVALID
    assert row.text == f"订单号 {foreign.order_no} 不存在，请核对是否为本店订单的主订单编号。"


def test_child_order_number_in_the_order_column_is_explained(shop_context, order):
    # given
    item_no = order.items.get().item_no

    # when
    batch = preview(shop_context, [[item_no, "顺丰", sf_no(1), "", ""]])

    # then
    assert rows_of(batch)[2].text.startswith(f"{item_no} 是子订单编号")


def test_order_not_waiting_for_shipment_names_its_status(owner, shop_context):
    # given
    cancelled = OrderFactory(shop=owner.shop, status=OrderStatus.CANCELLED)

    # when
    batch = preview(shop_context, [[cancelled.order_no, "顺丰", sf_no(1), "", ""]])

    # then
    assert rows_of(batch)[2].text == f"订单 {cancelled.order_no} 当前为“已取消”，不能发货。"


def test_unknown_carrier_lists_accepted_names(shop_context, order):
    # when
    batch = preview(shop_context, [[order.order_no, "闪电快递", sf_no(1), "", ""]])

    # then
    row = rows_of(batch)[2]
    assert row.result == R.INVALID
    assert row.text.startswith(
        "快递公司“闪电快递”无法识别，可填写名称、简称或编码，例如：顺丰速运、中通快递"
    )


def test_tracking_number_not_matching_the_carrier_is_invalid(shop_context, order):
    # when
    batch = preview(shop_context, [[order.order_no, "顺丰", "12345", "", ""]])

    # then
    assert "不符合顺丰速运的单号格式" in rows_of(batch)[2].text


def test_missing_cells_are_named(shop_context, order):
    # when
    batch = preview(shop_context, [[order.order_no, "", "", "", ""]])

    # then
    assert rows_of(batch)[2].text == "缺少快递公司、快递单号。"


def test_number_mangled_by_excel_is_reported(shop_context):
    # when
    batch = preview(shop_context, [["6.9E+18", "顺丰", sf_no(1), "", ""]])

    # then
    assert "科学计数法" in rows_of(batch)[2].text


def test_duplicate_row_in_the_file_is_reported(shop_context, order):
    # when
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), "", ""]] * 2)

    # then
    rows = rows_of(batch)
    assert rows[2].result == R.READY
    assert (rows[3].result, rows[3].text) == (
        R.INVALID,
        "与第 2 行重复（同一订单、子订单和快递单号），只按第 2 行处理。",
    )


def test_second_whole_order_row_with_another_number_has_nothing_left(shop_context, order):
    # when
    batch = preview(
        shop_context,
        [[order.order_no, "顺丰", sf_no(1), "", ""], [order.order_no, "顺丰", sf_no(2), "", ""]],
    )

    # then
    assert rows_of(batch)[3].text == (
        f"订单 {order.order_no} 的商品已由第 2 行安排发货，这一行没有可发的数量。"
    )


def test_item_not_in_the_order_is_invalid(owner, shop_context, order):
    # given
    other = OrderFactory(shop=owner.shop)
    item_no = other.items.get().item_no

    # when
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), item_no, 1]])

    # then
    assert rows_of(batch)[2].text == f"子订单编号 {item_no} 不属于订单 {order.order_no}。"


def test_quantity_beyond_what_is_owed_is_invalid(owner, shop_context):
    # given
    order, (first, _second) = two_item_order(owner.shop)

    # when
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), first.item_no, 3]])

    # then
    assert rows_of(batch)[2].text == f"子订单 {first.item_no} 待发货 2 件，不能发 3 件。"


def test_quantities_of_earlier_rows_count_against_later_ones(owner, shop_context):
    # given
    order, (first, _second) = two_item_order(owner.shop)

    # when
    batch = preview(
        shop_context,
        [
            [order.order_no, "顺丰", sf_no(1), first.item_no, 2],
            [order.order_no, "顺丰", sf_no(2), first.item_no, 1],
        ],
    )

    # then
    assert rows_of(batch)[3].text == (
        f"子订单 {first.item_no} 待发货 0 件，不能发 1 件。（第 2 行已安排发货 2 件）"
    )


def test_quantity_without_item_number_is_invalid(shop_context, order):
    # when
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), "", 1]])

    # then
    assert rows_of(batch)[2].text == "填写了发货数量时，请同时填写子订单编号。"


def test_item_with_an_open_aftersale_is_refused_naming_it(owner, shop_context):
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
    batch = preview(shop_context, [[order.order_no, "顺丰", sf_no(1), "", ""]])

    # then
    assert rows_of(batch)[2].text == (
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
def test_malformed_file_writes_nothing(shop_context, content):
    # when / then
    with pytest.raises(ShipBatchFileRejected):
        ship_batch_preview(context=shop_context, upload=upload(content))
    assert not ShipBatch.objects.exists()


def test_preview_needs_the_ship_permission(make_member, context_for):
    # given
    service = make_member("service")

    # when / then
    with pytest.raises(PermissionRefused):
        preview(context_for(service), [["1", "顺丰", sf_no(1), "", ""]])
