from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class OrderError(DomainError):
    """Bad input to an order change (remark, flag, cancel reason, sign time)."""

    code = "order_invalid"


class TransitionRefused(OrderError):
    """An action the order's status does not allow (its table, or cancelling once paid)."""

    code = "transition_refused"
    default_message = _("订单当前状态不允许这个操作。")


class CheckoutError(OrderError):
    """Lines that cannot become an order: none, a bad quantity, a SKU not on sale."""

    code = "checkout_invalid"


class PaymentRejected(OrderError):
    """A payment that does not fit its order: amount, status, method, a reused id."""

    code = "payment_rejected"


class ShipmentRefused(OrderError):
    """Items that cannot ship as asked (`orders.shipping.shipping_problems`)."""

    code = "shipment_refused"


class AfterSaleError(DomainError):
    """An after-sale the item does not allow (type, open one, window, amount) or bad input."""

    code = "aftersale_invalid"


class AfterSaleRefused(AfterSaleError):
    """A step the after-sale's status does not allow (`orders.aftersales.machine`)."""

    code = "aftersale_refused"
    default_message = _("售后单当前状态不允许这个操作。")


class CheckoutLimited(CheckoutError):
    """A purchase limit (限购), a cap on unpaid orders or the checkout rate limit."""

    code = "checkout_limited"
