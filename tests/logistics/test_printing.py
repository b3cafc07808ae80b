import io

import pytest
from django.http import Http404
from pypdf import PdfReader

from core.exceptions import PermissionRefused
from logistics import services
from logistics.exceptions import PrintRefused
from logistics.factories import ShipmentFactory
from logistics.models import PrintRecord
from orders.factories import RECEIVER

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).pages


def test_one_page_per_parcel_with_the_barcode_text(shop_context, make_order):
    # given: two parcels
    first = ShipmentFactory(order=make_order(1), context=shop_context)
    second = ShipmentFactory(order=make_order(2), context=shop_context)
    # when
    result = services.waybills_print(context=shop_context, shipment_ids=[first.pk, second.pk])
    # then: a page each, with the number under its barcode and the receiver in full
    pages = _pages(result.pdf)
    assert len(pages) == 2
    texts = [page.extract_text() for page in pages]
    assert first.tracking_no in texts[0] and second.tracking_no in texts[1]
    assert RECEIVER["phone"] in texts[0]


def test_print_by_order_includes_every_parcel_of_the_order(shop_context, make_order):
    # given: one order shipped in two parcels
    order = make_order(2)
    item = order.items.get()
    ShipmentFactory(order=order, context=shop_context, quantities={item.pk: 1})
    ShipmentFactory(order=order, context=shop_context)
    # when
    result = services.waybills_print(context=shop_context, order_ids=[order.pk])
    # then
    assert len(_pages(result.pdf)) == 2


def test_print_is_logged_and_counted_on_the_parcel(shop_context, make_order):
    # given
    shipment = ShipmentFactory(order=make_order(1), context=shop_context)
    # when: printed twice
    services.waybills_print(context=shop_context, shipment_ids=[shipment.pk])
    services.waybills_print(context=shop_context, shipment_ids=[shipment.pk])
    # then
    shipment.refresh_from_db()
    assert shipment.print_count == 2 and shipment.printed_at is not None
    record = PrintRecord.objects.filter(shop=shop_context.shop).first()
    assert record.actor == shop_context.membership.user and record.page_count == 1
    assert list(record.shipments.all()) == [shipment]


def test_printing_needs_the_permission(shop_context, make_order, make_member, context_for, shop):
    # given: an operator (no 打印面单)
    shipment = ShipmentFactory(order=make_order(1), context=shop_context)
    operator = context_for(make_member("operator", shop=shop))
    # when / then
    with pytest.raises(PermissionRefused):
        services.waybills_print(context=operator, shipment_ids=[shipment.pk])
    assert not PrintRecord.objects.exists()


def test_an_unshipped_order_has_nothing_to_print(shop_context, make_order):
    # given
    order = make_order(1)
    # when / then
    with pytest.raises(PrintRefused, match=order.order_no):
        services.waybills_print(context=shop_context, order_ids=[order.pk])


def test_another_shops_parcel_is_not_found(shop_context, make_order, other_owner, context_for):
    # given
    foreign = ShipmentFactory(
        order=make_order(1, shop=other_owner.shop), context=context_for(other_owner)
    )
    # when / then
    with pytest.raises(Http404):
        services.waybills_print(context=shop_context, shipment_ids=[foreign.pk])


def _waybill(**fields):
    from datetime import datetime

    from logistics.printing import Waybill

    values = {
        "carrier": "顺丰速运",
        "tracking_no": "SF1234567890123",
        "receiver_name": RECEIVER["name"],
        "receiver_phone": RECEIVER["phone"],
        "receiver_address": "浙江省杭州市余杭区文一西路 998 号",
        "sender_name": "李四",
        "sender_phone": "13900001111",
        "sender_address": "广东省深圳市南山区科技园",
        "shop_name": "小店",
        "order_nos": ["6900000000000001"],
        "items": [("纯棉短袖T恤", "白 L", 2)],
        "shipped_at": datetime(2026, 5, 1, 10, 0),
        **fields,
    }
    return Waybill(**values)


def _drawn_lines(pdf: bytes) -> list[tuple[str, float]]:
    """(text, baseline y in points) of every string drawn on the first page."""
    lines = []
    _pages(pdf)[0].extract_text(
        visitor_text=lambda text, cm, tm, _font, _size: (
            lines.append((text.strip(), tm[5] * cm[3] + cm[5])) if text.strip() else None
        )
    )
    return lines


def _bars_bottom(pdf: bytes, bar_height: float) -> float:
    """The lowest edge of the barcode's bars (filled rectangles bar_height tall)."""
    from pypdf.generic import ContentStream

    page = _pages(pdf)[0]
    stack, (dx, dy), bottoms = [], (0.0, 0.0), []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"q":
            stack.append((dx, dy))
        elif operator == b"Q":
            dx, dy = stack.pop()
        elif operator == b"cm":
            dx, dy = dx + float(operands[4]), dy + float(operands[5])
        elif operator == b"re" and abs(float(operands[3]) - bar_height) < 0.5:
            bottoms.append(dy + float(operands[1]))
    assert bottoms, "no barcode bars found"
    return min(bottoms)


def test_the_number_under_the_barcode_keeps_clear_of_the_bars():
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics

    from logistics.printing import NUMBER_FONT, waybills_pdf

    # when
    pdf = waybills_pdf([_waybill()])
    # then: at least 1.5 mm between the bars and the top of the digits under them
    baseline = dict(_drawn_lines(pdf))["SF1234567890123"]
    digits_top = baseline + pdfmetrics.getAscent(NUMBER_FONT) * 10 / 1000
    assert _bars_bottom(pdf, 16 * mm) - digits_top >= 1.5 * mm


def test_addresses_wrap_between_words_never_inside_a_house_number():
    from logistics.printing import waybills_pdf

    # given: an address long enough to wrap, with numbers where a line would end
    address = "广东省深圳市南山区粤海街道科技园科苑路科兴科学园B座12345号1203室"
    # when
    lines = [text for text, _y in _drawn_lines(waybills_pdf([_waybill(receiver_address=address)]))]
    # then: it takes two lines, broken after a place name; the numbers are whole
    start = next(n for n, text in enumerate(lines) if text.startswith("广东省"))
    first, second = lines[start], lines[start + 1]
    assert first + second == address
    assert first.endswith(("省", "市", "区", "街道", "园", "路"))
    assert "12345号" in second and "1203室" in second
