"""Orders bought from a live room, as the live cart's buy links record them."""

from orders.attribution import Attribution
from orders.factories import OrderFactory
from orders.models import Channel, OrderStatus, TrafficSource
from products.factories import ProductFactory

RECEIVER = {
    "name": "欧阳娜娜",
    "phone": "13912345678",
    "province": "广东省",
    "city": "深圳市",
    "district": "南山区",
    "street": "粤海街道",
    "detail": "科技园南区 8 栋 1203",
}


def live_attribution(session, *, room: str | None = None) -> Attribution:
    return Attribution(
        creator_id=session.creator_id,
        channel=Channel.SHOP,
        traffic_source=TrafficSource.LIVE,
        live_room_id=str(session.pk) if room is None else room,
    )


def live_order(session, *, status=OrderStatus.AWAITING_SHIPMENT, room=None, sku=None):
    """An order of the live room (paid and accepted unless `status` says otherwise), of
    one unit of `sku` or of a new product."""
    sku = sku or ProductFactory(title="加绒连帽卫衣").skus.get()
    return OrderFactory(
        shop=sku.product.shop,
        lines=[(sku.pk, 1)],
        status=status,
        receiver=dict(RECEIVER),
        attribution=live_attribution(session, room=room),
    )
