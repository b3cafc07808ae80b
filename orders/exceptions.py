from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class OrderError(DomainError):
    code = "order_invalid"


class TransitionRefused(OrderError):
    code = "transition_refused"
    default_message = _("订单当前状态不允许这个操作。")


class CheckoutError(OrderError):
    code = "checkout_invalid"


class PaymentRejected(OrderError):
    code = "payment_rejected"


class ShipmentRefused(OrderError):
    code = "shipment_refused"


class AfterSaleError(DomainError):
    code = "aftersale_invalid"


class AfterSaleRefused(AfterSaleError):
    code = "aftersale_refused"
    default_message = _("售后单当前状态不允许这个操作。")


class CheckoutLimited(CheckoutError):
    """A purchase limit (限购), a cap on unpaid orders or the checkout rate limit."""

    code = "checkout_limited"
