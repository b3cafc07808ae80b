"""The whole current order as programs receive it (the sync feed, webhooks): the
order's serializer plus parts other apps register (logistics adds its parcels), so
`orders` imports neither app."""

from collections.abc import Callable

from django.db.models import Prefetch

from .models import AfterSale, OrderItem
from .serializers import OrderDetailSerializer

# name -> fn(order_ids) -> {order_id: json-ready value}; filled from other apps' ready().
_payload_parts: dict[str, Callable[[list[int]], dict[int, object]]] = {}


def register_payload_part(name: str, provider: Callable[[list[int]], dict[int, object]]) -> None:
    _payload_parts[name] = provider


def order_payloads(orders, order_ids: list[int], *, request=None) -> dict[int, dict]:
    """{order_id: payload} for the orders of `orders` (a queryset already scoped to the
    caller's shop) among `order_ids`; an id outside it is simply absent."""
    orders = orders.filter(pk__in=order_ids).select_related("creator")
    orders = orders.prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("id")),
        Prefetch("aftersales", queryset=AfterSale.objects.order_by("-created_at")),
    )
    found = list(orders)
    ids = [order.pk for order in found]
    parts = {name: provider(ids) for name, provider in _payload_parts.items()}
    payloads = {}
    # many=True: the serializer's fields are built once, not once per order.
    datas = OrderDetailSerializer(found, many=True, context={"request": request}).data
    for order, data in zip(found, datas, strict=True):
        for name, values in parts.items():
            data[name] = values.get(order.pk, [])
        payloads[order.pk] = data
    return payloads
