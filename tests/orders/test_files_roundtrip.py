"""Order files: export → import → export, idempotence, isolation, atomicity."""

import json

import pytest
from django.core.management import CommandError, call_command

from orders.factories import OrderFactory
from orders.files import export
from orders.files.imports import import_orders
from orders.models import Order, OrderEvent, OrderEventKind, OrderItem, OrderStatus
from products.models import StockMove

pytestmark = pytest.mark.django_db


def _export(context, *, fmt="csv", by="item", masked=False, params=None):
    orders = export.filtered_orders(context=context, params=params or {})
    content, _rows = export.render(orders, export.columns_of(()), by=by, fmt=fmt, masked=masked)
    return content


@pytest.fixture
def filled_shop(shop):
    for status in (
        OrderStatus.UNPAID,
        OrderStatus.AWAITING_SHIPMENT,
        OrderStatus.SHIPPED,
        OrderStatus.COMPLETED,
        OrderStatus.CANCELLED,
    ):
        OrderFactory(shop=shop, status=status, buyer_words="=HYPERLINK(1)")
    return shop


def test_export_then_import_into_an_empty_shop_then_export_is_identical(
    filled_shop, shop_context, other_owner, context_for
):
    # given
    first = _export(shop_context)
    other = context_for(other_owner)
    # when
    report = import_orders(shop_id=other.shop.pk, source=first, file_name="a.csv", dry_run=False)
    # then
    assert report.errors == 0, report.error_list
    assert report.new == 5
    assert _export(other) == first


def test_reimporting_the_same_file_changes_nothing(
    filled_shop, shop_context, other_owner, context_for
):
    # given
    content = _export(shop_context)
    shop_id = context_for(other_owner).shop.pk
    import_orders(shop_id=shop_id, source=content, file_name="a.csv", dry_run=False)
    events = OrderEvent.objects.count()
    # when
    report = import_orders(shop_id=shop_id, source=content, file_name="a.csv", dry_run=False)
    # then
    assert (report.new, report.updated, report.unchanged) == (0, 0, 5)
    assert OrderEvent.objects.count() == events


def test_a_changed_status_moves_through_the_status_service_as_a_sync_event(
    filled_shop, shop_context, other_owner, context_for
):
    # given
    content = _export(shop_context).decode("utf-8-sig")
    shop_id = context_for(other_owner).shop.pk
    import_orders(shop_id=shop_id, source=content.encode(), file_name="a.csv", dry_run=False)
    changed = content.replace("备货中", "已发货")
    # when
    report = import_orders(
        shop_id=shop_id, source=changed.encode("gbk"), file_name="b.csv", dry_run=False
    )
    # then
    assert report.updated == 1
    event = OrderEvent.objects.get(
        order__shop_id=shop_id, kind=OrderEventKind.SYNC, from_status=OrderStatus.AWAITING_SHIPMENT
    )
    assert event.to_status == OrderStatus.SHIPPED and "b.csv" in event.note
    assert event.order.status == OrderStatus.SHIPPED


def test_another_shops_order_number_is_a_new_order_here(
    filled_shop, shop_context, other_owner, context_for
):
    # given
    content = _export(shop_context)
    theirs = {o.pk: o.status for o in Order.objects.filter(shop=filled_shop)}
    # when
    import_orders(
        shop_id=context_for(other_owner).shop.pk, source=content, file_name="a.csv", dry_run=False
    )
    # then
    assert {o.pk: o.status for o in Order.objects.filter(shop=filled_shop)} == theirs
    assert Order.objects.filter(shop=context_for(other_owner).shop).count() == 5


def test_an_error_on_the_last_row_leaves_the_database_untouched(
    filled_shop, shop_context, other_owner, context_for
):
    # given
    content = _export(shop_context).decode("utf-8-sig").rstrip("\r\n").split("\n")
    content[-1] = content[-1].replace("\t", "\tx", 1)  # a 主订单编号 that is not a number
    shop_id = context_for(other_owner).shop.pk
    moves = StockMove.objects.count()
    # when
    report = import_orders(
        shop_id=shop_id, source="\n".join(content).encode(), file_name="a.csv", dry_run=False
    )
    # then
    assert report.errors == 1
    assert report.error_list[0].row == 6 and "主订单编号" in report.error_list[0].column
    assert not OrderItem.objects.filter(shop_id=shop_id).exists()
    assert StockMove.objects.count() == moves


def test_receivers_are_masked_unless_asked_and_formulas_are_neutralised(filled_shop, shop_context):
    # when
    text = _export(shop_context, masked=True).decode("utf-8-sig")
    # then
    assert "138****" in text and "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text


def test_by_order_gives_one_row_per_order(filled_shop, shop_context):
    text = _export(shop_context, by="order").decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1 + 5


def test_xlsx_round_trips_too(filled_shop, shop_context, other_owner, context_for):
    # given
    content = _export(shop_context, fmt="xlsx")
    other = context_for(other_owner)
    # when
    report = import_orders(shop_id=other.shop.pk, source=content, file_name="a.xlsx", dry_run=False)
    # then
    assert report.errors == 0, report.error_list
    assert _export(other) == _export(shop_context)


def test_import_orders_command_prints_the_counts_as_its_last_line(
    filled_shop, shop_context, other_owner, tmp_path, capsys
):
    # given
    path = tmp_path / "orders.csv"
    path.write_bytes(_export(shop_context))
    # when
    call_command("import_orders", str(path), "--shop", other_owner.shop.slug)
    # then
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["rows"] == 5 and last["new"] == 5 and last["errors"] == 0
    assert set(last) == {
        "rows",
        "orders",
        "items",
        "new",
        "updated",
        "unchanged",
        "errors",
        "warnings",
        "paid_fen",
    }


def test_import_orders_command_exits_non_zero_on_errors(shop, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "主订单编号,子订单编号,选购商品,商品数量,订单应付金额,订单提交时间,订单状态\n1,2,T,x,1,2026-11-01 12:00:00,已完成\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        call_command("import_orders", str(path), "--shop", shop.slug)
    assert not Order.objects.filter(shop=shop).exists()


def test_export_orders_command_writes_the_file(filled_shop, tmp_path):
    path = tmp_path / "out.csv"
    call_command("export_orders", "--shop", filled_shop.slug, "--status", "5", "-o", str(path))
    assert len(path.read_bytes().decode("utf-8-sig").strip().splitlines()) == 2


def test_on_another_database_the_commands_say_they_need_postgresql(
    filled_shop, tmp_path, not_postgresql
):
    # given
    source = tmp_path / "orders.csv"
    source.write_text("主订单编号,子订单编号\n1,2\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    # when / then
    with pytest.raises(CommandError, match="订单导入需要 PostgreSQL"):
        call_command("import_orders", str(source), "--shop", filled_shop.slug)
    with pytest.raises(CommandError, match="订单导出需要 PostgreSQL"):
        call_command("export_orders", "--shop", filled_shop.slug, "-o", str(output))
    assert not output.exists()
