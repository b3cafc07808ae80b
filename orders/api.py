"""Orders and after-sales in the API: the console's filters (orders.filters), keyset
pages and services, for the shop named by the token's member (or X-Shop-Id).

Integrations place orders with `POST /api/v1/orders/` using the API token of a member
whose role holds Perm.ORDER_PLACE (店主 or 运营): the order lands in that shop only.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core import pagination
from core.actors import context_user
from core.bounds import MAX_ID, parse_int
from shops.api import ShopDetailViewSet, valid_body
from shops.roles import Perm

from . import aftersales, selectors, services
from .filters import AfterSaleFilter, OrderFilter
from .masking import full_receiver
from .models import AfterSale, Order
from .serializers import (
    AfterSaleDetailSerializer,
    AfterSaleSerializer,
    BulkRemarkSerializer,
    CancelSerializer,
    OrderDetailSerializer,
    OrderEventSerializer,
    OrderPlaceSerializer,
    OrderSerializer,
    ReceiverSerializer,
    RejectSerializer,
    RemarkSerializer,
)


class KeysetPagination(BasePagination):
    """`next`/`previous` links carrying a cursor: constant time on any page depth."""

    max_size = 100
    default_size = 20

    def paginate_queryset(self, queryset, request, view=None):
        sorts = view.keyset_sorts
        sort = request.query_params.get("sort") or next(iter(sorts))
        if sort not in sorts:
            raise ValidationError({"sort": [_("可选：%(keys)s") % {"keys": ", ".join(sorts)}]})
        size = request.query_params.get("size", "")
        size = min(parse_int(size, maximum=MAX_ID) or self.default_size, self.max_size)
        try:
            self.page = pagination.keyset_page(
                queryset,
                sort=sorts[sort],
                cursor=request.query_params.get("cursor") or None,
                size=size,
            )
        except pagination.BadCursor as exc:
            raise ValidationError({"cursor": [_("翻页游标无效，请从第一页开始。")]}) from exc
        self.request = request
        return self.page.rows

    def _link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "cursor", cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"}},
            {
                "name": "size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "maximum": self.max_size},
            },
            {
                "name": "sort",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": list(view.keyset_sorts)},
            },
        ]


class _InFullViewSet(ShopDetailViewSet):
    """`retrieve` answers in full, as the write actions do (a list row is the short form);
    a subclass names its detail serializer for the schema with `extend_schema_view`."""

    def retrieve(self, request, pk=None):
        return self.detail_response(self.get_object().pk)


@extend_schema_view(retrieve=extend_schema(responses=OrderDetailSerializer))
class OrderViewSet(_InFullViewSet):
    """The shop's orders (主订单 with 子订单). Receivers are masked; `reveal` shows one in
    full and is logged."""

    queryset = Order.objects.all()
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    pagination_class = KeysetPagination
    keyset_sorts = selectors.ORDER_SORTS
    required_perms = {
        "create": Perm.ORDER_PLACE,
        "remark": Perm.ORDER_REMARK,
        "bulk_remark": Perm.ORDER_REMARK,
        "reveal": Perm.RECEIVER_REVEAL,
        "cancel": Perm.ORDER_CANCEL,
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.order_list(context=self.console)
        return super().get_queryset()

    def get_detail(self, order_id: int):
        order = selectors.order_detail(context=self.console, order_id=order_id)
        return OrderDetailSerializer(order)

    @extend_schema(
        request=OrderPlaceSerializer,
        responses={201: OrderDetailSerializer},
        description="集成方下单（待支付）：需要有“通过接口创建订单”权限的成员的 API Token。",
    )
    def create(self, request):
        serializer = OrderPlaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.order_place(shop=self.console.shop, **serializer.to_service_kwargs())
        return self.detail_response(order.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        responses=inline_serializer(
            "OrderTabCounts",
            {"tab": serializers.CharField(), "count": serializers.CharField()},
            many=True,
        ),
        description="各状态页签的订单数；达到上限（1000）时显示为“999+”。",
    )
    @action(detail=False, methods=["get"])
    def counts(self, request):
        counts = selectors.order_tab_counts(context=self.console)
        return Response([{"tab": key, "count": str(count)} for key, count in counts.items()])

    @extend_schema(responses=OrderEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        events = selectors.order_events(context=self.console, order_id=self.get_object().pk)
        return Response(OrderEventSerializer(events, many=True).data)

    @extend_schema(request=RemarkSerializer, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def remark(self, request, pk=None):
        order = self.get_object()
        body = valid_body(RemarkSerializer, request)
        services.order_update_remark(context=self.console, order_ids=[order.pk], **body)
        return self.detail_response(order.pk)

    @extend_schema(
        request=BulkRemarkSerializer,
        responses=inline_serializer("BulkRemarkResult", {"updated": serializers.IntegerField()}),
        description="批量备注/插旗；不属于本店的订单会被忽略。",
    )
    @action(detail=False, methods=["post"], url_path="bulk-remark")
    def bulk_remark(self, request):
        body = valid_body(BulkRemarkSerializer, request)
        updated = services.order_update_remark(context=self.console, **body)
        return Response({"updated": updated})

    @extend_schema(
        request=None, responses=ReceiverSerializer, description="查看完整收件人（记录日志）"
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        order = services.order_reveal_receiver(context=self.console, order_id=self.get_object().pk)
        return Response(ReceiverSerializer(full_receiver(order)).data)

    @extend_schema(request=CancelSerializer, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        body = valid_body(CancelSerializer, request)
        services.order_cancel(
            order_id=order.pk,
            reason=body["reason"],
            actor=context_user(self.console),
            actor_label=_("商家"),
        )
        return self.detail_response(order.pk)


@extend_schema_view(retrieve=extend_schema(responses=AfterSaleDetailSerializer))
class AfterSaleViewSet(_InFullViewSet):
    """The shop's after-sales (售后) and the merchant's actions on them."""

    queryset = AfterSale.objects.all()
    serializer_class = AfterSaleSerializer
    filterset_class = AfterSaleFilter
    pagination_class = KeysetPagination
    keyset_sorts = {"created": selectors.AFTERSALE_SORT}
    required_perms = {
        "agree": Perm.AFTERSALE_HANDLE,
        "reject": Perm.AFTERSALE_HANDLE,
        "receive": Perm.AFTERSALE_HANDLE,
    }

    def get_queryset(self):
        return selectors.aftersale_list(context=self.console)

    def get_detail(self, aftersale_id: int):
        aftersale = selectors.aftersale_detail(context=self.console, aftersale_id=aftersale_id)
        return AfterSaleDetailSerializer(aftersale)

    @extend_schema(request=None, responses=AfterSaleDetailSerializer, description="同意")
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        return self.act(aftersales.aftersale_agree)

    @extend_schema(
        request=RejectSerializer, responses=AfterSaleDetailSerializer, description="拒绝"
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self.act(aftersales.aftersale_reject, body=RejectSerializer)

    @extend_schema(request=None, responses=AfterSaleDetailSerializer, description="确认收到退货")
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        return self.act(aftersales.aftersale_confirm_received)
