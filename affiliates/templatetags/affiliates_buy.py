"""Buy links from a creator's showcase: orders' checkout with signed attribution."""

from django import template
from django.urls import reverse

from orders.attribution import Attribution, attribution_sign
from orders.models import Channel, TrafficSource

from ..sources import Source

register = template.Library()


def _buy_url(item, traffic_source: str, live_room_id: str = "") -> str:
    if not item.is_internal or item.is_invalid:
        return ""
    channel = Channel.ALLIANCE if item.source == Source.ALLIANCE else Channel.SHOP
    token = attribution_sign(
        Attribution(
            creator_id=item.creator_id,
            channel=channel,
            traffic_source=traffic_source,
            live_room_id=live_room_id,
        )
    )
    return f"{reverse('buyer:checkout', args=[item.product_id])}?a={token}"


@register.simple_tag
def showcase_buy_url(item) -> str:
    """Checkout for an in-sale internal showcase item, crediting its creator (橱窗);
    empty for external or invalid items, which are bought on their own platform."""
    return _buy_url(item, TrafficSource.SHOWCASE)


@register.simple_tag
def live_buy_url(link) -> str:
    """Checkout from a live cart (直播购物车): credits the creator and records the live
    room, so the order shows on the room's overlay (affiliates.live_feed)."""
    return _buy_url(link.item, TrafficSource.LIVE, live_room_id=str(link.session_id))
