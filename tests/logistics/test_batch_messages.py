"""批量发货 rows store a code and parameters, rendered in the reader's language: the
console page, the result report and old rows converted by migration 0007."""

import csv
import importlib
import io

import pytest
from django.urls import reverse
from django.utils import translation

from logistics.models import ShipBatchRow, ShipBatchRowResult

from .batch_support import preview, rows_of, sf_no

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_carriers")]

migration = importlib.import_module("logistics.migrations.0007_batch_row_text_to_codes")

NOT_FOUND_EN = (
    "Order no. 6900000000000000001 does not exist. Check that it is the main order number "
    "of an order from this store."
)
NOT_FOUND_ZH = "订单号 6900000000000000001 不存在，请核对是否为本店订单的主订单编号。"


@pytest.fixture
def refused(shop_context):
    """A previewed batch whose row 2 names an order that does not exist."""
    return preview(shop_context, [["6900000000000000001", "顺丰", sf_no(1), "", ""]])


def test_a_refused_row_stores_a_code_not_text(refused):
    # when
    row = rows_of(refused)[2]

    # then
    assert (row.result, row.code, row.params) == (
        ShipBatchRowResult.INVALID,
        "order_not_found",
        {"no": "6900000000000000001"},
    )
    assert row.note == ""


def test_a_refused_row_reads_in_english_for_an_english_reader(refused):
    # when
    with translation.override("en"):
        text = rows_of(refused)[2].text

    # then
    assert text == NOT_FOUND_EN


def test_the_english_console_shows_the_english_message(owner, client, refused):
    # given
    client.force_login(owner.user)

    # when
    response = client.get(
        reverse("logistics:batch_detail", args=[refused.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    # then
    body = response.content.decode()
    assert NOT_FOUND_EN in body
    assert NOT_FOUND_ZH not in body


def test_the_result_report_is_written_in_the_readers_language(owner, client, refused):
    # given
    client.force_login(owner.user)
    url = reverse("logistics:batch_report", args=[refused.pk, "csv"])

    # when
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode("utf-8-sig")

    # then
    assert list(csv.reader(io.StringIO(english)))[1][-1] == NOT_FOUND_EN
    assert list(csv.reader(io.StringIO(chinese)))[1][-1] == NOT_FOUND_ZH


OLD_TEXTS = {
    "order_not_found": NOT_FOUND_ZH,
    "missing": "缺少快递公司、快递单号。",
    "duplicate_row": "与第 2 行重复（同一订单、子订单和快递单号），只按第 2 行处理。",
    "order_status": "订单 6900000000000000001 当前为“已取消”，不能发货。",
    "over_owed": "子订单 6900000000000000011 待发货 0 件，不能发 1 件。（第 2 行已安排发货 2 件）",
    "aftersale_open": (
        "子订单 6900000000000000011 有进行中的售后单 1234567890123456789（未发货仅退款，"
        "待商家同意），处理完成前不能发货。其他商品可填写子订单编号分别发货。"
    ),
    "planned_by_rows": (
        "订单 6900000000000000001 的商品已由第 2、3 行安排发货，这一行没有可发的数量。"
    ),
    "ready": "可发货：顺丰速运 SF1000000000001，1 件。",
    "shipped": "已发货：顺丰速运 SF1000000000001。",
}


@pytest.mark.parametrize(("expected", "text"), OLD_TEXTS.items(), ids=list(OLD_TEXTS))
def test_an_old_row_converted_by_the_migration_reads_as_before(expected, text):
    # when
    code, params = migration.said(text)

    # then
    assert code == expected
    with translation.override("zh-hans"):
        assert ShipBatchRow(code=code, params=params).text == text


def test_an_old_row_converted_by_the_migration_reads_in_english():
    # when
    code, params = migration.said(NOT_FOUND_ZH)

    # then
    with translation.override("en"):
        assert ShipBatchRow(code=code, params=params).text == NOT_FOUND_EN


def test_an_old_text_no_code_says_stays_as_it_was():
    assert migration.said("快递公司拒收了这个单号。") is None
