"""物流 API: shipments (list, detail, create, correct) and carriers; the same services
as the console, scoped to the shop the client acts for."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shops.api import ShopReadViewSet, valid_body
from shops.roles import Perm

from . import selectors, services
from .filters import ShipmentFilter
from .models import Carrier, Shipment, TrackingEvent
from .serializers import (
    CarrierSerializer,
    ShipmentCorrectSerializer,
    ShipmentCreatedSerializer,
    ShipmentCreateSerializer,
    ShipmentSerializer,
)


class CarrierViewSet(viewsets.ReadOnlyModelViewSet):
    """The active carriers and their codes, for `carrier` in shipment requests."""

    queryset = Carrier.objects.filter(is_active=True).order_by("sort_order", "id")
    serializer_class = CarrierSerializer
    lookup_field = "code"
    pagination_class = None


class ShipmentViewSet(ShopReadViewSet):
    """The shop's parcels, filtered as 发货记录 is (`logistics.filters.ShipmentFilter`):
    `?q=` a tracking or order number, `?no_scan=1` only parcels without a tracking event
    24 hours after shipping (无揽收记录), carrier, tracking_status, shipped_from/to."""

    # Only tells the schema the model (and so the type of `{id}`); get_queryset scopes.
    queryset = Shipment.objects.none()
    serializer_class = ShipmentSerializer
    required_perms = {"create": Perm.ORDER_SHIP, "correct": Perm.ORDER_SHIP}

    filterset_class = ShipmentFilter

    def get_queryset(self):
        return selectors.shipment_list(context=self.console).prefetch_related(
            Prefetch("tracking_events", queryset=TrackingEvent.objects.order_by("occurred_at"))
        )

    @extend_schema(request=ShipmentCreateSerializer, responses={201: ShipmentCreatedSerializer})
    def create(self, request):
        data = valid_body(ShipmentCreateSerializer, request)
        parcel = {"carrier": data["carrier"], "tracking_no": data["tracking_no"]}
        if data.get("order_id"):
            outcome = services.order_ship(context=self.console, order_id=data["order_id"], **parcel)
        elif data.get("aftersale_id"):
            outcome = services.aftersale_ship(
                context=self.console, aftersale_id=data["aftersale_id"], **parcel
            )
        else:
            lines = [(line["item_id"], line["quantity"]) for line in data["lines"]]
            outcome = services.shipments_create(
                context=self.console, requests=[services.ShipRequest(lines=lines, **parcel)]
            )
        shipments = self.get_queryset().filter(pk__in=[s.pk for s in outcome.shipments])
        body = {"shipments": shipments, "warnings": outcome.warnings}
        return Response(ShipmentCreatedSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShipmentCorrectSerializer, responses=ShipmentSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Correct the carrier or tracking number within 24 hours of shipping."""
        shipment = self.get_object()
        body = valid_body(ShipmentCorrectSerializer, request)
        services.shipment_correct_tracking(context=self.console, shipment_id=shipment.pk, **body)
        return Response(ShipmentSerializer(self.get_queryset().get(pk=shipment.pk)).data)
