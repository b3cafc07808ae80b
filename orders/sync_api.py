"""`GET /api/v1/orders/changes/`: what an ERP polls to mirror the shop's orders.

Each change comes once, in order, with the whole current order (items, after-sales,
and whatever parts other apps register — logistics adds its parcels). The guarantee
and its reasoning are in orders.changes.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from shops.api import ConsoleAPIMixin
from shops.tenancy import scope

from .changes import PAGE_MAX, BadChangeCursor, changes_after
from .models import Order
from .payloads import order_payloads
from .serializers import OrderDetailSerializer


class OrderChangesView(ConsoleAPIMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="orders_changes",
        parameters=[
            OpenApiParameter("cursor", str, description=_("上一页返回的 cursor；首次不传")),
            OpenApiParameter("size", int, description=_("每页条数，最多 100")),
        ],
        responses=inline_serializer(
            "OrderChangePage",
            {
                "cursor": serializers.CharField(),
                "has_more": serializers.BooleanField(),
                "results": inline_serializer(
                    "OrderChange",
                    {"seq": serializers.CharField(), "order": OrderDetailSerializer()},
                    many=True,
                ),
            },
        ),
    )
    def get(self, request):
        size = request.query_params.get("size", "")
        if size and not (size.isdigit() and 1 <= int(size) <= PAGE_MAX):
            raise ValidationError({"size": [_("每页条数为 1 到 %(max)s。") % {"max": PAGE_MAX}]})
        try:
            page = changes_after(
                shop_id=self.console.shop.pk,
                cursor=request.query_params.get("cursor") or None,
                size=int(size or PAGE_MAX),
            )
        except BadChangeCursor as exc:
            raise ValidationError({"cursor": [_("同步游标无效。")]}) from exc
        order_ids = [change.order_id for change in page.changes]
        payloads = order_payloads(
            scope(Order.objects.all(), self.console), order_ids, request=request
        )
        results = [
            {"seq": f"{change.xid}.{change.pk}", "order": payloads[change.order_id]}
            for change in page.changes
            if change.order_id in payloads
        ]
        return Response({"cursor": page.cursor, "has_more": page.has_more, "results": results})
