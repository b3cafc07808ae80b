"""A large 订单导出 is read range by range on connections of its own, side by side, in
one snapshot: the file is the one a single statement would write, and a change committed
while it is being written does not show in it."""

import io

import pytest

from orders.factories import OrderFactory
from orders.files import export
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def orders(shop):
    return [OrderFactory(shop=shop, status=OrderStatus.AWAITING_SHIPMENT) for _ in range(7)]


def _csv(shop_context, **kwargs) -> tuple[bytes, int]:
    out = io.BytesIO()
    rows = export.write_csv(
        out,
        export.filtered_orders(context=shop_context, params={}),
        export.columns_of(()),
        by="item",
        masked=True,
        **kwargs,
    )
    return out.getvalue(), rows


def test_ranges_read_side_by_side_write_the_same_file_as_one_statement(
    orders, shop_context, monkeypatch, settings
):
    # given
    whole, rows = _csv(shop_context)
    monkeypatch.setattr(export, "RANGE_ORDERS", 2)
    settings.ORDER_EXPORT_CONNECTIONS = 3
    progress = []
    # when
    ranged, ranged_rows = _csv(shop_context, progress=progress.append)
    # then
    assert (ranged, ranged_rows) == (whole, rows)
    assert len(progress) == 4 and progress[-1] == rows


def test_a_change_committed_during_the_export_is_not_in_the_file(
    orders, shop_context, monkeypatch, settings
):
    # given: the oldest order sits in the last range
    monkeypatch.setattr(export, "RANGE_ORDERS", 2)
    settings.ORDER_EXPORT_CONNECTIONS = 1
    oldest = min(orders, key=lambda order: order.pk)

    def cancel_the_oldest_after_the_first_range(rows):
        Order.objects.filter(pk=oldest.pk).update(status=OrderStatus.CANCELLED)

    # when
    content, _rows = _csv(shop_context, progress=cancel_the_oldest_after_the_first_range)
    # then
    lines = content.decode("utf-8-sig").splitlines()
    oldest_line = next(line for line in lines if oldest.order_no in line)
    assert "备货中" in oldest_line and "已取消" not in oldest_line
    assert Order.objects.get(pk=oldest.pk).status == OrderStatus.CANCELLED
