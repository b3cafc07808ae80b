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


def test_one_page_per_parcel_with_the_barcode_text(ctx, make_order):
    # given: two parcels
    first = ShipmentFactory(order=make_order(1), context=ctx)
    second = ShipmentFactory(order=make_order(2), context=ctx)
    # when
    result = services.waybills_print(context=ctx, shipment_ids=[first.pk, second.pk])
    # then: a page each, with the number under its barcode and the receiver in full
    pages = _pages(result.pdf)
    assert len(pages) == 2
    texts = [page.extract_text() for page in pages]
    assert first.tracking_no in texts[0] and second.tracking_no in texts[1]
    assert RECEIVER["phone"] in texts[0]


def test_print_by_order_includes_every_parcel_of_the_order(ctx, make_order):
    # given: one order shipped in two parcels
    order = make_order(2)
    item = order.items.get()
    ShipmentFactory(order=order, context=ctx, quantities={item.pk: 1})
    ShipmentFactory(order=order, context=ctx)
    # when
    result = services.waybills_print(context=ctx, order_ids=[order.pk])
    # then
    assert len(_pages(result.pdf)) == 2


def test_print_is_logged_and_counted_on_the_parcel(ctx, make_order):
    # given
    shipment = ShipmentFactory(order=make_order(1), context=ctx)
    # when: printed twice
    services.waybills_print(context=ctx, shipment_ids=[shipment.pk])
    services.waybills_print(context=ctx, shipment_ids=[shipment.pk])
    # then
    shipment.refresh_from_db()
    assert shipment.print_count == 2 and shipment.printed_at is not None
    record = PrintRecord.objects.filter(shop=ctx.shop).first()
    assert record.actor == ctx.membership.user and record.page_count == 1
    assert list(record.shipments.all()) == [shipment]


def test_printing_needs_the_permission(ctx, make_order, make_member, context_for, shop):
    # given: an operator (no 打印面单)
    shipment = ShipmentFactory(order=make_order(1), context=ctx)
    operator = context_for(make_member("operator", shop=shop))
    # when / then
    with pytest.raises(PermissionRefused):
        services.waybills_print(context=operator, shipment_ids=[shipment.pk])
    assert not PrintRecord.objects.exists()


def test_an_unshipped_order_has_nothing_to_print(ctx, make_order):
    # given
    order = make_order(1)
    # when / then
    with pytest.raises(PrintRefused, match=order.order_no):
        services.waybills_print(context=ctx, order_ids=[order.pk])


def test_another_shops_parcel_is_not_found(ctx, make_order, other_owner, context_for):
    # given
    foreign = ShipmentFactory(
        order=make_order(1, shop=other_owner.shop), context=context_for(other_owner)
    )
    # when / then
    with pytest.raises(Http404):
        services.waybills_print(context=ctx, shipment_ids=[foreign.pk])
