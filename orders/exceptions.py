from django.utils.translation import gettext_lazy as _

from core import state
from core.exceptions import DomainError


class OrderError(DomainError, code="order_invalid"):
    """Bad input to an order change (remark, flag, cancel reason, sign time)."""


class TransitionRefused(
    state.TransitionRefused, OrderError, message=_("订单当前状态不允许这个操作。")
):
    """An action the order's status does not allow (its table, or cancelling once paid):
    a state-machine refusal (`core.state`, the same API code) that is an OrderError too."""


class CheckoutError(OrderError, code="checkout_invalid"):
    """Lines that cannot become an order: none, a bad quantity, a SKU not on sale."""


class PaymentRejected(OrderError, code="payment_rejected"):
    """A payment that does not fit its order: amount, status, method, a reused id."""


class ShipmentRefused(OrderError, code="shipment_refused"):
    """Items that cannot ship as asked (`orders.shipping.shipping_problems`)."""


class AfterSaleError(DomainError, code="aftersale_invalid"):
    """An after-sale the item does not allow (type, open one, window, amount) or bad input."""


class AfterSaleRefused(
    state.TransitionRefused,
    AfterSaleError,
    code="aftersale_refused",
    message=_("售后单当前状态不允许这个操作。"),
):
    """A step the after-sale's status does not allow (`orders.aftersales.machine`): a
    state-machine refusal with its own API code, and an AfterSaleError."""


class CheckoutLimited(CheckoutError, code="checkout_limited"):
    """A purchase limit (限购), a cap on unpaid orders or the checkout rate limit."""
