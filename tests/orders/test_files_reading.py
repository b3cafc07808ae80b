"""Order files as merchants bring them: encodings, XLSX, title lines, shuffled and
foreign headers, and malformed files, each with its message."""

import io

import pytest
from openpyxl import Workbook

from core.tabular import FileRejected
from orders.files import imports
from orders.files.imports import import_orders
from orders.files.reading import FIRST_OF_ORDER, SLOT, RowCleaner, open_file
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db

HEADER = ["主订单编号", "子订单编号", "选购商品", "商品数量", "商品单价", "订单应付金额", "运费",
          "收件人", "收件人手机号", "订单提交时间", "支付完成时间", "订单状态", "售后状态"]  # fmt: skip
ROWS = [
    ["\t6912345678901234567", "\t6912345678901234568", "短袖", "1", "￥99.00", '"￥1,099.00"',
     "￥5", "张*", "138****1234", "2026/11/01 12:00:00", "2026-11-01 12:01:00", "待发货", "-"],
    ['="6912345678901234570"', "\t6912345678901234571", "长裤", "2", "50", "100.00",
     "0", "##abc", "$$def", "2026-11-02 08:00:00", "", "待支付", "-"],
    ["\t6912345678901234567", "\t6912345678901234569", "袜子", "3", "1", "3", "￥5", "张*",
     "138****1234", "2026/11/01 12:00:00", "2026-11-01 12:01:00", "备货中", "退款成功"],
]  # fmt: skip


def _csv(rows, header=HEADER, title=None):
    lines = ([title] if title else []) + [",".join(header)] + [",".join(r) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def _import(shop, content, **kwargs):
    return import_orders(shop_id=shop.pk, source=content, file_name="f.csv", **kwargs)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_each_encoding_is_read(shop, encoding):
    report = _import(shop, _csv(ROWS).encode(encoding), dry_run=False)
    assert (report.errors, report.orders, report.items) == (0, 2, 3), report.error_list


def test_scattered_rows_of_one_order_count_it_once(shop):
    # when
    report = _import(shop, _csv(ROWS).encode("gbk"), dry_run=False)
    # then
    order = Order.objects.get(shop=shop, order_no="6912345678901234567")
    assert order.items.count() == 2 and order.shipping_fen == 500
    assert order.status == OrderStatus.AWAITING_SHIPMENT and order.receiver_masked
    assert report.paid_fen == 109900 + 300


def test_xlsx_is_read(shop):
    # given
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in ROWS:
        # CSV quoting and the ="…" trick are CSV things: an XLSX holds plain text cells.
        workbook.active.append([cell.strip('="') for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when
    report = _import(shop, buffer.getvalue())
    # then
    assert (report.errors, report.new) == (0, 3), report.error_list


def test_a_title_line_above_the_header_is_skipped(shop):
    report = _import(shop, _csv(ROWS, title="订单导出 2026-11-30,,").encode())
    assert report.errors == 0 and report.rows == 3


def test_shuffled_columns_are_found_by_name(shop):
    order = list(reversed(range(len(HEADER))))
    shuffled = _csv([[r[i] for i in order] for r in ROWS], header=[HEADER[i] for i in order])
    report = _import(shop, shuffled.encode(), dry_run=False)
    assert report.errors == 0
    assert Order.objects.get(shop=shop, order_no="6912345678901234570").paid_fen == 10000


def test_foreign_headers_map_through_an_import_template(shop):
    # given
    header = ["平台单号", *HEADER[1:]]
    content = _csv(ROWS, header=header).encode()
    # when
    with pytest.raises(FileRejected, match="主订单编号"):
        _import(shop, content)
    report = _import(shop, content, mapping={"平台单号": "order_no"})
    # then
    assert report.errors == 0 and report.orders == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "文件是空的", id="empty"),
        pytest.param(b"%PDF-1.7 x", "PDF", id="wrong-type"),
        pytest.param(b"a,b\x00,c\r\n1,2,3\r\n" * 3, "NUL", id="nul-bytes"),
        pytest.param(b"PK\x03\x04 truncated", "不是 Excel 工作簿", id="truncated-xlsx"),
        pytest.param(
            _csv(ROWS, header=HEADER[1:]).encode(), "缺少必填列：主订单编号", id="missing-column"
        ),
    ],
)
def test_a_malformed_file_is_refused_with_its_message(shop, content, message):
    with pytest.raises(FileRejected, match=message):
        _import(shop, content)


@pytest.mark.parametrize(
    ("index", "value", "message"),
    [
        pytest.param(4, "abc", "不是金额", id="bad-number"),
        pytest.param(9, "2026-13-45", "不是时间", id="bad-date"),
        pytest.param(11, "飞走了", "无法识别", id="unknown-status"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(shop, index, value, message):
    # given
    rows = [list(r) for r in ROWS]
    rows[2][index] = value
    # when
    report = _import(shop, _csv(rows).encode(), dry_run=False)
    # then
    (issue,) = report.error_list
    assert issue.row == 4 and HEADER[index] in issue.column and message in issue.message
    assert not Order.objects.filter(shop=shop).exists()


def test_a_truncated_csv_line_is_an_error_not_a_crash(shop):
    content = _csv(ROWS).encode()[:-40]
    report = _import(shop, content)
    assert report.errors >= 1 or report.rows == 3


def test_unknown_skus_are_warnings_not_errors(shop):
    header = [*HEADER, "商家编码"]
    rows = [[*r, "NOPE-1"] for r in ROWS]
    report = _import(shop, _csv(rows, header=header).encode())
    assert report.errors == 0 and report.warnings == 3


def test_warnings_past_the_listed_ones_are_still_counted(shop, monkeypatch):
    # given: room to list two warnings, and three rows of unknown SKUs
    monkeypatch.setattr(imports, "MAX_ISSUES_LISTED", 2)
    rows = [[*r, "NOPE-1"] for r in ROWS]
    # when
    report = _import(shop, _csv(rows, header=[*HEADER, "商家编码"]).encode())
    # then
    assert report.warnings == 3
    assert [w.row for w in report.warning_list] == [2, 3]


def _cleaner_and_rows():
    layout, rows = open_file(_csv(ROWS).encode())
    return RowCleaner(layout), [cells for _number, cells in rows]


def test_a_later_row_repeating_its_orders_cells_keeps_only_its_own():
    # given: the first and the third row belong to one order; the third repeats its cells
    cleaner, rows = _cleaner_and_rows()
    first = cleaner.clean(2, rows[0])
    rows[2][11] = "待发货"  # its status, as the first row says it
    # when
    later = cleaner.clean(4, rows[2])
    # then: the order's cells are the first row's; the later row holds its item's
    assert first[SLOT[FIRST_OF_ORDER]] and not later[SLOT[FIRST_OF_ORDER]]
    assert first[SLOT["shipping"]] == 500 and later[SLOT["shipping"]] is None
    assert later[SLOT["item_no"]] == "6912345678901234569" and later[SLOT["paid"]] == 300


def test_a_later_row_saying_otherwise_is_cleaned_and_its_bad_cell_named():
    # given
    cleaner, rows = _cleaner_and_rows()
    cleaner.clean(2, rows[0])
    rows[2][6] = "五元"  # 运费, an order-level cell, differs from the first row's
    # when
    values = cleaner.clean(4, rows[2])
    # then
    (issue,) = cleaner.errors
    assert values is None and issue.row == 4 and "运费" in issue.column
