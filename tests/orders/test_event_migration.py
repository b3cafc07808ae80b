"""Migration 0008 gives old timeline rows codes: each mapped row reads as it did in
Chinese, and in English once translated; what no pattern matches stays as it was."""

import importlib

import pytest
from django.utils import translation

from orders.models import AfterSaleEvent, OrderEvent

migration = importlib.import_module("orders.migrations.0008_event_text_to_codes")

OLD_ORDER_TEXTS = [
    ("status", "提交订单"),
    ("payment", "已支付 ¥99.00（抖音支付），支付单号 PAY0001"),
    ("status", "支付已确认，订单进入备货"),
    ("shipment", "买家已签收（2026-11-01 10:00）"),
    ("remark", "备注：加急；旗帜：红"),
    ("remark", "旗帜：绿"),
    ("aftersale", "售后单 1234567890123456789：售后成功（退款 ¥10.00）"),
    ("aftersale", "售后单 1234567890123456789：待商家同意（拍错了）"),
    ("shipment", "顺丰速运 SF1000000000001 6900000000000000001 ×1"),
    ("shipment", "批量发货（发货.csv） 6900000000000000001 ×1、6900000000000000002 ×2"),
]


@pytest.mark.parametrize(("kind", "text"), OLD_ORDER_TEXTS)
def test_a_mapped_order_event_reads_as_before_in_chinese(kind, text):
    # when
    code, params, note = migration.order_said(kind, text)
    # then
    with translation.override("zh-hans"):
        assert OrderEvent(kind=kind, code=code, params=params, note=note).text == text


def test_a_mapped_order_event_reads_in_english():
    code, params, note = migration.order_said("status", "提交订单")
    with translation.override("en"):
        assert OrderEvent(code=code, params=params, note=note).text == "Order placed"


def test_text_no_pattern_matches_is_left_as_it_was():
    assert migration.order_said("status", "买家要求取消") is None
    assert migration.aftersale_said("拍错了", 6) is None


@pytest.mark.parametrize(
    ("text", "to_status"),
    [("同意，请买家退货", 7), ("退款 ¥10.00", 12), ("中通 ZT123456", 11), ("换货已发出", 12)],
)
def test_a_mapped_aftersale_event_reads_as_before_in_chinese(text, to_status):
    code, params = migration.aftersale_said(text, to_status)
    with translation.override("zh-hans"):
        assert AfterSaleEvent(code=code, params=params, to_status=to_status).text == text
