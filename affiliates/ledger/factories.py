"""Money built through the real services; shared by the tests and seed_demo.

`alliance_order(creator=c, status=OrderStatus.COMPLETED)` places a 精选联盟 order
attributed to the creator (a new offer unless one is given) and takes it to `status`
through the order services; the ledger follows through the order signals.
"""

from orders.attribution import Attribution
from orders.factories import OrderFactory
from orders.models import Channel, OrderStatus, TrafficSource
from products.factories import ProductFactory

from ..factories import AllianceOfferFactory


def alliance_offer(*, shop=None, price_fen: int = 9900, rate_bp: int = 2000, title=None):
    product_kwargs = {"sku__price_fen": price_fen}
    if shop is not None:
        product_kwargs["shop"] = shop
    if title:
        product_kwargs["title"] = title
    return AllianceOfferFactory(product=ProductFactory(**product_kwargs), rate_bp=rate_bp)


def alliance_order(
    *,
    creator,
    offer=None,
    quantity: int = 1,
    shipping_fen: int = 0,
    status: int = OrderStatus.AWAITING_SHIPMENT,
):
    offer = offer or alliance_offer()
    sku = offer.product.skus.filter(is_active=True).order_by("pk").first()
    return OrderFactory(
        shop=offer.shop,
        lines=[(sku.pk, quantity)],
        shipping_fen=shipping_fen,
        attribution=Attribution(
            creator_id=creator.pk,
            channel=Channel.ALLIANCE,
            traffic_source=TrafficSource.SHOWCASE,
        ),
        status=status,
    )
