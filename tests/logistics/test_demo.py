import pytest
from django.core.management import call_command

from logistics.models import Shipment, TrackingStatus
from logistics.selectors import merge_groups, no_scan_count
from orders.models import OrderItem
from shops.models import Membership
from shops.tenancy import resolve_context

pytestmark = pytest.mark.django_db


def test_demo_ships_parcels_flags_one_no_scan_and_offers_merges():
    # when
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then: per demo shop, every shipped item rides in a parcel, some parcels are signed,
    # one has had no scan for a day, and receivers with several orders can merge
    for membership in Membership.objects.filter(user__username="owner").select_related("user"):
        context = resolve_context(membership.user, requested=f"shop:{membership.shop_id}")
        shop = membership.shop
        assert not OrderItem.objects.filter(
            shop=shop, shipped_quantity__gt=0, shipment_lines__isnull=True
        ).exists()
        assert Shipment.objects.filter(shop=shop, tracking_status=TrackingStatus.SIGNED).exists()
        assert no_scan_count(context=context) == 1
        assert len(merge_groups(context=context)) >= 2
