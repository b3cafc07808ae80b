"""Buy links from a creator's showcase: orders' checkout with signed attribution."""

from django import template
from django.urls import reverse

from orders.attribution import Attribution, attribution_sign
from orders.models import Channel, TrafficSource

from ..sources import Source

register = template.Library()


@register.simple_tag
def showcase_buy_url(item) -> str:
    """Checkout for an in-sale internal showcase item, crediting its creator (橱窗);
    empty for external or invalid items, which are bought on their own platform."""
    if not item.is_internal or item.is_invalid:
        return ""
    channel = Channel.ALLIANCE if item.source == Source.ALLIANCE else Channel.SHOP
    token = attribution_sign(
        Attribution(
            creator_id=item.creator_id, channel=channel, traffic_source=TrafficSource.SHOWCASE
        )
    )
    return f"{reverse('buyer:checkout', args=[item.product_id])}?a={token}"
