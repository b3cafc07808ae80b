"""What keeps one buyer from holding a product's stock with unpaid orders (issue 9):

- 限购, set by the merchant on the product: units per order and per buyer phone over
  the buyer's orders that are not cancelled (unpaid ones included). Every order_place.
- Caps on open unpaid orders in a shop per buyer phone and per client (the buyer's
  session and IP address): buyer checkouts only (`client` given), since a merchant's
  own integration places orders for many people from one address.
- A rate limit on checkout attempts per client (Django's cache, a fixed window).

Counts are read under a transaction-scoped advisory lock per buyer key, so two
checkouts of one buyer at once cannot both slip under a limit. Refusals say which
limit, in words."""

import zlib
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clientip import client_ip

from .exceptions import CheckoutLimited
from .models import Order, OrderItem, OrderStatus


@dataclass(frozen=True)
class Client:
    """Who is checking out, as far as an anonymous buyer can be told apart."""

    session_id: str
    ip: str | None = None


def client_of(request, session_id: str) -> Client:
    # The address behind TRUSTED_PROXY_COUNT proxies, as login lockout reads it.
    return Client(session_id=session_id, ip=client_ip(request) or None)


# --- rate limit -------------------------------------------------------------------------


def checkout_throttle(client: Client) -> None:
    """Count one checkout attempt for the client (session and IP); CheckoutLimited once
    either has made CHECKOUT_RATE_LIMIT attempts in the current window."""
    limit, window = settings.CHECKOUT_RATE_LIMIT, settings.CHECKOUT_RATE_WINDOW
    now = int(timezone.now().timestamp())
    slot = now // window
    for kind, value in (("session", client.session_id), ("ip", client.ip)):
        if not value:
            continue
        key = f"checkout-rate:{kind}:{value}:{slot}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        if count > limit:
            wait = max(1, (slot + 1) * window - now)
            raise CheckoutLimited(
                _("下单太频繁：每 %(minutes)s 分钟最多提交 %(n)s 次，请 %(wait)s 秒后再试。")
                % {"minutes": max(1, window // 60), "n": limit, "wait": wait}
            )


# --- 限购 and unpaid caps ------------------------------------------------------------------


def _lock(*keys: str) -> None:
    """Transaction-scoped advisory locks, taken in one order so two checkouts never wait
    for each other crosswise. Unrelated keys may share a number: they then just queue."""
    numbers = sorted({zlib.crc32(key.encode()) for key in keys})
    with connection.cursor() as cursor:
        for number in numbers:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def _unpaid(shop):
    return Order.objects.filter(shop=shop, status=OrderStatus.UNPAID)


def _check_unpaid_caps(shop, phone: str, client: Client) -> None:
    per_phone = settings.CHECKOUT_MAX_UNPAID_PER_PHONE
    if _unpaid(shop).filter(receiver_phone=phone).count() >= per_phone:
        raise CheckoutLimited(
            _("该手机号在本店已有 %(n)s 个待支付订单（最多 %(n)s 个），请先支付或取消后再下单。")
            % {"n": per_phone},
            fields={"receiver_phone": [_("待支付订单已达上限。")]},
        )
    per_client = settings.CHECKOUT_MAX_UNPAID_PER_CLIENT
    same_client = Q(buyer_id=client.session_id)
    if client.ip:
        same_client |= Q(buyer_ip=client.ip)
    if _unpaid(shop).filter(same_client).count() >= per_client:
        raise CheckoutLimited(
            _("你在本店已有 %(n)s 个待支付订单（最多 %(n)s 个），请先支付或取消后再下单。")
            % {"n": per_client}
        )


def _check_purchase_limits(shop, phone: str, wanted: Counter, skus: dict) -> None:
    per_product: Counter = Counter()
    products = {}
    for sku_id, quantity in wanted.items():
        product = skus[sku_id].product
        per_product[product.pk] += quantity
        products[product.pk] = product
    for product_id, quantity in sorted(per_product.items()):
        product = products[product_id]
        if product.limit_per_order and quantity > product.limit_per_order:
            message = _("「%(title)s」每单限购 %(limit)s 件，本单 %(n)s 件。") % {
                "title": product.title,
                "limit": product.limit_per_order,
                "n": quantity,
            }
            raise CheckoutLimited(message, fields={"quantity": [message]})
    limited = [p for p in per_product if products[p].limit_per_buyer]
    if not limited:
        return
    had = dict(
        OrderItem.objects.filter(
            order__shop=shop, order__receiver_phone=phone, product_id__in=limited
        )
        .exclude(order__status=OrderStatus.CANCELLED)
        .values("product_id")
        .annotate(units=Sum(F("quantity") - F("refunded_quantity")))
        .values_list("product_id", "units")
    )
    for product_id in sorted(limited):
        product = products[product_id]
        before = had.get(product_id) or 0
        if before + per_product[product_id] > product.limit_per_buyer:
            message = _(
                "「%(title)s」每人限购 %(limit)s 件：该手机号已买或待支付 %(had)s 件，"
                "本单最多还能买 %(left)s 件。"
            ) % {
                "title": product.title,
                "limit": product.limit_per_buyer,
                "had": before,
                "left": max(product.limit_per_buyer - before, 0),
            }
            raise CheckoutLimited(message, fields={"quantity": [message]})


def order_limits_check(
    *, shop, phone: str, wanted: Counter, skus: dict, client: Client | None
) -> None:
    """Inside order_place's transaction, before stock is reserved: CheckoutLimited
    naming the limit when this order would pass one."""
    with_buyer_limit = any(skus[sku_id].product.limit_per_buyer for sku_id in wanted)
    if client is None and not with_buyer_limit:
        _check_purchase_limits(shop, phone, wanted, skus)
        return
    keys = [f"orders.buyer:{shop.pk}:phone:{phone}"]
    if client is not None:
        keys.append(f"orders.buyer:{shop.pk}:session:{client.session_id}")
        if client.ip:
            keys.append(f"orders.buyer:{shop.pk}:ip:{client.ip}")
    _lock(*keys)
    if client is not None:
        _check_unpaid_caps(shop, phone, client)
    _check_purchase_limits(shop, phone, wanted, skus)
