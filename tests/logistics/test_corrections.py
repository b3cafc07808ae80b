"""Correcting a tracking number within 24 hours, and reading carriers and numbers."""

from datetime import timedelta

import pytest
from django.http import Http404

from logistics import services
from logistics.exceptions import CorrectionRefused
from logistics.models import Shipment, TrackingNoCorrection
from logistics.selectors import carrier_resolve, tracking_no_problem

from .shipping_support import lines_of, ship

pytestmark = pytest.mark.django_db


def test_correction_within_24_hours_is_logged(shop_context, sf, zto, number, make_order):
    # given
    shipment = ship(shop_context, sf, "SF1000000000003", lines_of(make_order(1))).shipments[0]
    # when
    corrected = services.shipment_correct_tracking(
        context=shop_context, shipment_id=shipment.pk, carrier=zto, tracking_no="75 0000 0000 0001"
    )
    # then
    assert (corrected.carrier, corrected.tracking_no) == (zto, "75000000000001")
    log = TrackingNoCorrection.objects.get(shipment=shipment)
    assert (log.old_carrier, log.old_tracking_no) == (sf, "SF1000000000003")
    assert (log.new_carrier, log.new_tracking_no, log.actor) == (
        zto,
        "75000000000001",
        shop_context.membership.user,
    )


def test_correction_after_24_hours_is_refused(shop_context, sf, number, make_order):
    # given: shipped 25 hours ago
    shipment = ship(shop_context, sf, number(), lines_of(make_order(1))).shipments[0]
    Shipment.objects.filter(pk=shipment.pk).update(
        shipped_at=shipment.shipped_at - timedelta(hours=25)
    )
    # when
    with pytest.raises(CorrectionRefused) as caught:
        services.shipment_correct_tracking(
            context=shop_context, shipment_id=shipment.pk, carrier=sf, tracking_no=number()
        )
    # then
    assert "24 小时" in str(caught.value.message)
    assert not TrackingNoCorrection.objects.exists()


def test_correction_checks_the_new_number(shop_context, sf, number, make_order):
    # given
    shipment = ship(shop_context, sf, number(), lines_of(make_order(1))).shipments[0]
    # when / then
    with pytest.raises(CorrectionRefused, match="顺丰速运"):
        services.shipment_correct_tracking(
            context=shop_context, shipment_id=shipment.pk, carrier=sf, tracking_no="123"
        )


def test_correction_of_another_shops_parcel_is_not_found(
    shop_context, sf, number, make_order, other_owner, context_for
):
    # given
    foreign_ctx = context_for(other_owner)
    foreign = ship(foreign_ctx, sf, number(), lines_of(make_order(1, shop=other_owner.shop)))
    # when / then
    with pytest.raises(Http404):
        services.shipment_correct_tracking(
            context=shop_context,
            shipment_id=foreign.shipments[0].pk,
            carrier=sf,
            tracking_no=number(),
        )


# --- carriers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["zhongtong", "中通快递", " 中通 ", "zto", "ZTO"])
def test_carrier_resolves_by_code_name_or_alias(text, zto):
    assert carrier_resolve(text) == zto


def test_unknown_carrier_resolves_to_none():
    assert carrier_resolve("火星快递") is None
    assert carrier_resolve("  ") is None


def test_tracking_no_problem(sf):
    assert tracking_no_problem(sf, "sf1234567890123") is None
    assert "请填写" in tracking_no_problem(sf, " ")
    assert "顺丰速运" in tracking_no_problem(sf, "SF12")
