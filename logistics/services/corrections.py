"""Correcting a mistyped carrier or tracking number within 24 hours of shipping."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import context_user
from core.exceptions import clean_or_raise
from shops.roles import Perm
from shops.tenancy import ConsoleContext, scope

from ..exceptions import CorrectionRefused, ShipRequestInvalid
from ..models import Carrier, ParcelNumber, Shipment, TrackingNoCorrection
from ..selectors import CORRECTION_WINDOW, normalize_tracking_no, tracking_no_problem
from .shipments import TRUSTED_FKS, claim_numbers


@transaction.atomic
def shipment_correct_tracking(
    *, context: ConsoleContext, shipment_id: int, carrier: Carrier, tracking_no: str
) -> Shipment:
    """Fix a mistyped carrier or tracking number within 24 hours of shipping; logged in
    TrackingNoCorrection. After that the platform already holds the number: refused."""
    context.require_perm(Perm.ORDER_SHIP)
    try:
        shipment = (
            scope(Shipment.objects.select_for_update(of=("self",)), context)
            .select_related("carrier")
            .get(pk=shipment_id)
        )
    except Shipment.DoesNotExist as exc:
        raise Http404 from exc
    if timezone.now() - shipment.shipped_at > CORRECTION_WINDOW:
        raise CorrectionRefused(
            _("包裹 %(no)s 于 %(at)s 发货，已超过 24 小时，不能再修改运单号。")
            % {
                "no": shipment.tracking_no,
                "at": timezone.localtime(shipment.shipped_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if carrier is None or not carrier.is_active:
        raise CorrectionRefused(_("请选择快递公司。"), fields={"carrier": [_("请选择快递公司。")]})
    problem = tracking_no_problem(carrier, tracking_no)
    if problem:
        raise CorrectionRefused(problem, fields={"tracking_no": [problem]})
    number = normalize_tracking_no(tracking_no)
    if carrier.pk == shipment.carrier_id and number == shipment.tracking_no:
        raise CorrectionRefused(
            _("新的快递公司和运单号与原来的相同。"), fields={"tracking_no": [_("没有变化。")]}
        )
    try:
        claim_numbers(context.shop, [(carrier, number, "")])
    except ShipRequestInvalid as exc:
        raise CorrectionRefused(exc.message, fields=exc.fields) from exc
    old_carrier_id, old_number = shipment.carrier_id, shipment.tracking_no
    correction = TrackingNoCorrection(
        shipment=shipment,
        old_carrier=shipment.carrier,
        old_tracking_no=shipment.tracking_no,
        new_carrier=carrier,
        new_tracking_no=number,
        actor=context_user(context),
    )
    correction.save()
    shipment.carrier = carrier
    shipment.tracking_no = number
    clean_or_raise(shipment, ShipRequestInvalid, exclude=TRUSTED_FKS)
    shipment.save(update_fields=["carrier", "tracking_no"])
    # A mistyped number must not stay held: it may be another shop's real parcel.
    if not Shipment.objects.filter(carrier_id=old_carrier_id, tracking_no=old_number).exists():
        ParcelNumber.objects.filter(
            carrier_id=old_carrier_id, tracking_no=old_number, shop=context.shop
        ).delete()
    return shipment
