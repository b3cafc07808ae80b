"""Helpers shared by the batch-ship tests: files as merchants upload them, and orders."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from logistics.batch.services import ship_batch_preview
from orders.factories import OrderFactory
from products.factories import ProductFactory, SkuFactory

HEADER = ["订单号", "快递公司", "快递单号", "子订单编号", "发货数量"]


def csv_bytes(rows, *, header=HEADER, encoding="utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "发货.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def sf_no(n: int) -> str:
    """A valid 顺丰 tracking number."""
    return f"SF{1000000000000 + n}"


def two_item_order(shop, quantities=(2, 1)):
    """An order (备货中) of two child orders with the given quantities."""
    product = ProductFactory(shop=shop)
    second = SkuFactory(product=product, spec_text="颜色:蓝")
    lines = [(product.skus.order_by("pk").first().pk, quantities[0]), (second.pk, quantities[1])]
    order = OrderFactory(shop=shop, lines=lines)
    return order, list(order.items.order_by("pk"))


def preview(context, rows, **kwargs):
    """The batch previewed from a CSV of `rows`."""
    return ship_batch_preview(context=context, upload=upload(csv_bytes(rows, **kwargs)))


def rows_of(batch) -> dict:
    """The batch's rows by spreadsheet row number."""
    return {row.row_number: row for row in batch.rows.all()}
